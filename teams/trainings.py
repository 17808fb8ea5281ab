"""Trainings' pages (conclusion task 2): the trainings planned and held in the user's scope,
one's page with its attendees — people, members of a team or not — recorded once it is held,
from a phone, by those who organise it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import date_field, paginate, query_without, require_permission
from core.text import search_filter, validate_search
from people.models import Person
from wards.forms import ScopedModelForm
from wards.models import Ward
from wards.pages import manages, require_managed, seen_or_404

from .models import Training

CHANGE = "teams.change_training"
FOUND = 20  # people a search offers to add at once


class TrainingForm(ScopedModelForm):
    date = date_field(gettext_lazy("date"), past_only=False)

    class Meta:
        model = Training
        fields = [
            "title",
            "status",
            "date",
            "place",
            "hours",
            "organiser",
            "organiser_level",
            "ward",
            "content",
        ]
        widgets = {
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def narrow_choices(self):
        wards = Ward.objects.managed_by(self.user).order_by("sort_name", "code")
        self.fields["ward"].queryset = wards
        if not (self.user.is_superuser or self.user.district_id):
            # An officer of wards organises their wards' trainings only.
            self.fields["ward"].required = True
            self.fields["organiser_level"].choices = [
                (Training.Level.WARD, Training.Level.WARD.label)
            ]

    def clean(self):
        data = super().clean()
        if not data.get("ward") and not self.user.district_id and self.instance.pk is None:
            self.add_error("ward", _("Choose the ward whose unit organises the training."))
        return data

    def save(self, commit=True):
        training = self.instance
        if training.district_id is None:
            ward = self.cleaned_data.get("ward")
            training.district_id = ward.district_id if ward else self.user.district_id
        return super().save(commit)


class TrainingFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, validators=[validate_search])
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", "—"), *Training.Status.choices],
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=1990, max_value=2100
    )


def may_organise(user):
    """Whether `user` has a unit, or a ward they manage, to organise trainings for."""
    unit = user.is_superuser or user.district_id
    return bool(unit) or Ward.objects.managed_by(user).exists()


@login_required
def training_list(request):
    require_permission(request, "teams.view_training")
    filter_form = TrainingFilterForm(request.GET)
    filter_form.is_valid()
    data = filter_form.cleaned_data
    rows = Training.objects.visible_to(request.user).select_related("ward", "district")
    if data.get("q"):
        rows = rows.filter(title__icontains=data["q"])
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    if data.get("year"):
        rows = rows.filter(date__year=data["year"])
    rows = rows.annotate(attendee_count=Count("attendees")).order_by("-date", "-pk")
    may_add = request.user.has_perm("teams.add_training") and may_organise(request.user)
    return render(
        request,
        "teams/training_list.html",
        {
            "filter_form": filter_form,
            "page_obj": paginate(request, rows),
            "query": query_without(request, "page"),
            "can_add": may_add,
            "add_url": reverse("teams:training_add"),
        },
    )


@login_required
def training_add(request):
    require_permission(request, "teams.add_training")
    if not may_organise(request.user):
        raise PermissionDenied("no ward to organise trainings for")
    return training_form(request)


@login_required
def training_edit(request, pk):
    training = visible_training(request, pk)
    require_permission(request, CHANGE)
    require_managed(request, training)
    return training_form(request, instance=training)


def training_form(request, instance=None):
    data = request.POST if request.method == "POST" else None
    initial = {} if instance else {"status": Training.Status.PLANNED}
    form = TrainingForm(data, instance=instance, initial=initial, user=request.user)
    if form.is_bound and form.is_valid():
        training = form.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": training})
        return redirect("teams:training_detail", training.pk)
    return render(
        request,
        "teams/record_form.html",
        {
            "form": form,
            "title": _("New training")
            if instance is None
            else _("Edit: %(record)s") % {"record": instance},
            "cancel_url": reverse("teams:training_detail", args=[instance.pk])
            if instance
            else reverse("teams:training_list"),
        },
    )


def visible_training(request, pk):
    return seen_or_404(request, Training.objects.select_related("ward", "district"), pk=pk)


def invitable(training, user):
    """The people who may be recorded at `training`: those of its ward (or its unit's wards)
    whom the user may change."""
    people = Person.objects.managed_by(user)
    if training.ward_id:
        return people.filter(residential_group__ward=training.ward_id)
    return people.filter(residential_group__ward__district=training.district_id)


def candidates(training, user, query):
    """The people a search offers to add: the invitable ones found, not attendees yet."""
    people = invitable(training, user).exclude(trainings=training)
    return people.filter(search_filter(query)).select_related(Person.ward_path)[:FOUND]


def ids(values):
    """The ids posted, each a whole number; anything else (a tampered form) left out."""
    return [value for value in values if value.isdigit()]


@login_required
def training_detail(request, pk):
    """A training, and its attendance: those who manage it add the people found by a search
    and take off those ticked, once it is held."""
    training = visible_training(request, pk)
    writes = manages(request, training) and request.user.has_perm(CHANGE)
    held = training.status == Training.Status.HELD
    query = request.GET.get("q", "").strip()
    if request.method == "POST":
        require_permission(request, CHANGE)
        require_managed(request, training)
        if not held:
            messages.error(request, _("Attendance is recorded once the training is held."))
        else:
            added = invitable(training, request.user).filter(
                pk__in=ids(request.POST.getlist("add"))
            )
            removed = training.attendees.filter(pk__in=ids(request.POST.getlist("remove")))
            training.attendees.add(*added)
            training.attendees.remove(*removed)
            messages.success(
                request,
                _("Attendance saved: %(added)s added, %(removed)s taken off.")
                % {"added": len(added), "removed": len(removed)},
            )
        return redirect(reverse("teams:training_detail", args=[training.pk]))
    try:
        validate_search(query)
    except forms.ValidationError as error:
        messages.error(request, error.messages[0])
        query = ""
    return render(
        request,
        "teams/training_detail.html",
        {
            "training": training,
            "attendees": training.attendees.select_related(Person.ward_path).order_by("sort_name"),
            "can_change": writes,
            "can_record": writes and held,
            "query": query,
            "found": candidates(training, request.user, query)
            if writes and held and query
            else [],
        },
    )
