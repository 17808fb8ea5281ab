"""Reads for the landing pages and dashboards, always through the user's scope.

The dashboards' figures come from a fixed number of grouped aggregate queries, whatever the
number of wards, groups and records: what is summed over the wards in view (`dashboard_sums`:
their totals, activities per month and field, members per organisation, and the spread of the
days feedback took to resolve), and the same figures per ward or per residential group
(`figures_by_unit`) for one page of them or every ward.

What is summed over every ward in view (the totals, the order of the wards by activity, the
charts) is read from the tallies (`models.py`, kept by `tallies.py`) for the months wholly in
the period, and from the records for the days of a range outside them; what is shown for one
page of wards or groups is counted from the records. Which tallies those are (the managing
units' or the wards') is found once per dashboard (`_whole_units`).
"""

import dataclasses
from collections import defaultdict

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from core.periods import first_of_month
from meetings.selectors import ward_assignments
from teams.models import Activity, CitizenFeedback, Member, Team
from wards.models import (
    GroupSuccession,
    ResidentialGroup,
    Ward,
    WardSuccession,
    existing_during,
)

from .models import DistrictMembers, DistrictMonth, WardMembers, WardMonth


def wards_in_scope(*, user, period=None):
    """The wards `user` sees (that existed in `period`, when given: a reorganisation ends
    wards and begins others), named by their ids (read once) when they are few. With the ids
    written out, the planner knows how few wards it aggregates and reads their rows through
    the teams' indexes; behind a subquery of the scope it scanned a year of every ward's
    activities (825 ms against 28 ms for a district of the national data). Thousands of ids
    (a province, the country) cost more to plan and match than the subquery."""
    wards = Ward.objects.visible_to(user)
    if period is not None:
        during = existing_during(period.start, period.end)
        # Every ward (a superuser's) stays unfiltered, and summed from the units' tallies,
        # while no ward ended before the period or began after it.
        if wards.query.has_filters() or Ward.objects.exclude(during).exists():
            wards = wards.filter(during)
    if not wards.query.has_filters():
        return wards  # every ward (a superuser's): nothing to name
    ids = list(wards.order_by().values_list("pk", flat=True)[: MANY_WARDS + 1])
    if len(ids) > MANY_WARDS:
        return wards
    return Ward.objects.filter(pk__in=ids)


MANY_WARDS = 500


def percent(part, whole):
    return round(100 * part / whole) if whole else None


@dataclasses.dataclass
class Figures:
    """The key figures of some wards (or one group) for a period. Groups, teams and members
    are counted as they stand; activities and feedback received within the period, and of
    that feedback, what has been resolved."""

    groups: int = 0
    teams: int = 0
    members: int = 0  # seats in teams: a person in two teams counts twice
    people: int = 0  # the people in those seats, each once
    party_members: int = 0
    activities: int = 0
    households: int = 0
    feedback_received: int = 0
    feedback_resolved: int = 0

    @property
    def team_share(self):
        return percent(self.teams, self.groups)

    @property
    def party_share(self):
        return percent(self.party_members, self.members)

    @property
    def resolved_share(self):
        return percent(self.feedback_resolved, self.feedback_received)


# How each counted model reaches a residential group (and a ward: its `ward_path`).
GROUP_PATHS = {
    ResidentialGroup: "pk",
    Team: "residential_group",
    Member: "team__residential_group",
    Activity: "team__residential_group",
    CitizenFeedback: "team__residential_group",
}


def _standing():
    """What is counted as it stands: groups and teams, current members."""
    return [
        (
            ResidentialGroup.objects.all(),
            {"groups": Count("pk"), "teams": Count("team")},
        ),
        (
            Member.objects.filter(left_on__isnull=True),
            {
                "members": Count("pk"),
                "party_members": Count("pk", filter=Q(is_party_member=True)),
            },
        ),
    ]


