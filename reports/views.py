from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import paginate, query_without, require_permission, xlsx_download
from core.periods import PeriodForm, period_links
from meetings.models import Seminar
from meetings.selectors import matrix_wards, progress_matrix, seminars_with_tasks
from wards.models import SecurityEvent, Ward
from wards.pages import ward_for
from wards.roles import Role, user_role
from wards.scope import works_for_a_unit
from wards.security import log_security_event

from . import dashboards, documents, exports, selectors
from .pdf import DocumentTooLarge, render_pdf

MATRIX_PAGE_SIZE = 50
# The orders of the table of wards: the least active first shows who lags.
WARD_SORTS = {
    "name": (gettext_lazy("Name"), ["name"]),
    "activities": (gettext_lazy("Least active first"), ["period_activities", "name"]),
    "-activities": (gettext_lazy("Most active first"), ["-period_activities", "name"]),
}


@login_required
def home(request):
    """Each role's landing page: the admin for administrators, the ward for an officer, the
    district's dashboard for everyone else."""
    user = request.user
    if user.is_superuser or user_role(user) == Role.ADMINISTRATOR:
        return redirect("admin:index")
    if works_for_a_unit(user):
        return redirect("reports:overview")
    ward = user.wards.order_by("name").first()
    if ward:
        return redirect("reports:ward_home", code=ward.code)
    return render(request, "reports/no_ward.html")


def chosen_seminar(request, seminars):
    """The seminar of the matrix: the one asked for, else the latest."""
    asked = request.GET.get("seminar")
    if asked:
        match = next((s for s in seminars if str(s.pk) == asked), None)
        if match:
            return match
        messages.warning(request, _("That seminar is not among yours; showing the latest."))
    return seminars[0] if seminars else None


def period_context(request, period_form, period):
    return {
        "period_form": period_form,
        "period": period,
        "period_links": period_links(request.GET, period),
    }


@login_required
def overview(request):
    """The district's dashboard: key figures of the period, the wards' figures, charts, and
    the progress matrix of a seminar's tasks. Ward officers have their ward's dashboard."""
    user = request.user
    if not works_for_a_unit(user):
        raise PermissionDenied("district dashboard")
    period_form = PeriodForm(request.GET)
    period = period_form.get_period()
    wards = selectors.wards_in_scope(user=user)
    sort = request.GET.get("sort") if request.GET.get("sort") in WARD_SORTS else "name"
    ward_rows = wards if sort == "name" else selectors.with_period_activities(wards, period=period)
    ward_rows = ward_rows.order_by(*WARD_SORTS[sort][1])
    seminars = list(seminars_with_tasks(user=user))
    seminar = chosen_seminar(request, seminars)
    tasks = list(seminar.tasks.order_by("number")) if seminar else []
    matrix_rows = (
        matrix_wards(seminar=seminar, wards=wards, start=period.start, end=period.end)
        if seminar
        else Ward.objects.none()
    )
    if request.GET.get("format") == "xlsx":
        require_permission(request, "wards.export_district")
        workbook = exports.district_workbook(
            wards=wards, period=period, seminar=seminar, tasks=tasks, matrix_wards=matrix_rows
        )
        return xlsx_download(request, workbook, "tong-quan")
    ward_page = paginate(request, ward_rows, count=wards.count())
    matrix_page = paginate(request, matrix_rows, param="matrix_page", size=MATRIX_PAGE_SIZE)
    by_ward = selectors.figures_by_unit(wards=wards, period=period, units=ward_page, by="ward")
    context = {
        **period_context(request, period_form, period),
        **dashboards.dashboard_head(
            wards=wards, period=period, ward_count=ward_page.paginator.count, anchor="#by-ward"
        ),
        "ward_page": ward_page,
        "ward_rows": [(ward, by_ward[ward.pk], "") for ward in ward_page],
        "ward_page_query": query_without(request, "page", "format"),
        "sort": sort,
        "ward_sorts": [(key, label) for key, (label, _order) in WARD_SORTS.items()],
        "sort_query": query_without(request, "sort", "page", "format"),
        "seminars": seminars,
        "seminar": seminar,
        "tasks": tasks,
        "matrix_page": matrix_page,
        "can_export": user.has_perm("wards.export_district"),
        "matrix_page_query": query_without(request, "matrix_page", "format"),
        "query": query_without(request, "page", "matrix_page", "format"),
    }
    if seminar:
        context["matrix"] = progress_matrix(
            seminar=seminar, tasks=tasks, wards=list(matrix_page), as_of=period.as_of()
        )
        context["progress_chart"], _progress = dashboards.progress_chart(
            seminar=seminar, tasks=tasks, wards=wards, period=period
        )
    return render(request, "reports/overview.html", context)


@login_required
def ward_dashboard(request, code):
    """One ward's figures for a period, by residential group, each linked to its list."""
    ward = ward_for(request, code)
    period_form = PeriodForm(request.GET)
    period = period_form.get_period()
    wards = Ward.objects.filter(pk=ward.pk)
    groups = paginate(request, selectors.residential_groups(ward=ward, user=request.user))
    by_group = selectors.figures_by_unit(wards=wards, period=period, units=groups, by="group")
    return render(
        request,
        "reports/ward_dashboard.html",
        {
            **period_context(request, period_form, period),
            **dashboards.dashboard_head(wards=wards, period=period, ward=ward),
            "ward": ward,
            "group_page": groups,
            "group_rows": [(group, by_group[group.pk], f"group={group.pk}&") for group in groups],
            "query": query_without(request, "page"),
        },
    )


@login_required
def ward_home(request, code):
    ward = ward_for(request, code)
    user = request.user
    return render(
        request,
        "reports/ward_home.html",
        {
            "ward": ward,
            **selectors.ward_home(ward=ward, user=user),
            "can_add_activity": user.has_perm("teams.add_activity"),
            "can_report": user.has_perm("meetings.add_progressreport"),
            "can_correct": user.has_perm("meetings.change_progressreport"),
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
def progress_report_pdf(request, pk):
    """The seminar's tasks in the wards the user sees, for a period (`?period=`)."""
    seminar = seminar_for(request, pk)
    period = PeriodForm(request.GET).get_period()
    context = documents.progress_report(
        seminar, wards=selectors.wards_in_scope(user=request.user), period=period
    )
    return pdf_response(
        request,
        "reports/pdf/progress_report.html",
        context,
        f"tien-do-toa-dam-{seminar.pk}-{period.param or period.start.isoformat()}",
    )
