"""A ward's progress reports on the tasks given to it."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from wards.pages import require_permission

from .forms import ProgressReportForm
from .models import ProgressReport, TaskAssignment
from .services import progress_report_save


def current_quarter():
    today = timezone.localdate()
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = datetime.date(today.year, first_month, 1)
    next_start = (
        datetime.date(today.year + 1, 1, 1)
        if first_month == 10
        else datetime.date(today.year, first_month + 3, 1)
    )
    return start, next_start - datetime.timedelta(days=1)


def report_form(request, *, assignment, report=None):
    start, end = current_quarter()
    form = ProgressReportForm(
        request.POST if request.method == "POST" else None,
        instance=report or ProgressReport(assignment=assignment),
        initial={} if report else {"period_start": start, "period_end": end},
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
        TaskAssignment.objects.visible_to(request.user).select_related("task__seminar", "ward"),
        pk=pk,
    )
    require_permission(request, "meetings.add_progressreport")
    return report_form(request, assignment=assignment)


@login_required
def progress_edit(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.visible_to(request.user).select_related(
            "assignment__task__seminar", "assignment__ward"
        ),
        pk=pk,
    )
    require_permission(request, "meetings.change_progressreport")
    return report_form(request, assignment=report.assignment, report=report)