def _dated(start, end):
    """What is counted by its date: activities and feedback from `start` to `end`."""
    return [
        (
            Activity.objects.filter(date__range=(start, end)),
            {"activities": Count("pk"), "households": Sum("households_reached")},
        ),
        (
            CitizenFeedback.objects.filter(received_on__range=(start, end)),
            {
                "feedback_received": Count("pk"),
                "feedback_resolved": Count("pk", filter=Q(status=CitizenFeedback.Status.RESOLVED)),
            },
        ),
    ]


def _sources(period):
    """Each counted model with its rows of the period and the figures it gives."""
    return [*_standing(), *_dated(period.start, period.end)]


def _in_wards(queryset, wards):
    """The rows of `queryset` (a counted model or a tally) in `wards`; all of them when
    `wards` are every ward (a superuser's), with no join to find their wards."""
    queryset = queryset.order_by()
    if not wards.query.has_filters():
        return queryset
    return queryset.filter(**{f"{queryset.model.ward_path}__in": wards.values("pk")})


@dataclasses.dataclass(frozen=True)
class DashboardSums:
    """What a dashboard sums over all the wards in view for a period."""

    figures: Figures
    median_days: float | None  # to resolve feedback; None when none is resolved
    activities_by_month: dict  # {(first day of the month, field): (activities, households)}
    members_by_organisation: dict  # {organisation: current members}
    # Feedback waiting too long for its next step today; None for a period that has ended.
    overdue_feedback: int | None = None


def dashboard_sums(*, wards, period) -> DashboardSums:
    """The sums over `wards` (a queryset) for `period`, from the managing units' tallies when
    `wards` are whole units: at most eight queries, and up to three for each stretch of days
    of a range outside whole months."""
    units = _whole_units(wards)
    return DashboardSums(
        figures=_totals(wards, period, units),
        median_days=resolution_days_median(wards=wards, period=period),
        activities_by_month=_activities_by_month(wards, period, units),
        members_by_organisation=_members_by_organisation(wards, units),
        overdue_feedback=_in_wards(
            CitizenFeedback.objects.filter(CitizenFeedback.overdue()), wards
        ).count()
        if period.end >= timezone.localdate()
        else None,
    )


def _totals(wards, period, units) -> Figures:
    """The figures of `wards` as a whole: groups and teams counted, members and the period's
    months from the tallies (`units`' when they are whole units), the days of a range outside
    whole months counted."""
    figures = Figures()
    months, edges = period.whole_months()
    sums = [
        # Counted apart, as two index scans, rather than as a join of the two tables.
        _in_wards(ResidentialGroup.objects.all(), wards).aggregate(groups=Count("pk")),
        _in_wards(Team.objects.all(), wards).aggregate(teams=Count("pk")),
        _member_tallies(wards, units)
        .filter(organisation="")
        .aggregate(
            members=Sum("members"), party_members=Sum("party_members"), people=Sum("people")
        ),
    ]
    if months:
        tallies = _unit_tallies(units, months)
        if tallies is None:
            tallies = _in_wards(WardMonth.objects.filter(month__range=months), wards)
        sums.append(tallies.aggregate(**{name: Sum(name) for name in MONTHLY}))
    for start, end in edges:
        sums += [_in_wards(rows, wards).aggregate(**agg) for rows, agg in _dated(start, end)]
    for values in sums:
        for name, value in values.items():
            setattr(figures, name, getattr(figures, name) + (value or 0))
    return figures


# The figures a ward's month tallies.
MONTHLY = ("activities", "households", "feedback_received", "feedback_resolved")


