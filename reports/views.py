"""The reports' pages: each role's landing page, the district's dashboard (and its Excel
workbook), a ward's dashboard and home, and the seminars' printed documents. The dashboards
are assembled in `dashboards.py`; a view reads the request and renders what it is given."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import query_without, require_permission, xlsx_download
from core.periods import PeriodForm, period_links
from meetings.models import Directive, Seminar
from reminders.deadlines import due_for
from wards.models import SecurityEvent, Ward
from wards.pages import manages, ward_for
from wards.roles import Role, user_role
from wards.scope import works_for_a_unit
from wards.security import log_security_event
from workreports.models import ReportingPeriod

from . import dashboards, documents, exports, selectors
from .pdf import DocumentTooLarge, render_pdf


@login_required
def home(request):
    """Each role's landing page: the admin for administrators, the ward for an officer, the
    district's dashboard for everyone else."""
    user = request.user
    if user.is_superuser or user_role(user) == Role.ADMINISTRATOR:
        return redirect("admin:index")
    if works_for_a_unit(user):
        return redirect("reports:overview")
    ward = user.wards.order_by("sort_name", "code").first()
    if ward:
        return redirect("reports:ward_home", code=ward.code)
    return render(request, "reports/no_ward.html")


def period_context(request, period_form, period):
    return {
        "period_form": period_form,
        "period": period,
        "period_links": period_links(request.GET, period),
    }


def head_context(dashboard):
    """What both dashboards show first (`includes/dashboard_head.html`)."""
    return {
        "figures": dashboard.figures,
        "activity_chart": dashboard.activity_chart,
        "member_chart": dashboard.member_chart,
        "period_query": dashboard.period_query,
    }


def warn_of_a_directive_not_shown(request, directive):
    """The directive asked for (`?directive=`, or `?seminar=` for a seminar's conclusion) is
    not among the user's: the latest is shown."""
    asked, seminar = request.GET.get("directive"), request.GET.get("seminar")
    if asked and (directive is None or str(directive.pk) != asked):
        messages.warning(request, _("That directive is not among yours; showing the latest."))
    elif seminar and not asked and (directive is None or str(directive.seminar_id) != seminar):
        messages.warning(request, _("That seminar is not among yours; showing the latest."))


@login_required
def overview(request):
    """The district's dashboard: key figures of the period, the wards' figures, charts, and
    the progress matrix of a directive's tasks; every ward on it in Excel (`?format=xlsx`).
    Ward officers have their ward's dashboard."""
    user = request.user
    if not works_for_a_unit(user):
        raise PermissionDenied("district dashboard")
    period_form = PeriodForm(request.GET)
    period = period_form.get_period()
    asked = {
        "directive_id": request.GET.get("directive"),
        "seminar_id": request.GET.get("seminar"),
    }
    if request.GET.get("format") == "xlsx":
        require_permission(request, "wards.export_district")
        dashboard = dashboards.district_dashboard(
            user=user, period=period, every_ward=True, **asked
        )
        warn_of_a_directive_not_shown(request, dashboard.directive)
        return xlsx_download(request, exports.district_workbook(dashboard), "tong-quan")
    dashboard = dashboards.district_dashboard(
        user=user,
        period=period,
        sort=request.GET.get("sort"),
        page=request.GET.get("page"),
        matrix_page=request.GET.get("matrix_page"),
        **asked,
    )
    warn_of_a_directive_not_shown(request, dashboard.directive)
    context = {
        **period_context(request, period_form, period),
        **head_context(dashboard),
        "ward_page": dashboard.page,
        "ward_rows": dashboard.rows,
        "ward_page_query": query_without(request, "page", "format"),
        "sort": dashboard.sort,
        "ward_sorts": list(dashboards.WARD_SORTS.items()),
        "sort_query": query_without(request, "sort", "page", "format"),
        "directives": dashboard.directives,
        "directive": dashboard.directive,
        "tasks": dashboard.tasks,
        "matrix_page": dashboard.matrix_page,
        "matrix": dashboard.matrix,
        "progress_chart": dashboard.progress_chart,
        "can_export": user.has_perm("wards.export_district"),
        "due": due_for(user),
        "matrix_page_query": query_without(request, "matrix_page", "format"),
        "query": query_without(request, "page", "matrix_page", "format"),
    }
    return render(request, "reports/overview.html", context)


@login_required
def ward_dashboard(request, code):
    """One ward's figures for a period, by residential group, each linked to its list."""
    ward = ward_for(request, code)
    period_form = PeriodForm(request.GET)
    period = period_form.get_period()
    dashboard = dashboards.ward_dashboard(
        ward=ward, user=request.user, period=period, page=request.GET.get("page")
    )
    return render(
        request,
        "reports/ward_dashboard.html",
        {
            **period_context(request, period_form, period),
            **head_context(dashboard),
            "ward": ward,
            "group_page": dashboard.page,
            "group_rows": dashboard.rows,
            "query": query_without(request, "page"),
        },
    )


