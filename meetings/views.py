"""Seminars (list, page, editor) and the wards' progress reports on their tasks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Min
from django.forms import modelformset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import paginate, require_permission
from wards.models import Ward
from wards.pages import require_managed

from . import services
from .forms import (
    AssignmentForm,
    AttendeeForm,
    ContributionForm,
    DirectiveForm,
    DirectivePointForm,
    DirectiveTaskForm,
    DirectiveTaskRowForm,
    ProgressReportForm,
    SeminarForm,
    SeminarRowsFormSet,
    SessionForm,
)
from .models import (
    Contribution,
    Directive,
    DirectiveTask,
    ProgressReport,
    Seminar,
    TaskAssignment,
)
from .selectors import directive_tasks, seminar_facts, seminar_rows, task_progress
from .services import RowsRefused, progress_report_save, seminar_rows_save, seminar_save


# The period a new progress report covers by default, by the task's rhythm.
def report_form(request, *, assignment, report=None):
    period = assignment.task.reporting_period(timezone.localdate())
    form = ProgressReportForm(
        request.POST if request.method == "POST" else None,
        instance=report or ProgressReport(assignment=assignment),
        initial={} if report else {"period_start": period.start, "period_end": period.end},
    )
    if form.is_bound and form.is_valid():
        progress_report_save(form=form, assignment=assignment, user=request.user)
        messages.success(request, _("The progress report is saved."))
        return redirect("reports:ward_home", code=assignment.ward.code)
    return render(
        request,
        "meetings/progress_form.html",
        {"form": form, "assignment": assignment, "ward": assignment.ward, "report": report},
    )


@login_required
def progress_add(request, pk):
    assignment = get_object_or_404(
        TaskAssignment.objects.visible_to(request.user).select_related("task__directive", "ward"),
        pk=pk,
    )
    require_permission(request, "meetings.add_progressreport")
    require_managed(request, assignment.ward)  # a predecessor's task is read, not reported
    # This period's report, once made, is corrected rather than made twice.
    period = assignment.task.reporting_period(timezone.localdate())
    made = assignment.progress_reports.filter(
        period_start=period.start, period_end=period.end
    ).first()
    if made is not None and request.method != "POST":
        messages.info(request, _("This period's report is made: correct it here."))
        return redirect("meetings:progress_edit", made.pk)
    return report_form(request, assignment=assignment)


@login_required
def progress_edit(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.visible_to(request.user).select_related(
            "assignment__task__directive", ProgressReport.ward_path
        ),
        pk=pk,
    )
    require_permission(request, "meetings.change_progressreport")
    require_managed(request, report)
    return report_form(request, assignment=report.assignment, report=report)


# Seminars: the list, the page that reads like the article, and the editor of district staff.


def visible_seminar(request, pk):
    return get_object_or_404(Seminar.objects.visible_to(request.user), pk=pk)


def changeable_seminar(request, pk):
    """A seminar the user may change: one of their own managing unit (404 when they do not
    see it, 403 when they see it without being allowed to change it)."""
    seminar = visible_seminar(request, pk)
    require_permission(request, "meetings.change_seminar")
    if not Seminar.objects.managed_by(request.user).filter(pk=seminar.pk).exists():
        raise PermissionDenied("seminar of another managing unit")
    return seminar


@login_required
def seminar_list(request):
    require_permission(request, "meetings.view_seminar")
    return render(
        request,
        "meetings/seminar_list.html",
        {
            "page_obj": paginate(request, seminar_rows(user=request.user)),
            "can_add": request.user.has_perm("meetings.add_seminar"),
        },
    )


@login_required
def seminar_detail(request, pk):
    seminar = visible_seminar(request, pk)
    require_permission(request, "meetings.view_seminar")
    facts = seminar_facts(seminar=seminar)
    today = timezone.localdate()
    return render(
        request,
        "meetings/seminar_detail.html",
        {
            "seminar": seminar,
            "facts": facts,
            "progress": task_progress(
                directive=facts.conclusion,
                tasks=facts.tasks,
                wards=Ward.objects.visible_to(request.user),
                as_of=today,
            ),
            "today": today,
            "parts": PARTS,
            "can_change": request.user.has_perm("meetings.change_seminar")
            and Seminar.objects.managed_by(request.user).filter(pk=seminar.pk).exists(),
        },
    )


@login_required
@require_POST
def seminar_number(request, pk, document):
    """Give the seminar's report or conclusion notice its number from the register."""
    seminar = changeable_seminar(request, pk)
    dates = seminar_facts(seminar=seminar).dates
    try:
        issued = services.seminar_number_issue(
            seminar=seminar,
            document=document,
            user=request.user,
            day=dates[-1] if dates else timezone.localdate(),
        )
    except services.NumberRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Numbered %(number)s.") % {"number": issued.symbol})
    return redirect("meetings:seminar_detail", pk=seminar.pk)


