"""Reads of the workspace: one ward's records, always through the user's scope."""

from django.db.models import Exists, OuterRef

from core.text import search_filter
from people.models import Person

from .models import Activity, CitizenFeedback, Member, PrestigiousPerson


def _common(rows, filters, search_field="search_text"):
    if filters.get("q"):
        rows = rows.filter(search_filter(filters["q"], field=search_field))
    if filters.get("group"):
        rows = rows.filter(team__residential_group=filters["group"])
    return rows


def _period(rows, filters, date_field):
    if filters.get("date_from"):
        rows = rows.filter(**{f"{date_field}__gte": filters["date_from"]})
    if filters.get("date_to"):
        rows = rows.filter(**{f"{date_field}__lte": filters["date_to"]})
    return rows


def member_rows(*, ward, user, filters, ordering):
    """The ward's members matching `filters` (current ones unless asked otherwise)."""
    rows = _common(
        # Every row shows and exports its person, its group, and its ward's code.
        with_managed_person(
            Member.objects.visible_to(user)
            .in_ward(ward)
            .select_related(Member.ward_path, "person__residential_group"),
            user,
        ),
        filters,
        search_field="person__search_text",
    )
    for name in ("organisation", "role"):
        if filters.get(name):
            rows = rows.filter(**{name: filters[name]})
    if filters.get("party"):
        rows = rows.filter(is_party_member=filters["party"] == "yes")
    status = filters.get("status") or "current"
    if status == "current":
        rows = rows.filter(left_on__isnull=True)
    elif status == "former":
        rows = rows.filter(left_on__isnull=False)
    return rows.order_by(*ordering)


def activity_rows(*, ward, user, filters, ordering):
    rows = _common(
        # Every row shows and exports its group, and its ward's code.
        Activity.objects.visible_to(user).in_ward(ward).select_related(Activity.team_ward_path),
        filters,
    )
    if filters.get("field"):
        rows = rows.filter(field=filters["field"])
    return _period(rows, filters, "date").order_by(*ordering)


def feedback_rows(*, ward, user, filters, ordering):
    rows = _common(
        # Every row shows and exports its group, and its ward's code.
        CitizenFeedback.objects.visible_to(user)
        .in_ward(ward)
        .select_related(CitizenFeedback.ward_path),
        filters,
    )
    for name in ("field", "status"):
        if filters.get(name):
            rows = rows.filter(**{name: filters[name]})
    if filters.get("overdue"):
        rows = rows.filter(CitizenFeedback.overdue())
    return _period(rows, filters, "received_on").order_by(*ordering)


def with_managed_person(members, user):
    """`members` each with `person_managed`: whether `user` may change their person, and so
    see the person's personal data (a person lives in a ward, which may not be the team's)."""
    managed = Person.objects.managed_by(user).filter(pk=OuterRef("person"))
    return members.annotate(person_managed=Exists(managed))


def team_page(*, team, user):
    """A team's current members (leader first), latest activities and open feedback."""
    members = (
        Member.objects.visible_to(user)
        .filter(team=team, left_on__isnull=True)
        .select_related("person")
        .order_by(Member.role_rank(), "person__sort_name", "pk")
    )
    members = with_managed_person(members, user)
    activities = Activity.objects.visible_to(user).filter(team=team).order_by("-date")[:10]
    feedback = (
        CitizenFeedback.objects.visible_to(user)
        .filter(team=team)
        .exclude(status=CitizenFeedback.Status.RESOLVED)
        .order_by("-received_on")[:10]
    )
    prestigious = (
        PrestigiousPerson.objects.visible_to(user)
        .filter(residential_group=team.residential_group, until__isnull=True)
        .select_related("person")
        .order_by("person__sort_name")
    )
    return {
        "members": members,
        "activities": activities,
        "open_feedback": feedback,
        "prestigious": prestigious,
    }
