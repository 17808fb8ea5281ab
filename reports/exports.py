"""The district's dashboard (`dashboards.district_dashboard`, every ward in view) as an Excel
workbook: key figures, the wards' figures, activities per month and field, and the progress
matrix, one sheet each."""

from django.utils.translation import gettext as _
from tablib import Databook, Dataset

from core.work_fields import WorkField


def district_workbook(dashboard):
    sheets = [
        _key_figures_sheet(dashboard.figures, dashboard.period),
        _wards_sheet(dashboard.rows, dashboard.period),
        _months_sheet(dashboard.activity_chart),
    ]
    if dashboard.directive:
        sheets.append(_matrix_sheet(dashboard.tasks, dashboard.matrix, dashboard.period))
    return Databook(sheets)


def _key_figures_sheet(figures, period):
    sheet = Dataset(title=_("Key figures"), headers=[_("Figure"), _("Value"), _("Unit")])
    sheet.append([_("Period"), period.label, ""])
    for figure in figures:
        sheet.append([figure.label, figure.value, figure.unit])
    return sheet


def _wards_sheet(rows, period):
    headers = [
        _("Ward code"),
        _("Ward"),
        _("Existed in the period"),
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
    for ward, f, _filter in rows:
        sheet.append(
            [
                ward.code,
                ward.name,
                ward.lifespan_in(period) or _("throughout"),
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


def _months_sheet(chart):
    sheet = Dataset(
        title=_("Activities by month"),
        headers=[_("Month"), *(label for _code, label in WorkField.choices), _("Total")],
    )
    for label, values, total in chart.rows:
        sheet.append([label, *values, total])
    return sheet


def _matrix_sheet(tasks, matrix, period):
    headers = [
        _("Ward"),
        _("Existed in the period"),
        _("Reported this period"),
        *(_("Task %(number)s") % {"number": task.number} for task in tasks),
    ]
    sheet = Dataset(title=_("Progress matrix"), headers=headers)
    for row in matrix:
        sheet.append(
            [
                row.ward.name,
                row.ward.lifespan_in(period) or _("throughout"),
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
