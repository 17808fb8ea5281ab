"""Reads for the landing pages and dashboards, always through the user's scope.

The dashboards' figures come from a fixed number of grouped aggregate queries, whatever the
number of wards, groups and records: the totals of the wards in view, the same per ward (or per
residential group) for one page of them, activities per month and field, members per
organisation, and the spread of the days feedback took to resolve.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth

from meetings.selectors import ward_assignments
from teams.models import Activity, CitizenFeedback, Member, Team
from wards.models import ResidentialGroup, Ward


def wards_in_scope(*, user):
    """The wards `user` sees, named by their ids (read once). With the ids written out, the
    planner knows how few wards it aggregates and reads their rows through the teams'
    indexes; behind a subquery of the scope it scanned a year of every ward's activities
    (825 ms against 28 ms for a district of the national data)."""
    ids = list(Ward.objects.visible_to(user).values_list("pk", flat=True))
    return Ward.objects.filter(pk__in=ids)


def percent(part, whole):
    return round(100 * part / whole) if whole else None


@dataclasses.dataclass
class Figures:
    """The key figures of some wards (or one group) for a period. Groups, teams and members
    are counted as they stand; activities and feedback received within the period, and of
    that feedback, what has been resolved."""

    groups: int = 0
    teams: int = 0
    members: int = 0
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


# How each counted model reaches a ward and a residential group.
PATHS = {
    ResidentialGroup: ("ward", "pk"),
    Member: ("team__residential_group__ward", "team__residential_group"),
    Activity: ("team__residential_group__ward", "team__residential_group"),
    CitizenFeedback: ("team__residential_group__ward", "team__residential_group"),
}


def _sources(period):
    """Each counted model with its rows of the period and the figures it gives."""
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
        (
            Activity.objects.filter(date__range=(period.start, period.end)),
            {"activities": Count("pk"), "households": Sum("households_reached")},
        ),
        (
            CitizenFeedback.objects.filter(received_on__range=(period.start, period.end)),
            {
                "feedback_received": Count("pk"),
                "feedback_resolved": Count("pk", filter=Q(status=CitizenFeedback.Status.RESOLVED)),
            },
        ),
    ]


def _in_wards(queryset, wards):
    return queryset.filter(**{f"{PATHS[queryset.model][0]}__in": wards.values("pk")}).order_by()


def dashboard_totals(*, wards, period) -> Figures:
    """The figures of `wards` (a queryset) as a whole: four queries."""
    figures = Figures()
    for rows, aggregates in _sources(period):
        for name, value in _in_wards(rows, wards).aggregate(**aggregates).items():
            setattr(figures, name, value or 0)
    return figures


def figures_by_unit(*, wards, period, by, units=None) -> dict[int, Figures]:
    """The figures of each ward of `wards` or each of its residential groups (`by` "ward" or
    "group"), by its primary key; only of `units` (a page of them) when given. Four grouped
    queries."""
    level = 0 if by == "ward" else 1
    results = defaultdict(Figures)
    for rows, aggregates in _sources(period):
        path = PATHS[rows.model][level]
        rows = _in_wards(rows, wards)
        if units is not None:
            rows = rows.filter(**{f"{path}__in": [unit.pk for unit in units]})
        grouped = rows.values(unit=F(path)).annotate(**aggregates)
        for row in grouped:
            figures = results[row.pop("unit")]
            for name, value in row.items():
                setattr(figures, name, value or 0)
    return results


def with_period_activities(wards, *, period):
    """`wards` with the number of their activities in the period (`period_activities`), to
    sort them by how active they were."""
    return wards.annotate(
        period_activities=Count(
            "residential_groups__team__activities",
            filter=Q(residential_groups__team__activities__date__range=(period.start, period.end)),
        )
    )


def activities_by_month(*, wards, period):
    """{(first day of the month, field): (activities, households reached)} in the period."""
    rows = (
        _in_wards(Activity.objects.filter(date__range=(period.start, period.end)), wards)
        .values("field", month=TruncMonth("date"))
        .annotate(count=Count("pk"), households=Sum("households_reached"))
    )
    return {
        (_as_date(row["month"]), row["field"]): (row["count"], row["households"] or 0)
        for row in rows
    }


def _as_date(value):
    # TruncMonth of a date column is a date on PostgreSQL, a datetime on some SQLite builds.
    return value.date() if isinstance(value, datetime.datetime) else value


def members_by_organisation(*, wards):
    """The current members of `wards` per organisation they represent: {code: count}."""
    rows = (
        _in_wards(Member.objects.filter(left_on__isnull=True), wards)
        .values("organisation")
        .annotate(count=Count("pk"))
    )
    return {row["organisation"]: row["count"] for row in rows}


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
        .annotate(count=Count("pk"))
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
    in_district = {"team__residential_group__ward__district": district}
    return {
        "wards": Ward.objects.filter(district=district).count(),
        "groups": ResidentialGroup.objects.filter(ward__district=district).count(),
        "teams": Team.objects.filter(residential_group__ward__district=district).count(),
        "members": Member.objects.filter(**in_district).count(),
        "activities": Activity.objects.filter(**in_district).count(),
        "feedback": CitizenFeedback.objects.filter(**in_district).count(),
    }


def ward_home(*, ward, user):
    """What a ward's home shows: its groups and teams, the latest activities, open feedback
    and the tasks given to it."""
    in_ward = {"team__residential_group__ward": ward}
    open_feedback = (
        CitizenFeedback.objects.visible_to(user)
        .filter(**in_ward)
        .exclude(status=CitizenFeedback.Status.RESOLVED)
    )
    return {
        "groups": ward_groups(ward=ward, user=user),
        "activities": Activity.objects.visible_to(user)
        .filter(**in_ward)
        .select_related("team__residential_group")
        .order_by("-date", "title")[:8],
        "open_feedback": open_feedback.select_related("team__residential_group").order_by(
            "-received_on"
        )[:8],
        "open_feedback_count": open_feedback.count(),
        "assignments": ward_assignments(ward=ward, user=user),
    }