def figures_by_unit(*, wards, period, by, units=None) -> dict[int, Figures]:
    """The figures of each ward of `wards` or each of its residential groups (`by` "ward" or
    "group"), by its primary key; only of `units` (a page of them) when given. Wards' members
    and months come from their tallies, as the totals do; groups' figures from the records.
    Four or five grouped queries, and two for each stretch of days outside whole months."""
    if by == "ward":
        months, edges = period.whole_months()
        sources = [
            (ResidentialGroup.objects.all(), {"groups": Count("pk"), "teams": Count("team")}),
            (
                WardMembers.objects.filter(organisation=""),
                {"members": Sum("members"), "party_members": Sum("party_members")},
            ),
        ]
        if months:
            sources.append(
                (
                    WardMonth.objects.filter(month__range=months),
                    {name: Sum(name) for name in MONTHLY},
                )
            )
        for start, end in edges:
            sources += _dated(start, end)
    else:
        sources = _sources(period)
    results = defaultdict(Figures)
    for rows, aggregates in sources:
        path = rows.model.ward_path if by == "ward" else GROUP_PATHS[rows.model]
        rows = _in_wards(rows, wards)
        if units is not None:
            rows = rows.filter(**{f"{path}__in": [unit.pk for unit in units]})
        grouped = rows.values(unit=F(path)).annotate(**aggregates)
        for row in grouped:
            figures = results[row.pop("unit")]
            for name, value in row.items():
                setattr(figures, name, getattr(figures, name) + (value or 0))
    return results


