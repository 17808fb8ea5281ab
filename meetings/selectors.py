"""Reads of seminars, shaped for pages and reports."""

import dataclasses
import datetime
from collections import Counter, defaultdict

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from core.work_fields import WorkField
from wards.models import Ward

from .models import (
    Attendee,
    Contribution,
    Directive,
    DirectivePoint,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
    TaskAssignment,
)

LEADER_ROLES = [Attendee.Role.CHAIR, Attendee.Role.DIRECTING, Attendee.Role.GUEST]


@dataclasses.dataclass(frozen=True)
class SessionFacts:
    number: int
    date: datetime.date
    venue: str
    wards: list[Ward]
    contributions: list[Contribution]

    @property
    def contribution_count(self):
        return len(self.contributions)


@dataclasses.dataclass(frozen=True)
class SeminarFacts:
    """What a seminar's page and reports state, all counted from its records."""

    sessions: list[SessionFacts]
    leaders: list[Attendee]
    participant_count: int
    points: list[DirectivePoint]
    tasks: list[DirectiveTask]  # each with `due_on` (the earliest) and `ward_count`

    @property
    def conclusion(self):
        """The directive of the tasks (the seminar's conclusion notice), if it gave any."""
        return self.tasks[0].directive if self.tasks else None

    @property
    def ward_count(self):
        return len({ward.pk for session in self.sessions for ward in session.wards})

    @property
    def contribution_count(self):
        return sum(session.contribution_count for session in self.sessions)

    @property
    def directive_point_count(self):
        return len(self.points)

    @property
    def task_count(self):
        return len(self.tasks)

    @property
    def assignment_count(self):
        return sum(task.ward_count for task in self.tasks)

    @property
    def dates(self):
        return sorted({session.date for session in self.sessions})

    def leader(self, role):
        return next((person for person in self.leaders if person.role == role), None)

    @property
    def chair(self):
        return self.leader(Attendee.Role.CHAIR)

    @property
    def directing(self):
        return self.leader(Attendee.Role.DIRECTING)

    @property
    def field_counts(self):
        """The fields the contributions covered, most discussed first: [(label, count)]."""
        counts = Counter(
            code
            for session in self.sessions
            for contribution in session.contributions
            for code in contribution.fields
        )
        return [
            (WorkField(code).label, count)
            for code, count in sorted(
                counts.items(), key=lambda item: (-item[1], WorkField.values.index(item[0]))
            )
        ]


def seminar_facts(*, seminar: Seminar) -> SeminarFacts:
    """The facts of a seminar's page and reports: six queries, whatever its size."""
    sessions = SeminarSession.objects.filter(seminar=seminar).prefetch_related(
        Prefetch("wards", queryset=Ward.objects.order_by("sort_name", "code")),
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related("ward").order_by("order"),
        ),
    )
    attendees = list(seminar.attendees.order_by("order", "full_name"))
    # The seminar's own assignments: those carried to successor wards by a reorganisation
    # continue them, and are not given again.
    tasks = directive_tasks(
        DirectiveTask.objects.filter(directive__seminar=seminar).select_related("directive")
    )
    return SeminarFacts(
        sessions=[
            SessionFacts(
                number=session.number,
                date=session.date,
                venue=session.venue,
                wards=list(session.wards.all()),
                contributions=list(session.contributions.all()),
            )
            for session in sessions
        ],
        leaders=[person for person in attendees if person.role in LEADER_ROLES],
        participant_count=sum(person.role == Attendee.Role.PARTICIPANT for person in attendees),
        points=list(
            seminar.directive_points.select_related("speaker", "session").order_by("number")
        ),
        tasks=list(tasks),
    )


def directive_tasks(tasks):
    """`tasks` by number, each with its earliest due date (`due_on`) and the number of wards
    given it (`ward_count`): the directive's own assignments; those carried to successor
    wards by a reorganisation continue them, and are not given again."""
    given = Q(assignments__carried_from__isnull=True)
    return tasks.annotate(
        due_on=Min("assignments__due_on", filter=given),
        ward_count=Count("assignments", filter=given),
    ).order_by("number")


def seminar_rows(*, user):
    """The seminars `user` sees, latest first, with their first day and their numbers of
    clusters and contributions."""
    return (
        Seminar.objects.visible_to(user)
        .select_related("district")
        .annotate(
            first_day=Min("sessions__date"),
            session_count=Count("sessions", distinct=True),
            contribution_count=Count("sessions__contributions", distinct=True),
        )
        .order_by(F("first_day").desc(nulls_first=True), "-created_at")
    )


def is_overdue(assignment, *, as_of):
    """Due before `as_of` and not completed (by its latest report), nor handed over to a
    successor ward by then."""
    return bool(
        assignment.due_on
        and assignment.due_on < as_of
        and assignment.latest_status != ProgressReport.Status.COMPLETED
        and not is_handed_over(assignment, as_of=as_of)
    )


def is_handed_over(assignment, *, as_of):
    return assignment.handed_over_on is not None and assignment.handed_over_on <= as_of


