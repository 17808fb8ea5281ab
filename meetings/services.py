"""Writes of the meetings app."""

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from registry.models import DocumentKind
from registry.services import document_issue
from wards.models import Ward

from .models import (
    Contribution,
    Directive,
    DirectiveTask,
    ProgressReport,
    Seminar,
    TaskAssignment,
)


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


def seminar_conclusion(seminar) -> Directive:
    """The seminar's conclusion notice, the directive that holds its tasks (made with the
    first of them)."""
    directive, _created = Directive.objects.get_or_create(
        seminar=seminar,
        defaults={
            "district_id": seminar.district_id,
            "kind": Directive.Kind.CONCLUSION,
            "number": seminar.notice_number,
            "issuer": seminar.organiser,
            "title": seminar.title,
        },
    )
    return directive


class RowsRefused(Exception):
    """Rows of a seminar's part that the database refuses; nothing of them is saved."""


@transaction.atomic
def seminar_save(*, form, district):
    seminar = form.save(commit=False)
    if seminar.pk is None:
        seminar.district = district
    seminar.save()
    return seminar


@contextlib.contextmanager
def rows_saved(formset):
    """Delete the rows ticked for deletion, then let the caller save the changed ones (the
    forms yielded), all in one transaction: a row the database refuses (a number taken
    twice, a task others depend on) refuses them all, with a message."""
    try:
        with transaction.atomic():
            for form in formset.deleted_forms:
                if form.instance.pk:
                    form.instance.delete()
            yield [
                form
                for form in formset.forms
                if form not in formset.deleted_forms and form.has_changed()
            ]
    except ProtectedError as error:
        raise RowsRefused(refused_deletion(error)) from error
    except IntegrityError as error:
        raise RowsRefused(_("Two rows have the same number; give each its own.")) from error


def seminar_rows_save(*, formset, seminar):
    """Save the rows of one of a seminar's parts (clusters, attendees, contributions, points,
    tasks) all or nothing, then give every task to every ward of the clusters."""
    with rows_saved(formset) as changed:
        rows = [form.save(commit=False) for form in changed]
        number_contributions(rows)
        due_dates = {}
        for form, row in zip(changed, rows, strict=True):
            row.save()
            form.save_m2m()
            if isinstance(row, DirectiveTask):
                due_dates[row.pk] = form.cleaned_data.get("due_on")
        tasks_assign(seminar=seminar, due_dates=due_dates)


def directive_tasks_save(*, formset):
    """Save the rows of a directive's tasks all or nothing."""
    with rows_saved(formset) as changed:
        for form in changed:
            form.save()


def refused_deletion(error):
    """Why a task could not be deleted: progress reports on it, or its assignments carried
    to successor wards (both protect it)."""
    row = next(iter(error.protected_objects))
    if isinstance(row, TaskAssignment):
        return _("%(row)s was carried over to successor wards; it cannot be deleted.") % {
            "row": row.task
        }
    return _("%(row)s already has progress reports; it cannot be deleted.") % {
        "row": row.assignment.task
    }


def number_contributions(rows):
    """Give the contributions of `rows` left without a place the next places of their
    cluster, after its last saved one and after those typed in the same rows."""
    contributions = [row for row in rows if isinstance(row, Contribution)]
    last = {}
    for row in contributions:
        if row.session_id not in last:
            saved = row.session.contributions.aggregate(last=Max("order"))["last"] or 0
            typed = [r.order or 0 for r in contributions if r.session_id == row.session_id]
            last[row.session_id] = max(saved, *typed)
    for row in contributions:
        if row.order is None:
            last[row.session_id] += 1
            row.order = last[row.session_id]


def tasks_assign(*, seminar, due_dates):
    """Give each task of `seminar` to every ward of its clusters that lacks it, and take it
    back from wards no longer in a cluster unless they have reported on it; set the due date
    of the tasks in `due_dates` ({task id: date or None}) on all their assignments. The
    assignments a reorganisation carried to successor wards are not the clusters' to give
    or take back: they are left as they are."""
    wards = set(
        Ward.objects.filter(seminar_sessions__seminar=seminar).values_list("pk", flat=True)
    )
    assignments = TaskAssignment.objects.filter(
        task__directive__seminar=seminar, carried_from__isnull=True
    )
    assignments.exclude(ward__in=wards).filter(progress_reports__isnull=True).delete()
    given = set(assignments.values_list("task_id", "ward_id"))
    earliest = {
        row["task_id"]: row["due"]
        for row in assignments.order_by().values("task_id").annotate(due=Min("due_on"))
    }
    new = [
        TaskAssignment(
            task=task, ward_id=ward, due_on=due_dates.get(task.pk, earliest.get(task.pk))
        )
        for task in DirectiveTask.objects.filter(directive__seminar=seminar)
        for ward in sorted(wards)
        if (task.pk, ward) not in given
    ]
    bulk_create_with_history(new, TaskAssignment)
    changed = []
    for assignment in TaskAssignment.objects.filter(task_id__in=due_dates):
        if assignment.due_on != due_dates[assignment.task_id]:
            assignment.due_on = due_dates[assignment.task_id]
            changed.append(assignment)
    bulk_update_with_history(changed, TaskAssignment, ["due_on"])


