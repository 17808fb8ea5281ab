"""The reporting cycle's pages: a unit's periods and the consolidation of each, a ward's
reports, and the report itself (the officer's form, the reviewer's return and accept)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import paginate, query_without, require_permission, xlsx_download
from wards.pages import seen_or_404, ward_for
from wards.scope import managed_districts, works_for_a_unit

from . import exports, selectors, services
from .forms import ConsolidatedReportForm, ReportingPeriodForm, ReturnForm, WardReportForm
from .models import ReportingPeriod, WardReport


def _unit_user(request):
    if not works_for_a_unit(request.user):
        raise PermissionDenied("the reports of a managing unit")


@login_required
def period_list(request):
    """The periods the user's unit asked its wards to report on, latest first, with how many
    reports have come in."""
    _unit_user(request)
    periods = (
        ReportingPeriod.objects.visible_to(request.user)
        .select_related("district")
        .annotate(
            reports=Count("ward_reports"),
            sent=Count("ward_reports", filter=Q(ward_reports__state__in=selectors.SENT)),
        )
        .order_by("-start", "kind", "district__sort_name")
    )
    return render(
        request,
        "workreports/period_list.html",
        {
            "page_obj": paginate(request, periods),
            "may_open": request.user.has_perm("workreports.add_reportingperiod")
            and managed_districts(request.user).exists(),
        },
    )


@login_required
def period_create(request):
    _unit_user(request)
    require_permission(request, "workreports.add_reportingperiod")
    districts = managed_districts(request.user).order_by("sort_name")
    if not districts.exists():  # a unit a reorganisation ended asks for nothing more
        raise PermissionDenied("no managing unit of the user's exists")
    form = ReportingPeriodForm(request.POST or None, districts=districts)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reporting = services.period_open(
                district=data["district"],
                period=data["period"],
                deadline=data["deadline"],
                user=request.user,
            )
        except ValidationError as refused:  # the period checked against those stored
            form.add_error(None, refused.messages)
        except IntegrityError:  # the same period asked for at the same moment
            form.add_error(None, _("This unit already asked for reports of this period."))
        else:
            messages.success(
                request,
                _("The wards are asked for their reports of %(period)s.") % {"period": reporting},
            )
            return redirect(reporting)
    return render(request, "workreports/period_form.html", {"form": form})


def _period(request, pk):
    _unit_user(request)
    return get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related(
            "district", "consolidated__document"
        ),
        pk=pk,
    )


@login_required
def consolidation(request, pk):
    """Where a period's reports stand (sent, returned, late), the wards' figures summed, and
    the unit's own report; every ward's report as a row of a workbook (`?format=xlsx`)."""
    reporting = _period(request, pk)
    show = request.GET.get("state")
    if request.GET.get("format") == "xlsx":
        require_permission(request, "workreports.view_wardreport")
        return xlsx_download(
            request, exports.period_workbook(reporting), exports.file_name(reporting)
        )
    consolidated = reporting.consolidated
    if consolidated.document_id:
        sums, summed = consolidated.figures, consolidated.reports_summed
    else:
        sums, summed = selectors.sent_sums(reporting)
    managed = ReportingPeriod.objects.managed_by(request.user).filter(pk=reporting.pk).exists()
    return render(
        request,
        "workreports/consolidation.html",
        {
            "reporting": reporting,
            "consolidated": consolidated,
            "counts": selectors.state_counts(reporting),
            "filters": [
                (key, label, key == show)
                for key, label in [("late", _("Late")), *WardReport.State.choices]
            ],
            "show": show if show in selectors.FILTERS else None,
            "page_obj": paginate(request, selectors.consolidation_rows(reporting, show=show)),
            "page_query": query_without(request, "page"),
            "sections": selectors.figure_sections(sums),
            "summed": summed,
            "may_edit": managed and request.user.has_perm("workreports.change_consolidatedreport"),
        },
    )


def _editable_consolidated(request, pk):
    reporting = _period(request, pk)
    require_permission(request, "workreports.change_consolidatedreport")
    if not ReportingPeriod.objects.managed_by(request.user).filter(pk=reporting.pk).exists():
        raise PermissionDenied("another unit's report")
    return reporting, reporting.consolidated


@login_required
def consolidated_edit(request, pk):
    """The unit's report as a draft: the wards' narratives gathered into each empty section,
    to be edited; read-only once issued."""
    reporting, consolidated = _editable_consolidated(request, pk)
    if consolidated.document_id:
        messages.info(request, _("This report has been issued and can no longer be changed."))
        return redirect(reporting)
    gathered = selectors.gathered_narratives(reporting)
    initial = {name: text for name, text in gathered.items() if not getattr(consolidated, name)}
    form = ConsolidatedReportForm(request.POST or None, instance=consolidated, initial=initial)
    if form.is_valid():
        try:
            services.consolidated_save(
                consolidated=consolidated, data=form.cleaned_data, fields=form.Meta.fields
            )
        except services.StepRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The draft is saved."))
        return redirect(reporting)
    return render(
        request,
        "workreports/consolidated_form.html",
        {"reporting": reporting, "form": form},
    )


@login_required
@require_POST
def consolidated_issue(request, pk):
    reporting, consolidated = _editable_consolidated(request, pk)
    try:
        consolidated = services.consolidated_issue(consolidated=consolidated, user=request.user)
    except services.StepRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("The report is issued as No. %(number)s.")
            % {"number": consolidated.document.symbol},
        )
    return redirect(reporting)


@login_required
def ward_reports(request, code):
    """A ward's reports, latest period first."""
    ward = ward_for(request, code)
    reports = (
        WardReport.objects.visible_to(request.user)
        .filter(ward=ward)
        .select_related("period")
        .order_by("-period__start", "period__kind")
    )
    return render(
        request,
        "workreports/ward_reports.html",
        {"ward": ward, "page_obj": paginate(request, reports)},
    )