def seminar_form(request, seminar=None):
    form = SeminarForm(request.POST if request.method == "POST" else None, instance=seminar)
    if form.is_bound and form.is_valid():
        seminar = seminar_save(form=form, district=request.user.district)
        messages.success(request, _("Saved: %(record)s.") % {"record": seminar})
        return redirect("meetings:seminar_detail", pk=seminar.pk)
    return render(
        request,
        "meetings/seminar_form.html",
        {"form": form, "seminar": seminar, "parts": PARTS, "can_change": True},
    )


@login_required
def seminar_add(request):
    require_permission(request, "meetings.add_seminar")
    if request.user.district is None:
        # A seminar belongs to a managing unit: the one its author works for.
        raise PermissionDenied("seminar without a managing unit")
    require_managed(request, request.user.district)  # not a unit a reorganisation ended
    return seminar_form(request)


@login_required
def seminar_edit(request, pk):
    return seminar_form(request, changeable_seminar(request, pk))


# Each part of a seminar edited as rows: its form, how many blank rows to offer (more come
# with “Add a row”, `static/js/rows.js`), and its rows.
PARTS = {
    "sessions": {
        "title": gettext_lazy("Clusters"),
        "form": SessionForm,
        "extra": 1,
        "rows": lambda seminar: seminar.sessions.prefetch_related("wards").order_by("number"),
    },
    "attendees": {
        "title": gettext_lazy("Attendees"),
        "form": AttendeeForm,
        "extra": 2,
        "rows": lambda seminar: seminar.attendees.order_by("order", "full_name"),
    },
    "contributions": {
        "title": gettext_lazy("Contributions"),
        "form": ContributionForm,
        "extra": 2,
        "rows": lambda seminar: Contribution.objects.filter(session__seminar=seminar).order_by(
            "session__number", "order"
        ),
    },
    "points": {
        "title": gettext_lazy("Directing points"),
        "form": DirectivePointForm,
        "extra": 1,
        "rows": lambda seminar: seminar.directive_points.order_by("number"),
    },
    "tasks": {
        "title": gettext_lazy("Conclusion tasks"),
        "form": DirectiveTaskForm,
        "extra": 1,
        "rows": lambda seminar: (
            DirectiveTask.objects.filter(directive__seminar=seminar)
            .annotate(first_due=Min("assignments__due_on"))
            .order_by("number")
        ),
    },
}


@login_required
def seminar_rows_edit(request, pk, part):
    """One part of a seminar as a table of rows, saved all or nothing."""
    seminar = changeable_seminar(request, pk)
    spec = PARTS[part]
    formset_class = modelformset_factory(
        spec["form"]._meta.model,
        form=spec["form"],
        formset=SeminarRowsFormSet,
        extra=spec["extra"],
        can_delete=True,
    )
    formset = formset_class(
        request.POST if request.method == "POST" else None,
        queryset=spec["rows"](seminar),
        form_kwargs={
            "seminar": seminar,
            "user": request.user,
            "choices": {},
            # The tasks' directive, the seminar's conclusion: made when they are first sent.
            "conclusion": services.seminar_conclusion(seminar)
            if part == "tasks" and request.method == "POST"
            else None,
        },
        prefix=part,
    )
    if formset.is_bound and formset.is_valid():
        try:
            seminar_rows_save(formset=formset, seminar=seminar)
        except RowsRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved: %(record)s.") % {"record": spec["title"]})
            return redirect("meetings:seminar_detail", pk=seminar.pk)
    return render(
        request,
        "meetings/seminar_rows.html",
        {
            "seminar": seminar,
            "formset": formset,
            "part": part,
            "spec": spec,
            "parts": PARTS,
            "can_change": True,
        },
    )


# Directives: plans, directives, resolutions and letters that give tasks to wards (a
# seminar's conclusion is edited with its seminar).


def directive_rows(user):
    return (
        Directive.objects.visible_to(user)
        .select_related("district")
        .annotate(task_count=Count("tasks"))
        .order_by(F("signed_on").desc(nulls_last=True), "-created_at")
    )


@login_required
def directive_list(request):
    require_permission(request, "meetings.view_directive")
    return render(
        request,
        "meetings/directive_list.html",
        {
            "page_obj": paginate(request, directive_rows(request.user)),
            "can_add": request.user.has_perm("meetings.add_directive"),
        },
    )