@login_required
def ward_home(request, code):
    ward = ward_for(request, code)
    user = request.user
    writes = manages(request, ward)
    return render(
        request,
        "reports/ward_home.html",
        {
            "ward": ward,
            **selectors.ward_home(ward=ward, user=user),
            # A ward the user only reads (a predecessor of theirs, one that has ended) is
            # offered no writing.
            "can_add_activity": writes and user.has_perm("teams.add_activity"),
            "can_report": writes and user.has_perm("meetings.add_progressreport"),
            "can_correct": writes and user.has_perm("meetings.change_progressreport"),
            # The team of a group a reorganisation made, from the teams it came from.
            "can_reorganise": writes and user.has_perm("teams.add_team"),
            "due": due_for(user),
        },
    )


@login_required
def ward_lineage(request, code):
    """Where the ward came from (the wards and residential groups, by decision) and what
    became of it; with `?history=1`, its history on today's boundaries."""
    ward = ward_for(request, code)
    with_history = request.GET.get("history") == "1"
    lineage = selectors.ward_lineage(ward=ward, with_history=with_history)
    named = [other.pk for other in lineage.wards() if other is not None]
    return render(
        request,
        "reports/ward_lineage.html",
        {
            "ward": ward,
            "lineage": lineage,
            "with_history": with_history,
            # The wards named here whose pages the user may open (a successor of their ward
            # is named, not shown).
            "linked": set(
                Ward.objects.visible_to(request.user)
                .filter(pk__in=named)
                .values_list("pk", flat=True)
            ),
        },
    )


# Printed documents of a seminar


def seminar_for(request, pk):
    """The seminar of a document, if the user may read it; 404 otherwise."""
    seminar = get_object_or_404(
        Seminar.objects.visible_to(request.user).select_related("district"), pk=pk
    )
    require_permission(request, "meetings.view_seminar")
    return seminar


def pdf_response(request, template, context, name):
    """The document as an inline PDF, logged as an export; a clear page when too large."""
    try:
        pdf = render_pdf(template, context)
    except DocumentTooLarge as refusal:
        return render(request, "reports/pdf_refused.html", {"reason": refusal}, status=413)
    log_security_event(SecurityEvent.Kind.EXPORT, request=request, detail=name)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


# The documents about a seminar itself: template, file name, number, title.
SEMINAR_DOCUMENTS = {
    "report": (
        "reports/pdf/seminar_report.html",
        "bao-cao-toa-dam",
        "report_number",
        gettext_lazy("Seminar report"),
    ),
    "notice": (
        "reports/pdf/conclusion_notice.html",
        "thong-bao-ket-luan",
        "notice_number",
        gettext_lazy("Conclusion notice"),
    ),
}


@login_required
def seminar_document_pdf(request, pk, kind):
    """The seminar's report (BÁO CÁO) or its conclusion notice (THÔNG BÁO KẾT LUẬN)."""
    seminar = seminar_for(request, pk)
    template, name, number, title = SEMINAR_DOCUMENTS[kind]
    context = documents.seminar_document(
        seminar, number=getattr(seminar, number), title=str(title)
    )
    return pdf_response(request, template, context, f"{name}-{seminar.pk}")


@login_required
def progress_report_pdf(request, pk, by="directive"):
    """A directive's tasks in the wards the user sees, for a period (`?period=`); `by`
    "seminar": the tasks of the seminar `pk`'s conclusion."""
    require_permission(request, "meetings.view_directivetask")
    directives = Directive.objects.visible_to(request.user).select_related("district", "seminar")
    if by == "seminar":
        directive = get_object_or_404(directives, seminar=seminar_for(request, pk))
    else:
        directive = get_object_or_404(directives, pk=pk)
    period = PeriodForm(request.GET).get_period()
    wards = selectors.wards_in_scope(user=request.user, period=period)
    context = documents.progress_report(
        directive, wards=wards, period=period, ward=own_ward(request.user, wards)
    )
    name = f"toa-dam-{directive.seminar_id}" if by == "seminar" else f"chi-dao-{directive.pk}"
    return pdf_response(
        request,
        "reports/pdf/progress_report.html",
        context,
        f"tien-do-{name}-{period.param or period.start.isoformat()}",
    )


def own_ward(user, wards):
    """The ward whose document a ward officer prints: the one ward of `wards` they serve;
    None for those who work for a unit (the unit's heading), or an officer of several wards
    (the unit's too: no ward speaks for the others)."""
    if works_for_a_unit(user):
        return None
    served = list(wards.select_related("district")[:2])
    return served[0] if len(served) == 1 else None


@login_required
def consolidated_report_pdf(request, pk):
    """A managing unit's work report of a period, for those who work for the unit."""
    if not works_for_a_unit(request.user):
        raise PermissionDenied("a managing unit's report")
    reporting = get_object_or_404(
        ReportingPeriod.objects.visible_to(request.user).select_related(
            "district", "consolidated__document"
        ),
        pk=pk,
    )
    require_permission(request, "workreports.view_consolidatedreport")
    return pdf_response(
        request,
        "reports/pdf/consolidated_report.html",
        documents.consolidated_report(reporting),
        f"bao-cao-cong-tac-{reporting.district.code}-{reporting.period.param}",
    )