class WardsByActivities:
    """The ids of `wards` in the order of their activities in `period`, the least (or the
    most) active first, then by name: a sequence whose slices (a page) are read sorted from
    the database, its length the wards' count. The whole months are summed from the
    tallies, the days at the range's edges counted from the activities by their ward (an
    index alone on PostgreSQL), joined to the wards in one query. (Each ward's edge days
    counted apart: 12 s for the country's 10,000 wards; all of them read and sorted here:
    470 ms.)"""

    def __init__(self, wards, *, period, least_first):
        self.wards = wards.order_by()
        self.period = period
        self.least_first = least_first

    def __len__(self):
        return self.wards.count()

    def __iter__(self):
        return iter(self._read())

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("WardsByActivities is read by slices (a page).")
        start = max(index.start or 0, 0)
        if index.stop is None:
            return self._read()[start:]
        return self._read(limit=max(index.stop - start, 0), offset=start)

    def _read(self, *, limit=None, offset=0):
        quote = connection.ops.quote_name
        counted = self._counted()
        ward = {name: quote(Ward._meta.get_field(name).column) for name in ("sort_name", "code")}
        sql, params = f"SELECT w.{quote('id')} FROM {quote(Ward._meta.db_table)} w", []
        if counted is not None:
            counted_sql, params = counted.query.sql_with_params()
            sql += (
                " LEFT JOIN (SELECT c.unit, SUM(c.n) AS n FROM"
                f" ({counted_sql}) c GROUP BY c.unit) t ON t.unit = w.{quote('id')}"
            )
        if self.wards.query.has_filters():
            wards_sql, wards_params = self.wards.values("pk").query.sql_with_params()
            sql += f" WHERE w.{quote('id')} IN ({wards_sql})"
            params = [*params, *wards_params]
        activities = "COALESCE(t.n, 0)" if counted is not None else "0"
        direction = "ASC" if self.least_first else "DESC"
        sql += (
            f" ORDER BY {activities} {direction}, w.{ward['sort_name']}, w.{ward['code']},"
            f" w.{quote('id')}"
        )
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params = [*params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [pk for (pk,) in cursor.fetchall()]

    def _counted(self):
        """The activities of the wards in the period, as rows (unit: a ward, n: activities)
        to sum by ward; None when the period holds no day."""
        months, edges = self.period.whole_months()
        parts = []
        if months:
            tallies = WardMonth.objects.filter(month__range=months)
            parts.append(_in_wards(tallies, self.wards).values(unit=F("ward"), n=F("activities")))
        for start, end in edges:
            dated = Activity.objects.filter(date__range=(start, end))
            parts.append(
                _in_wards(dated, self.wards).values(unit=F("ward")).annotate(n=Count("pk"))
            )
        if not parts:
            return None
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _activities_by_month(wards, period, units):
    """{(first day of the month, field): (activities, households reached)} in the period:
    from the tallies of `units` when they are whole managing units, and for the days of a
    range outside whole months, or wards that are not whole units, from the activities."""
    months, edges = period.whole_months()
    tallies = _unit_tallies(units, months) if months else None
    counted = []
    if tallies is not None:
        counted.append(
            tallies.values("month", "field").annotate(
                count=Sum("activities"), households=Sum("households")
            )
        )
    else:
        edges = [(period.start, period.end)]
    for start, end in edges:
        counted.append(
            _in_wards(Activity.objects.filter(date__range=(start, end)), wards)
            .values("field", month=TruncMonth("date"))
            .annotate(count=Count("pk"), households=Sum("households_reached"))
        )
    result = defaultdict(lambda: (0, 0))
    for rows in counted:
        for row in rows:
            key = (first_of_month(row["month"]), row["field"])
            count, households = result[key]
            result[key] = (count + row["count"], households + (row["households"] or 0))
    return dict(result)


def _whole_units(wards):
    """The managing units whose wards `wards` are, all of them and no other, as a filter of
    their tallies (an empty one when `wards` are every ward); None when `wards` are not such a
    union of whole units."""
    if not wards.query.has_filters():
        return Q()
    districts = whole_districts(wards)
    return None if districts is None else Q(district__in=districts)


def _unit_tallies(units, months):
    """The month tallies (first and last month) of `units` (see `_whole_units`); None when
    the wards are not whole units."""
    return None if units is None else DistrictMonth.objects.filter(units, month__range=months)


def _member_tallies(wards, units):
    """The member tallies of `wards`: their units' when they are whole units (a person who
    sits in teams of two units is counted in each)."""
    if units is None:
        return _in_wards(WardMembers.objects.all(), wards)
    return DistrictMembers.objects.filter(units)


def whole_districts(wards):
    """The ids of the managing units whose wards `wards` (a queryset) are, all of them and no
    other; None when `wards` are not such a union of whole units."""
    rows = (
        Ward.objects.filter(district__in=wards.values("district"))
        .values("district")
        .annotate(wards=Count("pk"), chosen=Count("pk", filter=Q(pk__in=wards.values("pk"))))
        .order_by()
    )
    districts = []
    for row in rows:
        if row["wards"] != row["chosen"]:
            return None
        districts.append(row["district"])
    return districts


def _members_by_organisation(wards, units):
    """The current members of `wards` per organisation they represent: {code: count}, from
    the tallies."""
    rows = (
        _member_tallies(wards, units)
        .exclude(organisation="")
        .values("organisation")
        .annotate(count=Sum("members"))
        .order_by()
    )
    return {row["organisation"]: row["count"] for row in rows if row["count"]}


def resolution_days_median(*, wards, period):
    """The median number of days feedback received in the period took to be resolved (None
    when none is resolved): one query, grouped by the number of days."""
    days = ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=DurationField())
    rows = (
        _in_wards(
            CitizenFeedback.objects.filter(
                received_on__range=(period.start, period.end),
                status=CitizenFeedback.Status.RESOLVED,
            ),
            wards,
        )
        .values(days=days)
        .annotate(count=Count("*"))  # from the index alone (feedback_resolution_idx)
        .order_by("days")
    )
    spread = [(row["days"].days, row["count"]) for row in rows]
    total = sum(count for _days, count in spread)
    if not total:
        return None
    return (_value_at(spread, (total - 1) // 2) + _value_at(spread, total // 2)) / 2


def _value_at(spread, position):
    """The value at `position` of the sorted values that `spread` counts."""
    seen = 0
    for value, count in spread:
        seen += count
        if position < seen:
            return value
    raise IndexError(position)


def residential_groups(*, ward, user):
    """The residential groups of a ward with their teams, by code."""
    return (
        ResidentialGroup.objects.visible_to(user)
        .filter(ward=ward)
        .select_related("team")
        .order_by("code")
    )


def ward_groups(*, ward, user):
    """The residential groups of a ward, each with its team and current member count."""
    return residential_groups(ward=ward, user=user).annotate(
        member_count=Count("team__members", filter=Q(team__members__left_on__isnull=True))
    )


def district_totals(*, district):
    """Counts of a district's records, for the summary `load_demo` prints."""
    return {
        "wards": Ward.objects.filter(district=district).count(),
        **{
            name: model.objects.in_wards(Ward.objects.filter(district=district)).count()
            for name, model in (
                ("groups", ResidentialGroup),
                ("teams", Team),
                ("members", Member),
                ("activities", Activity),
                ("feedback", CitizenFeedback),
            )
        },
    }


def ward_home(*, ward, user):
    """What a ward's home shows: its groups and teams, the latest activities, open feedback
    and the tasks given to it."""
    open_feedback = (
        CitizenFeedback.objects.visible_to(user)
        .in_ward(ward)
        .exclude(status=CitizenFeedback.Status.RESOLVED)
    )
    return {
        "groups": ward_groups(ward=ward, user=user),
        "activities": Activity.objects.visible_to(user)
        .in_ward(ward)
        .select_related("team__residential_group")
        .order_by("-date", "title")[:8],
        "open_feedback": open_feedback.select_related("team__residential_group").order_by(
            "-received_on"
        )[:8],
        "open_feedback_count": open_feedback.count(),
        "overdue_feedback_count": open_feedback.filter(CitizenFeedback.overdue()).count(),
        "assignments": ward_assignments(ward=ward, user=user),
    }


@dataclasses.dataclass(frozen=True)
class Lineage:
    """Where a ward came from and what became of it, by reorganisation."""

    came_from: list  # (reorganisation, [(predecessor ward, note, [(old group, new group)])])
    became: list  # (reorganisation, [(successor ward or None, note)])
    history: list  # on today's boundaries: [(year, activities, feedback)], when asked for

    def wards(self):
        """Every ward the lineage names."""
        for _reorganisation, rows in self.came_from:
            yield from (ward for ward, _note, _groups in rows)
        for _reorganisation, rows in self.became:
            yield from (ward for ward, _note in rows)


def ward_lineage(*, ward, with_history=False):
    """The reorganisations that made `ward` and ended it, with the groups that came to it;
    with `with_history`, its predecessors' records (and its own) by year, summed over the
    residential groups that came to it: three queries, six with the history."""
    came = (
        WardSuccession.objects.filter(successor=ward)
        .select_related("reorganisation", "predecessor")
        .order_by("-reorganisation__effective_on", "predecessor__sort_name")
    )
    groups = defaultdict(list)
    for succession in GroupSuccession.objects.filter(successor__ward=ward).select_related(
        "predecessor__ward", "successor"
    ):
        if succession.predecessor is not None:
            key = (succession.reorganisation_id, succession.predecessor.ward_id)
            groups[key].append((succession.predecessor, succession.successor))
    came_from = defaultdict(list)
    for succession in came:
        pairs = groups.get((succession.reorganisation_id, succession.predecessor_id), [])
        came_from[succession.reorganisation].append(
            (succession.predecessor, succession.note, sorted(pairs, key=lambda p: p[0].code))
        )
    became = defaultdict(list)
    for succession in (
        WardSuccession.objects.filter(predecessor=ward)
        .select_related("reorganisation", "successor")
        .order_by("successor__sort_name")
    ):
        became[succession.reorganisation].append((succession.successor, succession.note))
    history = []
    if with_history:
        # The groups' ids are read first: with them as a subquery, PostgreSQL joined every
        # activity of the country to its team before filtering (2 s at national scale).
        places = ResidentialGroup.objects.filter(
            Q(ward=ward)
            | Q(pk__in=GroupSuccession.objects.filter(successor__ward=ward).values("predecessor"))
        )
        history = _records_by_year(list(places.values_list("pk", flat=True)))
    return Lineage(came_from=list(came_from.items()), became=list(became.items()), history=history)


def _records_by_year(groups):
    """[(year, activities, feedback)] of the teams of `groups` (their ids), newest first."""
    counts = defaultdict(lambda: [0, 0])
    for index, (model, date_field) in enumerate(
        ((Activity, "date"), (CitizenFeedback, "received_on"))
    ):
        rows = (
            model.objects.filter(team__residential_group__in=groups)
            .annotate(year=ExtractYear(date_field))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row["year"]][index] = row["count"]
    return [(year, *counts[year]) for year in sorted(counts, reverse=True)]
