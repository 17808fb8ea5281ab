"""What a reorganisation does to the directive tasks (`wards.reorganisations`): a task still
open in a ward that ended is carried to each of its successors, as their own assignment
linked to the old one; the old assignment is handed over (chuyển giao), its reports kept."""

from django.db.models import Q

from .models import ProgressReport, TaskAssignment


def carry_open_tasks(sender, reorganisation, wards, **kwargs):
    day = reorganisation.effective_on
    successors = {}
    for old, new in wards:
        if old is not None and new is not None and old.valid_until is not None:
            successors.setdefault(old.pk, []).append(new)
    if not successors:
        return
    done = ProgressReport.objects.filter(
        status=ProgressReport.Status.COMPLETED, period_start__lt=day
    ).values("assignment")
    open_tasks = (
        TaskAssignment.objects.filter(ward__in=list(successors), handed_over_on__isnull=True)
        .exclude(pk__in=done)
        .select_related("task")
    )
    taken = set(
        TaskAssignment.objects.filter(
            Q(ward__in=[new for news in successors.values() for new in news])
        ).values_list("task", "ward")
    )
    carried, handed_over = [], []
    for assignment in open_tasks:
        for new in successors[assignment.ward_id]:
            if (assignment.task_id, new.pk) not in taken:
                taken.add((assignment.task_id, new.pk))
                carried.append(
                    TaskAssignment(
                        task=assignment.task,
                        ward=new,
                        due_on=assignment.due_on,
                        carried_from=assignment,
                    )
                )
        assignment.handed_over_on = day
        handed_over.append(assignment)
    TaskAssignment.objects.bulk_create(carried)
    for assignment in handed_over:
        assignment.save(update_fields=["handed_over_on", "updated_at"])