def status_label(status):
    return ProgressReport.Status(status).label if status else None


def ward_assignments(*, ward, user):
    """The tasks given to a ward by directive (the latest first), in the order of their
    numbers, each with its latest report; `overdue` when the due date has passed and the
    task is not completed; `reported_now` when its latest report is this period's."""
    assignments = list(
        TaskAssignment.objects.visible_to(user)
        .filter(ward=ward)
        .select_related("task__directive")
        .with_latest_report()
        .order_by(
            F("task__directive__signed_on").desc(nulls_last=True),
            "task__directive",
            "task__number",
        )
    )
    today = timezone.localdate()
    for assignment in assignments:
        assignment.overdue = is_overdue(assignment, as_of=today)
        assignment.latest_status_label = status_label(assignment.latest_status)
        period = assignment.task.reporting_period(today)
        assignment.reported_now = assignment.latest_period_end == period.end
    return assignments


def directives_with_tasks(*, user):
    """The directives `user` sees that give tasks (a seminar's conclusion among them), latest
    first."""
    return (
        Directive.objects.visible_to(user)
        .filter(Exists(DirectiveTask.objects.filter(directive=OuterRef("pk"))))
        .order_by(F("signed_on").desc(nulls_last=True), "-created_at")
    )


def matrix_wards(*, directive, wards, start, end):
    """The wards of `wards` (a queryset) given tasks of `directive`, those without a report
    on them for a period overlapping `start`–`end` first (`reported` False), then by name."""
    reported = ProgressReport.objects.filter(
        **{ProgressReport.ward_path: OuterRef("pk")},
        assignment__task__directive=directive,
        period_start__lte=end,
        period_end__gte=start,
    )
    given = TaskAssignment.objects.filter(task__directive=directive).values("ward")
    return (
        Ward.objects.filter(pk__in=wards.values("pk"))
        .filter(pk__in=given)
        .annotate(reported=Exists(reported))
        .order_by("reported", "sort_name", "code")
    )


@dataclasses.dataclass(frozen=True)
class MatrixRow:
    ward: Ward
    reported: bool
    cells: list  # per task: its TaskAssignment (with latest report and `overdue`) or None


def progress_matrix(*, directive, tasks, wards, as_of) -> list[MatrixRow]:
    """One row per ward of `wards` (a page of `matrix_wards`), one cell per task of `tasks`:
    the assignment with its latest status and percent as of the day `as_of` (among reports
    of periods begun by then), `overdue` when due before it and not completed. One query."""
    assignments = (
        TaskAssignment.objects.filter(task__directive=directive, ward__in=[w.pk for w in wards])
        .with_latest_report(until=as_of)
        .order_by()
    )
    cells = {}
    for assignment in assignments:
        assignment.overdue = is_overdue(assignment, as_of=as_of)
        assignment.handed_over = is_handed_over(assignment, as_of=as_of)
        assignment.latest_status_label = status_label(assignment.latest_status)
        cells[assignment.ward_id, assignment.task_id] = assignment
    return [
        MatrixRow(
            ward=ward,
            reported=ward.reported,
            cells=[cells.get((ward.pk, task.pk)) for task in tasks],
        )
        for ward in wards
    ]


@dataclasses.dataclass(frozen=True)
class TaskProgress:
    """How the wards given one task stand on it: counts by latest status (None: no report
    yet), and how many are overdue."""

    task: DirectiveTask
    by_status: dict
    overdue: int

    @property
    def ward_count(self):
        return sum(self.by_status.values())

    @property
    def completed(self):
        return self.by_status.get(ProgressReport.Status.COMPLETED, 0)

    @property
    def in_progress(self):
        return self.by_status.get(ProgressReport.Status.IN_PROGRESS, 0)

    @property
    def not_started(self):
        return self.by_status.get(ProgressReport.Status.NOT_STARTED, 0)

    @property
    def not_reported(self):
        return self.by_status.get(None, 0)


def task_progress(*, directive, tasks, wards, as_of) -> list[TaskProgress]:
    """For each task of `tasks`, where the wards of `wards` (a queryset) given it stand on the
    day `as_of`. One grouped query."""
    rows = (
        TaskAssignment.objects.filter(task__directive=directive, ward__in=wards.values("pk"))
        .with_latest_report(until=as_of)
        .order_by()
        .values(
            "task_id",
            "latest_status",
            due=ExpressionWrapper(Q(due_on__lt=as_of), output_field=BooleanField()),
        )
        .annotate(count=Count("pk"))
    )
    by_status, overdue = defaultdict(Counter), Counter()
    for row in rows:
        status = row["latest_status"]
        by_status[row["task_id"]][status] += row["count"]
        if row["due"] and status != ProgressReport.Status.COMPLETED:
            overdue[row["task_id"]] += row["count"]
    return [
        TaskProgress(task=task, by_status=dict(by_status[task.pk]), overdue=overdue[task.pk])
        for task in tasks
    ]
