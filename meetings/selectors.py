"""Reads of seminars, shaped for pages and reports."""

import dataclasses
import datetime

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.utils import timezone

from wards.models import Ward

from .models import Attendee, ProgressReport, Seminar, SeminarSession, TaskAssignment

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


def ward_assignments(*, ward, user):
    """The tasks given to a ward, each with its latest report, soonest due first; `overdue`
    when the due date has passed and the task is not completed."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by(
        "-period_end", "-reported_at"
    )
    assignments = list(
        TaskAssignment.objects.visible_to(user)
        .filter(ward=ward)
        .select_related("task__seminar")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percent=Subquery(latest.values("percent")[:1]),
        )
        .order_by("due_on", "task__seminar", "task__number")
    )
    today = timezone.localdate()
    for assignment in assignments:
        assignment.overdue = bool(
            assignment.due_on
            and assignment.due_on < today
            and assignment.latest_status != ProgressReport.Status.COMPLETED
        )
        assignment.latest_status_label = (
            ProgressReport.Status(assignment.latest_status).label
            if assignment.latest_status
            else None
        )
    return assignments
