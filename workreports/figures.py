"""The figures of a ward's work report, counted from its records for a period: what the
officer checks, corrects with a reason where the records are incomplete, and sends."""

import dataclasses
import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.work_fields import WorkField
from meetings.models import ProgressReport, TaskAssignment
from teams.models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Training,
)

# Feedback not resolved this many days after it came in is overdue (the time a body has to
# answer a petition it was forwarded).
FEEDBACK_ANSWER_DAYS = 30


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    section: str

    @property
    def column(self):
        """Its name in a workbook's column, where the section is not above it."""
        if self.section in BY_FIELD:
            return f"{BY_FIELD[self.section]}: {self.label}"
        return str(self.label)


SECTIONS = {
    "activities": _("Activities of the mobilization teams, by field"),
    "households": _("Households reached, by field"),
    "feedback": _("Citizen feedback"),
    "members": _("Mobilization teams"),
    "work": _("Training, prestigious people and “Dân vận khéo” models"),
    "tasks": _("Progress on the tasks given to the ward"),
}

BY_FIELD = {"activities": _("Activities"), "households": _("Households reached")}

FIGURES = [
    *(Figure(f"activities.{code}", label, "activities") for code, label in WorkField.choices),
    *(Figure(f"households.{code}", label, "households") for code, label in WorkField.choices),
    Figure("feedback_received", _("Feedback received"), "feedback"),
    Figure("feedback_resolved", _("of which resolved"), "feedback"),
    Figure(
        "feedback_overdue",
        _("Unresolved after %(days)s days") % {"days": FEEDBACK_ANSWER_DAYS},
        "feedback",
    ),
    Figure("people", _("People in the teams at the end of the period, each once"), "members"),
    Figure(
        "members",
        _("Seats in the teams at the end of the period (a person in two, twice)"),
        "members",
    ),
    Figure("party_members", _("of whom party members"), "members"),
    Figure("trainings", _("Trainings the ward organised"), "work"),
    Figure("prestigious_people", _("Prestigious people the teams work with"), "work"),
    Figure("exemplary_models", _("“Dân vận khéo” models registered this year"), "work"),
    Figure("tasks_assigned", _("Tasks given"), "tasks"),
    Figure("tasks_completed", _("Completed"), "tasks"),
    Figure("tasks_overdue", _("Overdue and not completed"), "tasks"),
]
KEYS = [figure.key for figure in FIGURES]


def count_figures(*, ward, start, end) -> dict[str, int]:
    """The report's figures for `ward` from `start` to `end`, from its records: activities
    and feedback dated in the period, members and tasks as they stood at its end. Seven
    queries, whatever the number of records."""
    figures = dict.fromkeys(KEYS, 0)
    activities = (
        Activity.objects.in_ward(ward)
        .filter(date__range=(start, end))
        .order_by()
        .values("field")
        .annotate(count=Count("pk"), households=Sum("households_reached"))
    )
    for row in activities:
        figures[f"activities.{row['field']}"] = row["count"]
        figures[f"households.{row['field']}"] = row["households"] or 0
    overdue_from = end - datetime.timedelta(days=FEEDBACK_ANSWER_DAYS)
    unresolved = Q(resolved_on__isnull=True) | Q(resolved_on__gt=end)
    figures.update(
        CitizenFeedback.objects.in_ward(ward).aggregate(
            feedback_received=Count("pk", filter=Q(received_on__range=(start, end))),
            feedback_resolved=Count(
                "pk",
                filter=Q(received_on__range=(start, end), resolved_on__lte=end),
            ),
            feedback_overdue=Count("pk", filter=Q(received_on__lte=overdue_from) & unresolved),
        )
    )
    members = Member.objects.in_ward(ward).filter(
        Q(joined_on__isnull=True) | Q(joined_on__lte=end),
        Q(left_on__isnull=True) | Q(left_on__gt=end),
    )
    figures.update(
        members.aggregate(
            people=Count("person", distinct=True),
            members=Count("pk"),
            party_members=Count("pk", filter=Q(is_party_member=True)),
        )
    )
    figures["trainings"] = Training.objects.in_ward(ward).filter(date__range=(start, end)).count()
    figures["prestigious_people"] = PrestigiousPerson.objects.in_ward(ward).count()
    figures["exemplary_models"] = (
        ExemplaryModel.objects.in_ward(ward).filter(year=end.year).count()
    )
    figures.update(_tasks(ward, start, end))
    return figures


def _tasks(ward, start, end):
    """The ward's tasks of directives signed by the period's end and not handed over (to a
    successor ward, or to the next year's directive) by its first day, and by their latest
    report up to its end, how many are completed and how many overdue."""
    assignments = TaskAssignment.objects.filter(
        Q(handed_over_on__isnull=True) | Q(handed_over_on__gt=start),
        Q(task__directive__signed_on__isnull=True) | Q(task__directive__signed_on__lte=end),
        ward=ward,
    ).with_latest_report(until=end)
    still_open = Q(latest_status__isnull=True) | ~Q(latest_status=ProgressReport.Status.COMPLETED)
    return assignments.aggregate(
        tasks_assigned=Count("pk"),
        tasks_completed=Count("pk", filter=Q(latest_status=ProgressReport.Status.COMPLETED)),
        tasks_overdue=Count("pk", filter=Q(due_on__lt=end) & still_open),
    )


def reported(counted, corrections):
    """The figures as reported: counted, or as the officer corrected them."""
    return {
        key: corrections[key]["value"] if key in corrections else counted.get(key, 0)
        for key in KEYS
    }


def total(figures, section):
    return sum(figures.get(f.key, 0) for f in FIGURES if f.section == section)
