"""The dashboards' contents: key figures with the lists behind them, charts and the progress
matrix, shaped for the pages, the Excel workbook and the PDF reports."""

import dataclasses

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.periods import month_end
from core.work_fields import WorkField
from meetings.models import ProgressReport
from meetings.selectors import task_progress
from teams.models import Member

from . import charts, selectors

# Okabe–Ito's colour-blind-safe palette, then three more, one per field of work.
FIELD_COLOURS = dict(
    zip(
        WorkField.values,
        [
            "#0072b2",
            "#e69f00",
            "#009e73",
            "#cc79a7",
            "#56b4e9",
            "#d55e00",
            "#f0e442",
            "#8c564b",
            "#17becf",
            "#b3121f",
            "#999999",
        ],
        strict=True,
    )
)
STATUS_COLOURS = {
    ProgressReport.Status.COMPLETED: "#1e8e3e",
    ProgressReport.Status.IN_PROGRESS: "#f9ab00",
    ProgressReport.Status.NOT_STARTED: "#d93025",
    None: "#bdc1c6",
}


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object  # a number, or None when there is nothing to compute it from
    unit: str = ""  # "%", or "days"
    href: str = ""
    note: str = ""


def list_url(ward, kind, **filters):
    """The ward's list of `kind` (member, activity, feedback) filtered by `filters`."""
    query = urlencode({name: value for name, value in filters.items() if value is not None})
    url = reverse(f"teams:{kind}_list", args=[ward.code])
    return f"{url}?{query}" if query else url


def period_filters(period):
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


def dashboard_head(*, wards, period, ward=None, ward_count=None, anchor=""):
    """What both dashboards show first: the key figures and two charts (see key_figures)."""
    totals = selectors.dashboard_totals(wards=wards, period=period)
    return {
        "figures": key_figures(
            totals,
            median_days=selectors.resolution_days_median(wards=wards, period=period),
            period=period,
            ward=ward,
            ward_count=ward_count,
            anchor=anchor,
        ),
        "activity_chart": activity_chart(wards=wards, period=period, ward=ward),
        "member_chart": member_chart(wards=wards, ward=ward),
        "period_query": urlencode(period_filters(period)),
    }


def key_figures(figures, *, median_days, period, ward=None, ward_count=None, anchor=""):
    """The figures of a dashboard's head, each linked to the list behind it: the ward's lists
    on a ward's dashboard, the table by ward (`anchor`) on the district's."""

    def link(kind, **filters):
        return list_url(ward, kind, **filters) if ward else anchor

    in_period = period_filters(period)
    home = reverse("reports:ward_home", args=[ward.code]) if ward else anchor
    wards = (
        [Figure("wards", _("Wards"), ward_count, href=anchor)] if ward_count is not None else []
    )
    return [
        *wards,
        Figure("groups", _("Residential groups"), figures.groups, href=home),
        Figure("teams", _("Mobilization teams"), figures.teams, href=home),
        Figure("team_share", _("Groups with a team"), figures.team_share, "%", href=home),
        Figure("members", _("Current members"), figures.members, href=link("member")),
        Figure(
            "party_share",
            _("Party members"),
            figures.party_share,
            "%",
            href=link("member", party="yes"),
        ),
        Figure(
            "activities", _("Activities"), figures.activities, href=link("activity", **in_period)
        ),
        Figure(
            "households",
            _("Households reached"),
            figures.households,
            href=link("activity", sort="-households", **in_period),
        ),
        Figure(
            "feedback_received",
            _("Feedback received"),
            figures.feedback_received,
            href=link("feedback", **in_period),
        ),
        Figure(
            "feedback_resolved",
            _("Feedback resolved"),
            figures.feedback_resolved,
            href=link("feedback", status="resolved", **in_period),
            note=_("%(share)s%% of those received") % {"share": figures.resolved_share}
            if figures.resolved_share is not None
            else "",
        ),
        Figure(
            "median_days",
            _("Median time to resolve"),
            median_days,
            _("days"),
            href=link("feedback", status="resolved", **in_period),
        ),
    ]


def activity_chart(*, wards, period, ward=None):
    """Activities per month of the period, stacked by field; on a ward's dashboard each
    segment links to the activities it counts."""
    counts = selectors.activities_by_month(wards=wards, period=period)
    months = [(month, f"{month:%m/%Y}") for month in period.months()]
    series = [
        charts.Series(field, label, FIELD_COLOURS[field]) for field, label in WorkField.choices
    ]
    total = sum(count for count, _households in counts.values())
    busiest = max(months, key=lambda m: sum(counts.get((m[0], s.key), (0, 0))[0] for s in series))

    def value(month, field):
        return counts.get((month, field), (0, 0))[0]

    def href(month, field):
        last = month_end(month)
        return list_url(
            ward,
            "activity",
            field=field,
            date_from=max(month, period.start).isoformat(),
            date_to=min(last, period.end).isoformat(),
        )

    return charts.column_chart(
        id="activities-by-month",
        title=_("Activities per month, by field"),
        description=_("%(total)s activities in %(period)s; the busiest month was %(month)s.")
        % {
            "total": number_format(total, force_grouping=True),
            "period": period.label,
            "month": busiest[1],
        }
        if total
        else _("No activity was recorded in %(period)s.") % {"period": period.label},
        columns=months,
        series=series,
        value=value,
        href=href if ward else None,
    )


def member_chart(*, wards, ward=None):
    counts = selectors.members_by_organisation(wards=wards)
    rows = [(code, label) for code, label in Member.Organisation.choices]
    series = [charts.Series(None, "", "#b3121f")]
    total = sum(counts.values())
    return charts.bar_chart(
        id="members-by-organisation",
        title=_("Current members by the organisation they represent"),
        description=_("%(total)s current members.")
        % {"total": number_format(total, force_grouping=True)},
        rows=rows,
        series=series,
        value=lambda code, _series: counts.get(code, 0),
        href=(lambda code, _series: list_url(ward, "member", organisation=code)) if ward else None,
    )


def progress_chart(*, seminar, tasks, wards, period):
    """Where the wards stand on each task of a seminar at the period's end."""
    progress = task_progress(seminar=seminar, tasks=tasks, wards=wards, as_of=period.as_of())
    by_task = {item.task.pk: item for item in progress}
    series = [
        *(
            charts.Series(status, label, STATUS_COLOURS[status])
            for status, label in ProgressReport.Status.choices
        ),
        charts.Series(None, _("Not reported yet"), STATUS_COLOURS[None]),
    ]
    completed = sum(item.by_status.get(ProgressReport.Status.COMPLETED, 0) for item in progress)
    assigned = sum(item.ward_count for item in progress)
    overdue = sum(item.overdue for item in progress)
    chart = charts.bar_chart(
        id="task-progress",
        title=_("Progress of the tasks across the wards, as of %(date)s")
        % {"date": date_format(period.as_of(), "SHORT_DATE_FORMAT")},
        description=_("%(completed)s of %(assigned)s assignments completed; %(overdue)s overdue.")
        % {"completed": completed, "assigned": assigned, "overdue": overdue},
        rows=[(task.pk, _("Task %(number)s") % {"number": task.number}) for task in tasks],
        series=series,
        value=lambda task, status: by_task[task].by_status.get(status, 0),
    )
    return chart, progress