@login_required
def ward_report(request, pk):
    """A ward's report for a period: the form while it is the ward's to change, the figures
    and sections as sent otherwise; the reviewer returns or accepts it here."""
    report = seen_or_404(
        request,
        WardReport.objects.select_related("period__district", "ward"),
        pk=pk,
    )
    user = request.user
    writes = (
        report.user_manages
        and report.state in services.EDITABLE
        and user.has_perm("workreports.change_wardreport")
    )
    reviews = (
        user.has_perm("workreports.review_wardreport")
        and ReportingPeriod.objects.managed_by(user).filter(pk=report.period_id).exists()
    )
    sections = selectors.report_figures(report)
    form = WardReportForm(report=report, sections=sections) if writes else None
    return_form = ReturnForm() if reviews else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("save", "submit") and writes:
                form = WardReportForm(request.POST, report=report, sections=sections)
                if form.is_valid():
                    services.report_save(
                        report=report,
                        user=user,
                        narratives=form.narratives(),
                        corrections=form.corrections(),
                        submit=action == "submit",
                    )
                    messages.success(
                        request,
                        _("The report is sent.")
                        if action == "submit"
                        else _("The draft is saved."),
                    )
                    return redirect(report)
            elif action == "return" and reviews:
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.report_return(
                        report=report, user=user, comment=return_form.cleaned_data["comment"]
                    )
                    messages.success(request, _("The report is returned to the ward."))
                    return redirect(report)
            elif action == "accept" and reviews:
                services.report_accept(report=report, user=user)
                messages.success(request, _("The report is accepted."))
                return redirect(report)
            else:
                raise PermissionDenied(f"work report {action}")
        except services.StepRefused as refused:
            messages.error(request, refused.message)
            return redirect(report)
    return render(
        request,
        "workreports/ward_report.html",
        {
            "report": report,
            "ward": report.ward,
            "sections": sections,
            "form": form,
            "return_form": return_form,
            "reviews": reviews,
            "events": list(report.events.select_related("actor")),
        },
    )