def changeable_directive(request, pk):
    """A directive the user may change: of their own managing unit (404 when they do not see
    it, 403 when they only read it); a seminar's conclusion is changed with its seminar."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user), pk=pk)
    require_permission(request, "meetings.change_directive")
    if not Directive.objects.managed_by(request.user).filter(pk=directive.pk).exists():
        raise PermissionDenied("directive of another managing unit")
    return directive


@login_required
def directive_detail(request, pk):
    """A directive, its tasks and where the wards the user sees stand on them; its unit's
    staff give its tasks to wards here."""
    require_permission(request, "meetings.view_directive")
    directive = get_object_or_404(
        Directive.objects.visible_to(request.user).select_related("district", "continues"),
        pk=pk,
    )
    if directive.seminar_id:
        return redirect(directive)  # the seminar's page shows its conclusion
    user = request.user
    can_change = (
        user.has_perm("meetings.change_directive")
        and Directive.objects.managed_by(user).filter(pk=directive.pk).exists()
    )
    form = None
    if can_change and user.has_perm("meetings.add_taskassignment"):
        wards = Ward.objects.managed_by(user).filter(district=directive.district_id)
        form = AssignmentForm(
            request.POST or None, directive=directive, wards=wards.order_by("sort_name", "code")
        )
        if form.is_valid():
            made = services.directive_assign(
                tasks=form.cleaned_data["tasks"],
                wards=form.cleaned_data["wards"],
                due_on=form.cleaned_data["due_on"],
            )
            messages.success(
                request, _("Tasks given: %(count)s new assignments.") % {"count": made}
            )
            return redirect(directive)
    elif request.method == "POST":
        raise PermissionDenied("giving the tasks of a directive")
    tasks = list(directive_tasks(directive.tasks.prefetch_related("bodies")))
    today = timezone.localdate()
    return render(
        request,
        "meetings/directive_detail.html",
        {
            "directive": directive,
            "tasks": tasks,
            "progress": task_progress(
                directive=directive,
                tasks=tasks,
                wards=Ward.objects.visible_to(user),
                as_of=today,
            ),
            "today": today,
            "can_change": can_change,
            "form": form,
        },
    )


def directive_form(request, directive=None):
    form = DirectiveForm(request.POST or None, instance=directive)
    if form.is_valid():
        directive = form.save(commit=False)
        if directive.pk is None:
            directive.district = request.user.district
        directive.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": directive})
        return redirect(directive)
    return render(request, "meetings/directive_form.html", {"form": form, "directive": directive})


@login_required
def directive_add(request):
    require_permission(request, "meetings.add_directive")
    if request.user.district is None:
        raise PermissionDenied("directive without a managing unit")
    require_managed(request, request.user.district)
    return directive_form(request)


@login_required
def directive_edit(request, pk):
    directive = changeable_directive(request, pk)
    if directive.seminar_id:
        return redirect(directive)
    return directive_form(request, directive)


@login_required
def directive_tasks_edit(request, pk):
    """A directive's tasks as a table of rows, saved all or nothing."""
    directive = changeable_directive(request, pk)
    if directive.seminar_id:
        return redirect("meetings:seminar_tasks", pk=directive.seminar_id)
    formset_class = modelformset_factory(
        DirectiveTask, form=DirectiveTaskRowForm, extra=3, can_delete=True
    )
    formset = formset_class(
        request.POST or None,
        queryset=directive.tasks.order_by("number"),
        form_kwargs={"directive": directive},
        prefix="tasks",
    )
    if formset.is_bound and formset.is_valid():
        try:
            services.directive_tasks_save(formset=formset)
        except RowsRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("The tasks are saved."))
            return redirect(directive)
    return render(
        request, "meetings/directive_tasks.html", {"directive": directive, "formset": formset}
    )


@login_required
@require_POST
def directive_carry_over(request, pk):
    """Carry the directive's open tasks into a directive of the next year."""
    directive = changeable_directive(request, pk)
    require_permission(request, "meetings.add_directive")
    # The year after the directive's, and not one already past: a 2025 plan goes on in 2026
    # whether carried in December 2025 or in January 2026.
    signed = directive.signed_on or timezone.localtime(directive.created_at).date()
    year = max(signed.year + 1, timezone.localdate().year)
    try:
        successor = services.directive_carry_over(directive=directive, year=year)
    except services.CarryOverRefused as refused:
        messages.error(request, str(refused))
        return redirect(directive)
    messages.success(
        request, _("The open tasks go on in “%(title)s”.") % {"title": successor.title}
    )
    return redirect("meetings:directive_detail", pk=successor.pk)
