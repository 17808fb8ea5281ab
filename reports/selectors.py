"""Reads for the landing pages, always through the user's scope."""

from django.db.models import Count, Q

from meetings.selectors import ward_assignments
from teams.models import Activity, CitizenFeedback, Member, Team
from wards.models import ResidentialGroup, Ward


def wards_overview(*, user):
    """The wards `user` sees, with their numbers of groups, teams and current members."""
    return (
        Ward.objects.visible_to(user)
        .select_related("district")
        .annotate(
            group_count=Count("residential_groups", distinct=True),
            team_count=Count("residential_groups__team", distinct=True),
            member_count=Count(
                "residential_groups__team__members",
                filter=Q(residential_groups__team__members__left_on__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def ward_groups(*, ward, user):
    """The residential groups of a ward, each with its team and current member count."""
    return (
        ResidentialGroup.objects.visible_to(user)
        .filter(ward=ward)
        .select_related("team")
        .annotate(
            member_count=Count("team__members", filter=Q(team__members__left_on__isnull=True))
        )
        .order_by("code")
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