# The seminar's own documents: its field for the number, their kind in the register, title.
SEMINAR_DOCUMENTS = {
    "report": ("report_number", DocumentKind.REPORT),
    "notice": ("notice_number", DocumentKind.NOTICE),
}


class NumberRefused(Exception):
    """The seminar's document already has its number."""


@transaction.atomic
def seminar_number_issue(*, seminar, document, user, day):
    """Give the seminar's report or conclusion notice (`document`) the next number of its
    managing unit's register, dated `day` (the seminar's last day, as the document is)."""
    field, kind = SEMINAR_DOCUMENTS[document]
    seminar = Seminar.objects.select_for_update().select_related("district").get(pk=seminar.pk)
    if getattr(seminar, field):
        raise NumberRefused(
            _("This document already has its number: %(number)s.")
            % {"number": getattr(seminar, field)}
        )
    title = _("%(document)s of the seminar “%(title)s”") % {
        "document": DocumentKind(kind).label,
        "title": seminar.title,
    }
    issued = document_issue(district=seminar.district, kind=kind, title=title, day=day, user=user)
    setattr(seminar, field, issued.symbol)
    seminar.save(update_fields=[field, "updated_at"])
    if document == "notice":  # the notice is the directive of its tasks
        Directive.objects.filter(seminar=seminar).update(number=issued.symbol, signed_on=day)
    return issued


@transaction.atomic
def directive_assign(*, tasks, wards, due_on) -> int:
    """Give each of `tasks` to each of `wards` that lacks it; with `due_on`, due on that day
    (the assignments already made too). Returns the number of assignments made."""
    pairs = TaskAssignment.objects.filter(task__in=tasks, ward__in=wards)
    given = set(pairs.values_list("task_id", "ward_id"))
    new = [
        TaskAssignment(task=task, ward=ward, due_on=due_on)
        for task in tasks
        for ward in wards
        if (task.pk, ward.pk) not in given
    ]
    bulk_create_with_history(new, TaskAssignment)
    if due_on:
        changed = [assignment for assignment in pairs if assignment.due_on != due_on]
        for assignment in changed:
            assignment.due_on = due_on
        bulk_update_with_history(changed, TaskAssignment, ["due_on"])
    return len(new)


class CarryOverRefused(Exception):
    """Nothing to carry over, or carried over already."""


@transaction.atomic
def directive_carry_over(*, directive, year) -> Directive:
    """The tasks of `directive` still open in some ward (neither completed nor handed over),
    carried into a directive of `year` that continues it: each open assignment goes on there,
    due a year later, and the old one is handed over on the first day of `year`."""
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.continued_by.exists():
        raise CarryOverRefused(_("Its open tasks were carried over already."))
    new_year = datetime.date(year, 1, 1)
    still_open = (
        TaskAssignment.objects.filter(task__directive=directive)
        .filter(Q(handed_over_on__isnull=True) | Q(handed_over_on__gt=new_year))
        .with_latest_report()
        .filter(Q(latest_status__isnull=True) | ~Q(latest_status=ProgressReport.Status.COMPLETED))
        .select_related("task")
        .order_by("task__number", "ward_id")
    )
    assignments = list(still_open)
    if not assignments:
        raise CarryOverRefused(_("Every task is completed: there is nothing to carry over."))
    successor = Directive.objects.create(
        district_id=directive.district_id,
        kind=directive.kind,
        number="",
        signed_on=new_year,
        issuer=directive.issuer,
        title=_("%(title)s (carried over to %(year)s)") % {"title": directive.title, "year": year},
        text=directive.text,
        continues=directive,
    )
    tasks = {}
    for assignment in assignments:
        old = assignment.task
        if old.pk not in tasks:
            tasks[old.pk] = DirectiveTask.objects.create(
                directive=successor,
                number=old.number,
                category=old.category,
                text=old.text,
                rhythm=old.rhythm,
            )
            tasks[old.pk].bodies.set(old.bodies.all())
    bulk_create_with_history(
        [
            TaskAssignment(
                task=tasks[assignment.task_id],
                ward_id=assignment.ward_id,
                due_on=_a_year_later(assignment.due_on),
            )
            for assignment in assignments
        ],
        TaskAssignment,
    )
    for assignment in assignments:
        assignment.handed_over_on = new_year
    bulk_update_with_history(assignments, TaskAssignment, ["handed_over_on"])
    return successor


def _a_year_later(day):
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
