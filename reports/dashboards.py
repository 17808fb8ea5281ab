"""The dashboards, each assembled once (`district_dashboard`, `ward_dashboard`) into a
`Dashboard` that the page and the Excel workbook render: key figures with the lists behind
them, charts, the figures by ward or residential group and, on the district's, the progress
matrix of a seminar's tasks. The progress chart also goes into the PDF reports."""

import dataclasses
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import Page
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import page_of
from core.periods import Period, month_end
from core.work_fields import WorkField
from meetings.models import Directive, DirectiveTask, ProgressReport
from meetings.selectors import (
    MatrixRow,
    directives_with_tasks,
    matrix_wards,
    progress_matrix,
    task_progress,
)
from teams.models import Member
from wards.models import ResidentialGroup, Ward

from . import charts, selectors

MATRIX_PAGE_SIZE = 50
# The orders of the table of wards: the least active first shows who lags.
WARD_SORTS = {
    # The code after the name: a ward and its successor of the same name, the old one first.
    "name": gettext_lazy("Name"),
    # By their activities in the period, then by name (`selectors.WardsByActivities`).
    "activities": gettext_lazy("Least active first"),
    "-activities": gettext_lazy("Most active first"),
}

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


class Row(NamedTuple):
    """A line of a dashboard's table: a ward or a residential group, and its figures."""

    unit: Ward | ResidentialGroup
    figures: selectors.Figures
    filter: str  # narrows the ward's lists to the unit ("group=5&"), or ""


@dataclasses.dataclass(frozen=True)
class Dashboard:
    """What a dashboard shows for a period: the key figures, two charts, and a row per ward
    (the district's) or residential group (a ward's), for the page of them `page` or, when it
    is None, for all of them; the district's also a directive's tasks, the progress matrix (a
    page of it, `matrix_page`, or all of it) and the progress chart."""

    period: Period
    figures: list[Figure]
    activity_chart: charts.Chart
    member_chart: charts.Chart
    rows: list[Row]
    page: Page | None = None
    directives: list[Directive] = dataclasses.field(default_factory=list)
    directive: Directive | None = None
    tasks: list[DirectiveTask] = dataclasses.field(default_factory=list)
    matrix: list[MatrixRow] = dataclasses.field(default_factory=list)
    matrix_page: Page | None = None
    progress_chart: charts.Chart | None = None  # on a page (the workbook draws no chart)
    sort: str = "name"  # the order of the table of wards, a key of WARD_SORTS

    @property
    def period_query(self):
        """The period as the filters of the wards' lists."""
        return urlencode(period_filters(self.period))


