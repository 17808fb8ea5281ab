"""Team reorganisation (kiện toàn tổ dân vận) after residential groups merge or split: the
teams of a new group's predecessors become one team for it, with the leader chosen and the
members carried. Each member's time in the old team is closed on the last day before the
group began and a new membership opened on its first day: never overwritten.

`preview()` says what `apply()` would do; `apply()` does it in one transaction and refuses a
group that already has a team.
"""

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.signals import writes_batched
from people.models import Person
from wards.models import GroupSuccession, ResidentialGroup

from .models import Activity, CitizenFeedback, Member, Team


def records_after_the_end(sender, groups, day, **kwargs):
    """Sentences naming the records of `groups` dated from `day`, when they no longer exist
    (`wards.reorganisations.units_ending`): their date is wrong, or they belong under the
    successor; the officer corrects them before the reorganisation is applied."""
    found = []
    for model in (Activity, CitizenFeedback, Member):
        rows = (
            model.objects.filter(
                team__residential_group__in=groups, **{f"{model.date_field}__gte": day}
            )
            .values_list("team__residential_group")
            .annotate(count=Count("pk"))
        )
        found += [(group, model, count) for group, count in rows]
    named = {group.pk: group for group in groups}
    return [
        _(
            "%(group)s ends on %(last)s, but %(count)s %(records)s of it are dated from "
            "%(day)s: correct their date, or record them under the unit of that day, before "
            "applying the reorganisation."
        )
        % {
            "group": named[group],
            "last": (day - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            "count": count,
            "records": model._meta.verbose_name_plural,
            "day": day.strftime("%d/%m/%Y"),
        }
        for group, model, count in sorted(found, key=lambda row: (row[0], row[1].__name__))
    ]


class TeamReorganisationRefused(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Seat:
    member: Member  # the membership that ends
    role: str  # the role in the new team


@dataclasses.dataclass(frozen=True)
class Preview:
    group: object  # the new residential group
    teams: list  # the predecessors' teams
    seats: list  # Seat of each current member, in the order of the old teams
    leader: Member | None

    @property
    def last_day(self):
        """The last day of the old memberships: the day before the group began."""
        return self.group.valid_from - datetime.timedelta(days=1)


def preview(group, *, user, leader=None):
    """What reorganising the teams of `group`'s predecessors into one would do, for `user`:
    each current member carried; `leader` (one of them) leads, else the leader of the first
    old team; the other leaders become members, and one deputy is kept. The team of a group
    that was split in parts is not carried (its members live in several new groups: each is
    added to the team of theirs); one of a ward the user does not see refuses the whole (the
    staff of the managing unit, who see both, make the team)."""
    if group.valid_from is None:
        raise TeamReorganisationRefused(
            _("This residential group was not made by a reorganisation.")
        )
    if group.valid_until is not None and group.valid_until < timezone.localdate():
        raise TeamReorganisationRefused(
            _("%(group)s has ended: it is given no new team.") % {"group": group}
        )
    if Team.objects.filter(residential_group=group).exists():
        raise TeamReorganisationRefused(
            _("%(group)s already has a mobilization team.") % {"group": group}
        )
    elsewhere = GroupSuccession.objects.filter(predecessor=OuterRef("predecessor")).exclude(
        successor=group
    )
    whole = GroupSuccession.objects.filter(successor=group, predecessor__isnull=False).exclude(
        Exists(elsewhere)
    )
    # `user` None: the system (the demo data), which sees every team.
    seen = (
        Value(True)
        if user is None
        else Exists(Team.objects.visible_to(user).filter(pk=OuterRef("pk")))
    )
    teams = list(
        Team.objects.filter(residential_group__in=whole.values("predecessor"))
        .annotate(seen=seen)
        .select_related("residential_group__ward")
        .order_by("residential_group__ward__sort_name", "residential_group__code")
    )
    if not all(team.seen for team in teams):
        raise TeamReorganisationRefused(
            _(
                "Some of the teams it comes from are of a ward you do not see: the staff of "
                "the managing unit make its team."
            )
        )
    members = list(
        Member.objects.filter(team__in=teams, left_on__isnull=True)
        .select_related("person")
        .order_by("team", "pk")
    )
    members.sort(key=lambda member: [team.pk for team in teams].index(member.team_id))
    if leader is not None and leader not in members:
        raise TeamReorganisationRefused(
            _("The leader must be a current member of one of the old teams.")
        )
    if leader is None:
        leader = next((m for m in members if m.role == Member.Role.LEADER), None)
    deputy = next((m for m in members if m.role == Member.Role.DEPUTY and m != leader), None)
    seats, seated = [], {leader.person_id} if leader else set()
    for member in members:
        if member != leader and member.person_id in seated:
            continue  # a person in two of the old teams takes one seat in the new one
        seated.add(member.person_id)
        if member == leader:
            role = Member.Role.LEADER
        elif member == deputy:
            role = Member.Role.DEPUTY
        else:
            role = Member.Role.MEMBER
        seats.append(Seat(member, role))
    return Preview(group=group, teams=teams, seats=seats, leader=leader)


@transaction.atomic
def apply(plan):
    """Make the team of `plan.group` (a `preview()`) and carry its members; returns it."""
    with writes_batched():  # the tallies counted once, not once a member
        return _apply(plan)


def _apply(plan):
    group = plan.group
    # Two submissions at once (a double click) wait for each other here, and the second
    # finds the first one's team: a refusal, not a clash of the unique key.
    ResidentialGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk").get()
    if Team.objects.filter(residential_group=group).exists():
        raise TeamReorganisationRefused(
            _("%(group)s already has a mobilization team.") % {"group": group}
        )
    first_day, last_day = group.valid_from, plan.last_day
    team = Team.objects.create(residential_group=group, founded_on=first_day)
    for seat in plan.seats:
        old = seat.member
        old.left_on = max(last_day, old.joined_on) if old.joined_on else last_day
        old.save(update_fields=["left_on", "updated_at"])
    # The people who lived in the old groups live in the new one now, as their seats do.
    moved = list(
        Person.objects.filter(
            pk__in=[seat.member.person_id for seat in plan.seats],
            residential_group__in=[old.residential_group_id for old in plan.teams],
        )
    )
    for person in moved:
        person.residential_group = group
    bulk_update_with_history(moved, Person, ["residential_group"], default_user=None)
    Member.objects.bulk_create(
        [
            Member(
                team=team,
                person_id=seat.member.person_id,  # the same person, in the new team
                is_party_member=seat.member.is_party_member,
                organisation=seat.member.organisation,
                role=seat.role,
                joined_on=first_day,
            )
            for seat in plan.seats
        ]
    )
    return team
