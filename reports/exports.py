"""The district dashboard as an Excel workbook: key figures, the wards' figures, activities
per month and field, and the progress matrix, one sheet each, every ward in view on it."""

from django.utils.translation import gettext as _
from tablib import Databook, Dataset

from core.work_fields import WorkField
from meetings.selectors import progress_matrix

from . import dashboards, selectors


def district_workbook(*, wards, period, seminar, tasks, matrix_wards):
    totals = selectors.dashboard_totals(wards=wards, period=period)
    figures = dashboards.key_figures(
        totals,
        median_days=selectors.resolution_days_median(wards=wards, period=period),
        period=period,
        ward_count=wards.count(),
    )
    sheets = [
        _key_figures_sheet(figures, period),
        _wards_sheet(wards, period),
        _months_sheet(wards, period),
    ]
    if seminar:
        sheets.append(_matrix_sheet(seminar, tasks, list(matrix_wards), period))
    return Databook(sheets)


def _key_figures_sheet(figures, period):
    sheet = Dataset(title=_("Key figures"), headers=[_("Figure"), _("Value"), _("Unit")])
    sheet.append([_("Period"), period.label, ""])
    for figure in figures:
        sheet.append([figure.label, figure.value, figure.unit])
    return sheet


def _wards_sheet(wards, period):
    headers = [
        _("Ward code"),
        _("Ward"),
        _("Residential groups"),
        _("Mobilization teams"),
        _("Groups with a team (%)"),
        _("Current members"),
        _("Party members"),
        _("Activities"),
        _("Households reached"),
        _("Feedback received"),
        _("Feedback resolved"),
    ]
    sheet = Dataset(title=_("By ward"), headers=headers)
    by_ward = selectors.figures_by_unit(wards=wards, period=period, by="ward")
    for ward in wards.order_by("name"):
        f = by_ward[ward.pk]
        sheet.append(
            [
                ward.code,
                ward.name,
                f.groups,
                f.teams,
                f.team_share,
                f.members,
                f.party_members,
                f.activities,
                f.households,
                f.feedback_received,
                f.feedback_resolved,
            ]
        )
    return sheet


def _months_sheet(wards, period):
    chart = dashboards.activity_chart(wards=wards, period=period)
    sheet = Dataset(
        title=_("Activities by month"),
        headers=[_("Month"), *(label for _code, label in WorkField.choices), _("Total")],
    )
    for label, values, total in chart.rows:
        sheet.append([label, *values, total])
    return sheet


def _matrix_sheet(seminar, tasks, wards, period):
    headers = [
        _("Ward"),
        _("Reported this period"),
        *(_("Task %(number)s") % {"number": task.number} for task in tasks),
    ]
    sheet = Dataset(title=_("Progress matrix"), headers=headers)
    for row in progress_matrix(seminar=seminar, tasks=tasks, wards=wards, as_of=period.as_of()):
        sheet.append(
            [
                row.ward.name,
                _("Yes") if row.reported else _("No"),
                *(_cell_text(cell) for cell in row.cells),
            ]
        )
    return sheet


def _cell_text(assignment):
    if assignment is None:
        return ""
    if assignment.latest_status is None:
        text = _("Not reported yet")
    else:
        text = f"{assignment.latest_status_label} {assignment.latest_percent}%"
    if assignment.overdue:
        return _("%(status)s (overdue)") % {"status": text}
    return text