def district_dashboard(
    *,
    user,
    period,
    directive_id=None,
    seminar_id=None,
    sort="name",
    page=None,
    matrix_page=None,
    every_ward=False,
) -> Dashboard:
    """The dashboard of the wards `user` sees. `directive_id`: the directive of the matrix
    asked for, or `seminar_id`, the seminar whose conclusion it is (the user's latest when
    it is not one of theirs); `page` and `matrix_page`: the pages asked for of the table of
    wards, in the order `sort` (by name when it is not one of `WARD_SORTS`), and of the
    matrix; `every_ward`: all of both rather than a page (the workbook's)."""
    sort = sort if sort in WARD_SORTS else "name"
    wards = selectors.wards_in_scope(user=user, period=period)
    directives = list(directives_with_tasks(user=user))
    latest = directives[0] if directives else None
    directive = next(
        (
            d
            for d in directives
            if (directive_id and str(d.pk) == directive_id)
            or (seminar_id and str(d.seminar_id) == seminar_id)
        ),
        latest,
    )
    tasks = list(directive.tasks.order_by("number")) if directive else []
    if sort == "name":
        # Without their stamps, which no row shows: the workbook's 20,000 wards read in 0.2 s
        # less.
        ordered = wards.order_by("sort_name", "code").defer("created_at", "updated_at")
    else:  # the wards' ids, in order
        ordered = selectors.WardsByActivities(
            wards, period=period, least_first=sort == "activities"
        )
    ward_page = None
    if not every_ward:
        ward_page = page_of(ordered, page, count=wards.count())
    in_table = list(ordered if ward_page is None else ward_page)
    if sort != "name":
        found = wards.in_bulk(in_table)
        in_table = [found[pk] for pk in in_table]
    ward_count = len(in_table) if ward_page is None else ward_page.paginator.count
    by_ward = selectors.figures_by_unit(
        wards=wards, period=period, units=None if every_ward else in_table, by="ward"
    )
    sums = selectors.dashboard_sums(wards=wards, period=period)
    matrix, matrix_rows_page, chart = [], None, None
    if directive:
        in_matrix = matrix_wards(
            directive=directive, wards=wards, start=period.start, end=period.end
        )
        if not every_ward:
            in_matrix = matrix_rows_page = page_of(in_matrix, matrix_page, size=MATRIX_PAGE_SIZE)
        matrix = progress_matrix(
            directive=directive, tasks=tasks, wards=list(in_matrix), as_of=period.as_of()
        )
        if not every_ward:
            chart, _progress = progress_chart(
                directive=directive, tasks=tasks, wards=wards, period=period
            )
    return Dashboard(
        period=period,
        figures=key_figures(sums, period=period, ward_count=ward_count, anchor="#by-ward"),
        activity_chart=activity_chart(sums.activities_by_month, period=period),
        member_chart=member_chart(sums.members_by_organisation),
        rows=[Row(ward, by_ward[ward.pk], "") for ward in in_table],
        page=ward_page,
        directives=directives,
        directive=directive,
        tasks=tasks,
        matrix=matrix,
        matrix_page=matrix_rows_page,
        progress_chart=chart,
        sort=sort,
    )


def ward_dashboard(*, ward, user, period, page=None) -> Dashboard:
    """The dashboard of one ward, its figures and charts linked to its lists, with the page
    `page` of its residential groups."""
    wards = Ward.objects.filter(pk=ward.pk)
    groups = page_of(selectors.residential_groups(ward=ward, user=user), page)
    by_group = selectors.figures_by_unit(wards=wards, period=period, units=groups, by="group")
    sums = selectors.dashboard_sums(wards=wards, period=period)
    return Dashboard(
        period=period,
        figures=key_figures(sums, period=period, ward=ward),
        activity_chart=activity_chart(sums.activities_by_month, period=period, ward=ward),
        member_chart=member_chart(sums.members_by_organisation, ward=ward),
        rows=[Row(group, by_group[group.pk], f"group={group.pk}&") for group in groups],
        page=groups,
    )


def key_figures(sums, *, period, ward=None, ward_count=None, anchor=""):
    """The figures of a dashboard's head (from `selectors.DashboardSums`), each linked to the
    list behind it: the ward's lists on a ward's dashboard, the table by ward (`anchor`) on
    the district's."""
    figures = sums.figures

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
        Figure(
            "people",
            _("People in the teams"),
            figures.people,
            href=link("member"),
            note=_("each person once"),
        ),
        Figure(
            "members",
            _("Seats in the teams"),
            figures.members,
            href=link("member"),
            note=_("a person in two teams counts twice"),
        ),
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
            sums.median_days,
            _("days"),
            href=link("feedback", status="resolved", **in_period),
        ),
        *(
            [
                Figure(
                    "feedback_overdue",
                    _("Feedback overdue"),
                    sums.overdue_feedback,
                    href=link("feedback", overdue="yes"),
                    note=_("waiting more than %(days)s days for its next step, today")
                    % {"days": settings.FEEDBACK_ANSWER_DAYS},
                )
            ]
            if sums.overdue_feedback is not None
            else []
        ),
    ]


def activity_chart(counts, *, period, ward=None):
    """Activities per month of the period (`counts`: see `selectors.DashboardSums`), stacked
    by field; on a ward's dashboard each segment links to the activities it counts."""
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


def member_chart(counts, *, ward=None):
    """Current members by the organisation they represent (`counts`)."""
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


def progress_chart(*, directive, tasks, wards, period):
    """Where the wards stand on each task of a directive at the period's end."""
    progress = task_progress(directive=directive, tasks=tasks, wards=wards, as_of=period.as_of())
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
