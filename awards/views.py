"""The “Dân vận khéo” cycle's pages: the year's models of the wards the user sees, a ward's
registration, a model's page with the step the user may take next, its evidence files, and
the year's recognised models as a party document and a workbook."""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pages import paginate, query_without, require_permission, xlsx_download
from core.text import search_filter
from people.models import Person
from reports.documents import unit_document
from reports.views import pdf_response
from teams.models import ExemplaryModel
from teams.recognition import LEVELS
from wards.models import Ward
from wards.pages import manages, require_managed, seen_or_404, ward_for
from wards.scope import works_for_a_unit

from . import forms, services
from .models import CRITERIA, Evidence

CHANGE = "teams.change_exemplarymodel"


def year_of(request):
    """The year asked for (`?year=`), this year when it is not a plausible one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


@login_required
def model_list(request):
    """The models of a year of the wards the user sees, by ward; the recognised ones by level
    as a party document (`?format=pdf`) or a workbook (`?format=xlsx`)."""
    require_permission(request, "teams.view_exemplarymodel")
    year = year_of(request)
    filter_form = forms.ModelFilterForm(request.GET)
    filter_form.is_valid()
    data = filter_form.cleaned_data
    rows = ExemplaryModel.objects.visible_to(request.user).filter(year=year)
    rows = rows.select_related("ward", "team__residential_group").order_by(
        "ward__sort_name", "name"
    )
    if data.get("q"):
        rows = rows.filter(search_filter(data["q"]))
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if request.GET.get("ward"):  # from a ward's pages
        rows = rows.filter(ward__code=request.GET["ward"])
    if request.GET.get("format") in ("pdf", "xlsx"):
        return recognised_list(request, rows, year)
    # An officer registers a model of a ward they manage; staff and superusers from the
    # ward's pages (a button a ward would be 10,000 of them for a superuser).
    own = (
        []
        if works_for_a_unit(request.user)
        else Ward.objects.managed_by(request.user).order_by("sort_name", "code")
    )
    return render(
        request,
        "awards/model_list.html",
        {
            "year": year,
            "filter_form": filter_form,
            "page_obj": paginate(request, rows),
            "query": query_without(request, "page", "format"),
            "base_query": query_without(request, "page", "format", "year"),
            "own_wards": own,
        },
    )


LEVEL_ORDER = {level: index for index, level in enumerate(reversed(LEVELS))}


def recognised_list(request, rows, year):
    recognised = sorted(
        rows.filter(status=ExemplaryModel.Status.RECOGNISED),
        key=lambda model: (LEVEL_ORDER[model.recognition_level], model.ward.sort_name, model.name),
    )
    name = f"mo-hinh-dan-van-kheo-{year}"
    if request.GET["format"] == "xlsx":
        require_permission(request, "teams.export_exemplarymodel")
        sheet = tablib.Dataset(
            headers=[
                "Cấp công nhận",
                "Phường",
                "Tên mô hình",
                "Lĩnh vực",
                "Số quyết định",
                "Ngày quyết định",
                "Khen thưởng",
            ],
            title=f"Dân vận khéo {year}",
        )
        for model in recognised:
            sheet.append(
                [
                    model.get_recognition_level_display(),
                    model.ward.name,
                    model.name,
                    model.get_field_display(),
                    model.decision_number,
                    model.decision_date.strftime("%d/%m/%Y") if model.decision_date else "",
                    model.reward,
                ]
            )
        return xlsx_download(request, sheet, name)
    by_level = {}
    for model in recognised:
        by_level.setdefault(model.get_recognition_level_display(), []).append(model)
    heading = unit_document(
        request.user.district,
        number="",
        day=timezone.localdate(),
        title=_("List of recognised “Dân vận khéo” models"),
    )
    return pdf_response(
        request,
        "awards/pdf/recognised_models.html",
        {**heading, "year": year, "by_level": by_level},
        name,
    )


@login_required
def model_add(request, code):
    ward = ward_for(request, code)
    require_permission(request, "teams.add_exemplarymodel")
    require_managed(request, ward)
    return model_form(request, ward=ward)


@login_required
def model_edit(request, pk):
    model = visible_model(request, pk)
    require_permission(request, CHANGE)
    require_managed(request, model)
    if model.status not in (
        ExemplaryModel.Status.REGISTERED,
        ExemplaryModel.Status.NOT_RECOGNISED,
    ):
        messages.error(request, _("A model is edited while registered, or once not recognised."))
        return redirect("awards:model_detail", model.pk)
    return model_form(request, ward=model.ward, instance=model)


def model_form(request, *, ward, instance=None):
    data = request.POST if request.method == "POST" else None
    initial = {"year": timezone.localdate().year} if instance is None else {}
    form = forms.ExemplaryModelForm(
        data, instance=instance, initial=initial, ward=ward, user=request.user
    )
    if form.is_bound and form.is_valid():
        model = form.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": model})
        return redirect("awards:model_detail", model.pk)
    return render(
        request,
        "teams/record_form.html",
        {
            "ward": ward,
            "form": form,
            "title": _("Register a “Dân vận khéo” model")
            if instance is None
            else _("Edit: %(record)s") % {"record": instance},
            "cancel_url": reverse("awards:model_detail", args=[instance.pk])
            if instance
            else reverse("awards:model_list"),
        },
    )


def visible_model(request, pk):
    return seen_or_404(
        request, ExemplaryModel.objects.select_related("ward", "team__residential_group"), pk=pk
    )


@login_required
def model_detail(request, pk):
    """A model: what it is, its evidence, its evaluations and recognition; and the form of
    each step the user may take now (`services` decides, the forms offer no more)."""
    model = visible_model(request, pk)
    user = request.user
    writes = manages(request, model) and user.has_perm(CHANGE)
    Status = ExemplaryModel.Status
    allowed = {
        "propose": writes and model.status in (Status.REGISTERED, Status.NOT_RECOGNISED),
        "evaluate": writes and model.status == Status.PROPOSED and services.may_evaluate(user),
        "recognise": writes
        and model.status in (Status.REGISTERED, Status.PROPOSED, Status.EVALUATED),
        "evidence": writes and model.status != Status.RECOGNISED,
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step is not None and not allowed.get(step):
        raise PermissionDenied(f"step {step}")
    data = request.POST if step else None
    step_forms = {
        "propose": forms.ProposeForm(data if step == "propose" else None),
        "evaluate": forms.EvaluationForm(data if step == "evaluate" else None),
        "recognise": forms.RecognitionForm(data if step == "recognise" else None, user=user),
        "evidence": forms.EvidenceForm(
            data if step == "evidence" else None, request.FILES if step == "evidence" else None
        ),
    }
    if step and step_forms[step].is_valid():
        try:
            take(step, model, step_forms[step].cleaned_data, user)
        except services.StepRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Saved: %(record)s.") % {"record": model})
            return redirect("awards:model_detail", model.pk)
    return render(
        request,
        "awards/model_detail.html",
        {
            "model": model,
            "ward": model.ward,
            "evidence": model.evidence.select_related("uploaded_by"),
            "people": model.people.visible_to(user).select_related("residential_group"),
            "evaluations": model.evaluations.select_related("evaluated_by"),
            "criteria": CRITERIA,
            "forms": {name: form for name, form in step_forms.items() if allowed[name]},
            "can_edit": writes and model.status in (Status.REGISTERED, Status.NOT_RECOGNISED),
        },
    )


def take(step, model, data, user):
    if step == "propose":
        services.propose(model, level=data["level"])
    elif step == "evaluate":
        services.evaluate(
            model,
            scores=data["scores"],
            comment=data["comment"],
            recommended=data["recommended"],
            user=user,
        )
    elif step == "recognise":
        services.recognise(model, user=user, **data)
    else:
        services.evidence_add(
            model, upload=data["file"], facts=data["facts"], caption=data["caption"], user=user
        )


@login_required
def evidence_file(request, pk):
    """An evidence file, to those who may see its model's ward (404 to anyone else), as an
    attachment: never shown inline, never sniffed as another type."""
    evidence = seen_or_404(request, Evidence.objects.all(), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("evidence file missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def person_models(request, pk):
    """The “Dân vận khéo” models of their ward that a person carries, ticked from their
    page by those who manage the ward."""
    person = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    require_permission(request, CHANGE)
    require_managed(request, person)
    form = forms.PersonModelsForm(
        request.POST if request.method == "POST" else None, person=person, user=request.user
    )
    if form.is_bound and form.is_valid():
        form.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": person})
        return redirect("people:person_detail", person.pk)
    return render(
        request,
        "teams/record_form.html",
        {
            "ward": person.residential_group.ward,
            "form": form,
            "title": _("%(person)s: the “Dân vận khéo” models they carry") % {"person": person},
            "cancel_url": reverse("people:person_detail", args=[person.pk]),
        },
    )
