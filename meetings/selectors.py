"""Reads of seminars, shaped for pages and reports."""

import dataclasses
import datetime

from django.db.models import Count, Prefetch

from wards.models import Ward

from .models import Attendee, Seminar, SeminarSession

LEADER_ROLES = [Attendee.Role.CHAIR, Attendee.Role.DIRECTING, Attendee.Role.GUEST]


@dataclasses.dataclass(frozen=True)
class SessionFacts:
    number: int
    date: datetime.date
    venue: str
    wards: list[Ward]
    contribution_count: int


@dataclasses.dataclass(frozen=True)
class SeminarFacts:
    sessions: list[SessionFacts]
    leaders: list[Attendee]
    contribution_count: int
    directive_point_count: int
    task_count: int
    assignment_count: int

    @property
    def ward_count(self):
        return len({ward.pk for session in self.sessions for ward in session.wards})


def seminar_facts(*, seminar: Seminar) -> SeminarFacts:
    """The numbers a seminar report states, counted from the records (four queries)."""
    sessions = (
        SeminarSession.objects.filter(seminar=seminar)
        .annotate(contribution_count=Count("contributions"))
        .prefetch_related(Prefetch("wards", queryset=Ward.objects.order_by("name")))
    )
    counts = Seminar.objects.filter(pk=seminar.pk).aggregate(
        point_count=Count("directive_points", distinct=True),
        task_count=Count("tasks", distinct=True),
        assignment_count=Count("tasks__assignments", distinct=True),
    )
    session_facts = [
        SessionFacts(
            number=session.number,
            date=session.date,
            venue=session.venue,
            wards=list(session.wards.all()),
            contribution_count=session.contribution_count,
        )
        for session in sessions
    ]
    return SeminarFacts(
        sessions=session_facts,
        leaders=list(seminar.attendees.filter(role__in=LEADER_ROLES).order_by("order")),
        contribution_count=sum(session.contribution_count for session in session_facts),
        directive_point_count=counts["point_count"],
        task_count=counts["task_count"],
        assignment_count=counts["assignment_count"],
    )
