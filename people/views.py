"""People's pages: a ward's people with their roles, a person's page, their details, and
the duplicates found with a merge previewed before it is done. Personal data (phone,
identity number) is shown to those who manage the ward only, and its sight is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.pages import paginate, query_without, require_permission
from core.text import search_filter
from wards.pages import manages, require_managed, seen_or_404, ward_for

from . import merging, protection
from .forms import PersonFilterForm, PersonForm, PositionForm
from .identity import Identity, likely, same
from .models import Person

CHANGE = "people.change_person"


def role_filters():
    """{role: a condition on people} for the list's role filter, from their roles' models
    (found through the relations to `Person`, as a merge finds them)."""
    found = {}
    for relation in merging.relations():
        model = relation.related_model
        role = getattr(model, "person_role", None)
        if role is None:
            continue
        if relation.many_to_many:
            found[role] = Exists(
                relation.through.objects.filter(
                    **{relation.field.m2m_reverse_field_name(): OuterRef("pk")}
                )
            )
        else:
            found[role] = Exists(model.objects.filter(**{relation.field.name: OuterRef("pk")}))
    return found


@login_required
def person_list(request, code):
    ward = ward_for(request, code)
    require_permission(request, "people.view_person")
    filter_form = PersonFilterForm(request.GET, ward=ward, user=request.user)
    filter_form.is_valid()
    data = filter_form.cleaned_data
    rows = (
        Person.objects.visible_to(request.user).in_ward(ward).select_related("residential_group")
    )
    if data.get("q"):
        rows = rows.filter(search_filter(data["q"]))
    if data.get("group"):
        rows = rows.filter(residential_group=data["group"])
    if data.get("role"):
        rows = rows.filter(role_filters()[data["role"]])
    writes = manages(request, ward) and request.user.has_perm(CHANGE)
    return render(
        request,
        "people/person_list.html",
        {
            "ward": ward,
            "filter_form": filter_form,
            "page_obj": paginate(request, rows.order_by("sort_name", "pk")),
            "query": query_without(request, "page"),
            "personal": writes,
            "can_add": writes,
            "add_url": reverse("people:person_add", args=[ward.code]),
        },
    )


@login_required
def person_detail(request, pk):
    person = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    ward = person.residential_group.ward
    writes = manages(request, person) and request.user.has_perm(CHANGE)
    personal = protection.may_see_personal(request, manages=writes)
    if personal and (person.phone or person.id_number):
        protection.log_personal_data(request, f"{person._meta.label_lower} {person.pk}")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "ward": ward,
            "personal": personal,
            "can_change": writes,
            "can_add_position": writes and request.user.has_perm("people.add_position"),
            "can_add_prestige": writes and request.user.has_perm("teams.add_prestigiousperson"),
            "memberships": person.memberships.visible_to(request.user)
            .select_related("team__residential_group__ward")
            .order_by("-joined_on"),
            "positions": person.positions.order_by("-started_on"),
            "prestige": person.prestigious_roles.select_related("residential_group"),
            "can_tick_models": writes and request.user.has_perm("teams.change_exemplarymodel"),
            "trainings": person.trainings.visible_to(request.user).order_by("-date"),
            "contributions": person.contributions.visible_to(request.user)
            .select_related("session__seminar")
            .order_by("-session__date"),
            "exemplary_models": person.exemplary_models.visible_to(request.user),
            "merges": person.merges.select_related("merged_by"),
        },
    )


def person_form(request, *, ward, instance=None):
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, instance=instance, ward=ward, user=request.user)
    if form.is_bound and form.is_valid():
        person = form.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": person})
        return redirect("people:person_detail", person.pk)
    return render(
        request,
        "teams/record_form.html",
        {
            "ward": ward,
            "form": form,
            "title": _("New person")
            if instance is None
            else _("Edit: %(record)s") % {"record": instance},
            "cancel_url": reverse("people:person_detail", args=[instance.pk])
            if instance
            else reverse("people:person_list", args=[ward.code]),
        },
    )


@login_required
def person_add(request, code):
    ward = ward_for(request, code)
    require_permission(request, "people.add_person")
    require_managed(request, ward)
    return person_form(request, ward=ward)


@login_required
def person_edit(request, pk):
    person = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    require_permission(request, CHANGE)
    require_managed(request, person)
    return person_form(request, ward=person.residential_group.ward, instance=person)


@login_required
def duplicates(request, code):
    """The ward's people found twice: pairs of the same person by the rule (`identity`),
    and pairs likely the same, each with a link to its merge's preview."""
    ward = ward_for(request, code)
    require_permission(request, CHANGE)
    require_managed(request, ward)
    people = Person.objects.visible_to(request.user).in_ward(ward)
    shared = (
        people.values("name_key", "birth_year")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
        .order_by("name_key", "birth_year")
    )
    page = paginate(request, shared)
    keys = [(row["name_key"], row["birth_year"]) for row in page]
    found = people.filter(name_key__in=[key for key, _year in keys]).select_related(
        "residential_group"
    )
    by_key = {}
    for person in found.order_by("pk"):
        by_key.setdefault((person.name_key, person.birth_year), []).append(person)
    pairs = []
    for key in keys:
        group = by_key.get(key, [])
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if same(Identity.of(first), second):
                    pairs.append((first, second, True))
                elif likely(Identity.of(first), second):
                    pairs.append((first, second, False))
    return render(
        request,
        "people/duplicates.html",
        {"ward": ward, "pairs": pairs, "page_obj": page, "query": query_without(request, "page")},
    )


@login_required
def merge(request, pk, other):
    """The merge of person `other` into person `pk`: previewed (GET), done (POST)."""
    kept = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    removed = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=other)
    require_permission(request, CHANGE)
    require_permission(request, "people.delete_person")
    require_managed(request, kept)
    require_managed(request, removed)
    ward = kept.residential_group.ward
    try:
        plan = merging.preview(kept, removed)
    except merging.MergeRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("people:person_detail", kept.pk)
    if kept.phone or kept.id_number or removed.phone or removed.id_number:
        protection.log_personal_data(request, f"people.person {kept.pk} {removed.pk}")
    if request.method == "POST":
        merging.apply(plan, user=request.user)
        messages.success(
            request,
            _("%(removed)s merged into %(kept)s: %(count)s roles moved.")
            % {"removed": removed, "kept": kept, "count": plan.moved},
        )
        return redirect("people:person_detail", kept.pk)
    return render(request, "people/merge.html", {"ward": ward, "plan": plan, "personal": True})


@login_required
def position_add(request, pk):
    """A post the person holds, recorded by those who manage their ward."""
    person = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    require_permission(request, "people.add_position")
    require_managed(request, person)
    form = PositionForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        form.instance.person = person
        position = form.save()
        messages.success(request, _("Saved: %(record)s.") % {"record": position})
        return redirect("people:person_detail", person.pk)
    return render(
        request,
        "teams/record_form.html",
        {
            "ward": person.residential_group.ward,
            "form": form,
            "title": _("A post held by %(person)s") % {"person": person},
            "cancel_url": reverse("people:person_detail", args=[person.pk]),
        },
    )
