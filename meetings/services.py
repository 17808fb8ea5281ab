"""Writes of the meetings app."""

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from wards.models import Ward

from .models import Contribution, DirectiveTask, TaskAssignment


@transaction.atomic
def progress_report_save(*, form, assignment, user):
    """Save a ward's report on its task, signed by the user who sent it, now."""
    report = form.save(commit=False)
    report.assignment = assignment
    if report.pk is None:
        report.reported_by = user
    report.reported_at = timezone.now()
    report.save()
    return report


class RowsRefused(Exception):
    """Rows of a seminar's part that the database refuses; nothing of them is saved."""


@transaction.atomic
def seminar_save(*, form, district):
    seminar = form.save(commit=False)
    if seminar.pk is None:
        seminar.district = district
    seminar.save()
    return seminar


def seminar_rows_save(*, formset, seminar):
    """Save the rows of one of a seminar's parts (clusters, attendees, contributions, points,
    tasks) all or nothing, then give every task to every ward of the clusters."""
    try:
        with transaction.atomic():
            for form in formset.deleted_forms:
                if form.instance.pk:
                    form.instance.delete()
            due_dates = {}
            for form in formset.forms:
                if form in formset.deleted_forms or not form.has_changed():
                    continue
                row = form.save(commit=False)
                if isinstance(row, Contribution) and row.order is None:
                    row.order = next_contribution_order(row.session)
                row.save()
                form.save_m2m()
                if isinstance(row, DirectiveTask):
                    due_dates[row.pk] = form.cleaned_data.get("due_on")
            tasks_assign(seminar=seminar, due_dates=due_dates)
    except ProtectedError as error:
        raise RowsRefused(
            _("%(row)s already has progress reports; it cannot be deleted.")
            % {"row": next(iter(error.protected_objects)).assignment.task}
        ) from error
    except IntegrityError as error:
        raise RowsRefused(_("Two rows have the same number; give each its own.")) from error


def next_contribution_order(session):
    last = session.contributions.aggregate(last=Max("order"))["last"]
    return (last or 0) + 1


def tasks_assign(*, seminar, due_dates):
    """Give each task of `seminar` to every ward of its clusters that lacks it; set the due
    date of the tasks in `due_dates` ({task id: date or None}) on all their assignments."""
    wards = list(
        Ward.objects.filter(seminar_sessions__seminar=seminar)
        .distinct()
        .values_list("pk", flat=True)
    )
    given = set(
        TaskAssignment.objects.filter(task__seminar=seminar).values_list("task_id", "ward_id")
    )
    tasks = list(seminar.tasks.all())
    earliest = {
        row["task_id"]: row["due"]
        for row in TaskAssignment.objects.filter(task__seminar=seminar)
        .values("task_id")
        .annotate(due=Min("due_on"))
    }
    new = [
        TaskAssignment(
            task=task, ward_id=ward, due_on=due_dates.get(task.pk, earliest.get(task.pk))
        )
        for task in tasks
        for ward in wards
        if (task.pk, ward) not in given
    ]
    bulk_create_with_history(new, TaskAssignment)
    changed = []
    for assignment in TaskAssignment.objects.filter(task_id__in=due_dates):
        if assignment.due_on != due_dates[assignment.task_id]:
            assignment.due_on = due_dates[assignment.task_id]
            changed.append(assignment)
    bulk_update_with_history(changed, TaskAssignment, ["due_on"])
