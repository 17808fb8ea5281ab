"""The ward officer's workspace: lists, a team's page, and forms for members, activities
and citizen feedback. Scope comes from `visible_to`; what a role may write, from its
permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.pages import paginate, query_without, require_permission, xlsx_download
from core.text import slug
from people import protection
from people.identity import describe_person
from people.models import Person
from wards.models import ResidentialGroup
from wards.pages import manages, require_managed, seen_or_404, ward_for

from . import forms, reorganisations, selectors, services
from .models import Activity, CitizenFeedback, Member, Team
from .resources import ActivityResource, FeedbackResource, MemberResource

# What each kind of record needs: its list's filters and rows, the export, the form, and
# where a saved record is shown. Its URLs are named teams:<kind>_list, _add, _edit, _delete;
# its list's template is teams/<kind>_list.html.
KINDS = {
    "member": {
        "model": Member,
        "filter_form": forms.MemberFilterForm,
        "rows": selectors.member_rows,
        "resource": MemberResource,
        "file": "thanh-vien",  # the download's name, with the ward's
        "form": forms.MemberForm,
        # A new or edited member is shown in their team.
        "saved": lambda member, ward: reverse("teams:team_detail", args=[member.team_id]),
    },
    "activity": {
        "model": Activity,
        "filter_form": forms.ActivityFilterForm,
        "rows": selectors.activity_rows,
        "resource": ActivityResource,
        "file": "hoat-dong",
        "form": forms.ActivityForm,
        "saved": lambda activity, ward: reverse("teams:activity_list", args=[ward.code]),
    },
    "feedback": {
        "model": CitizenFeedback,
        "filter_form": forms.FeedbackFilterForm,
        "rows": selectors.feedback_rows,
        "resource": FeedbackResource,
        "file": "y-kien-kien-nghi",
        "form": forms.FeedbackForm,
        "saved": lambda feedback, ward: reverse("teams:feedback_detail", args=[feedback.pk]),
    },
}


def permission(kind, action):
    model = KINDS[kind]["model"]._meta
    return f"{model.app_label}.{action}_{model.model_name}"


@login_required
def record_list(request, code, kind):
    """A ward's records of one kind: filters, search, sort, pages, and the same list as an
    Excel file (`?format=xlsx`)."""
    spec = KINDS[kind]
    ward = ward_for(request, code)
    filter_form = spec["filter_form"](request.GET, ward=ward, user=request.user)
    filters, ordering = filter_form.filters()
    rows = spec["rows"](ward=ward, user=request.user, filters=filters, ordering=ordering)
    # A ward the user only reads (a predecessor, one that ended) is offered no writing, and
    # is shown no personal data.
    writes = manages(request, ward)
    personal = kind == "member" and protection.may_see_personal(request, manages=writes)
    if request.GET.get("format") == "xlsx":
        require_permission(request, permission(kind, "export"))
        options = {"personal": personal} if kind == "member" else {}
        dataset = spec["resource"](user=request.user, **options).export(queryset=rows)
        dataset.title = capfirst(spec["model"]._meta.verbose_name_plural)
        name = f"{spec['file']}-{slug(ward.name)}"
        if personal:
            protection.log_personal_data(request, f"{name}.xlsx")
        return xlsx_download(request, dataset, name)
    return render(
        request,
        f"teams/{kind}_list.html",
        {
            "ward": ward,
            "filter_form": filter_form,
            "page_obj": paginate(request, rows),
            "query": query_without(request, "page", "format"),
            "can_add": writes and request.user.has_perm(permission(kind, "add")),
            "can_change": writes and request.user.has_perm(permission(kind, "change")),
            "can_export": request.user.has_perm(permission(kind, "export")),
            "personal": personal,
        },
    )


def record_form(request, *, kind, ward, instance=None):
    spec = KINDS[kind]
    form_class = spec["form"]
    initial = {}
    if instance is None:
        today = timezone.localdate()
        initial = {"date": today, "received_on": today, "team": request.GET.get("team")}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=instance, initial=initial, ward=ward, user=request.user)
    if form.is_bound and form.is_valid():
        record = services.record_save(form=form, user=request.user)
        messages.success(request, _("Saved: %(record)s.") % {"record": record})
        if getattr(form, "linked", None):  # a member's person found among those recorded
            messages.info(
                request,
                _("%(person)s was already recorded: the seat is theirs, with their other roles.")
                % {"person": describe_person(form.linked)},
            )
        return redirect(spec["saved"](record, ward))
    if instance is None:
        title = _("New %(record)s") % {"record": spec["model"]._meta.verbose_name}
    else:
        title = _("Edit: %(record)s") % {"record": instance}
    may_delete = instance is not None and request.user.has_perm(permission(kind, "delete"))
    return render(
        request,
        "teams/record_form.html",
        {
            "ward": ward,
            "form": form,
            "title": title,
            "cancel_url": reverse(f"teams:{kind}_list", args=[ward.code]),
            "delete_url": reverse(f"teams:{kind}_delete", args=[instance.pk])
            if may_delete
            else "",
        },
    )


@login_required
def record_add(request, code, kind):
    ward = ward_for(request, code)  # out of scope: 404 for every role, before the role's 403
    require_permission(request, permission(kind, "add"))
    require_managed(request, ward)
    return record_form(request, kind=kind, ward=ward)


def visible_record(request, kind, pk):
    model = KINDS[kind]["model"]
    record = seen_or_404(request, model.objects.select_related(model.team_ward_path), pk=pk)
    return record, record.team.residential_group.ward


@login_required
def record_edit(request, kind, pk):
    record, ward = visible_record(request, kind, pk)
    require_permission(request, permission(kind, "change"))
    require_managed(request, record)
    return record_form(request, kind=kind, ward=ward, instance=record)


@login_required
def record_delete(request, kind, pk):
    record, ward = visible_record(request, kind, pk)
    require_permission(request, permission(kind, "delete"))
    require_managed(request, record)
    if request.method == "POST":
        services.record_delete(record=record)
        messages.success(request, _("Deleted: %(record)s.") % {"record": record})
        return redirect(reverse(f"teams:{kind}_list", args=[ward.code]))
    return render(
        request,
        "teams/record_delete.html",
        {
            "ward": ward,
            "record": record,
            "cancel_url": reverse(f"teams:{kind}_edit", args=[record.pk]),
        },
    )


@login_required
def feedback_detail(request, pk):
    """A feedback item and its follow-up log; who manages its ward adds the next step."""
    feedback, ward = visible_record(request, "feedback", pk)
    may_add = manages(request, feedback) and request.user.has_perm(
        permission("feedback", "change")
    )
    if request.method == "POST":
        require_permission(request, permission("feedback", "change"))
        require_managed(request, feedback)
    data = request.POST if request.method == "POST" else None
    form = forms.FeedbackStepForm(data, feedback=feedback, initial={"date": timezone.localdate()})
    if form.is_bound and form.is_valid():
        step = services.feedback_step_add(
            feedback=feedback, user=request.user, **form.cleaned_data
        )
        messages.success(request, _("Step recorded: %(step)s.") % {"step": step})
        return redirect("teams:feedback_detail", feedback.pk)
    return render(
        request,
        "teams/feedback_detail.html",
        {
            "ward": ward,
            "feedback": feedback,
            "steps": feedback.steps.select_related("recorded_by"),
            "days_waiting": feedback.days_waiting(),
            "form": form if may_add else None,
            "can_change": may_add,
        },
    )


@login_required
def team_detail(request, pk):
    team = seen_or_404(request, Team.objects.select_related(Team.ward_path), pk=pk)
    context = selectors.team_page(team=team, user=request.user)
    writes = manages(request, team)
    personal = protection.may_see_personal(request, manages=writes)
    return render(
        request,
        "teams/team_detail.html",
        {
            **context,
            "team": team,
            "ward": team.residential_group.ward,
            "can_add": writes and request.user.has_perm(permission("activity", "add")),
            "can_change_member": writes and request.user.has_perm(permission("member", "change")),
            "personal": personal,
        },
    )


@login_required
def team_reorganise(request, pk):
    """Kiện toàn tổ dân vận: the teams of the groups a new residential group came from made
    one (`reorganisations`). A GET or a POST of `action=preview` shows what would be done,
    with the leader chosen; a POST of `action=apply` does it."""
    # Out of scope: 404 for every role, before the role's 403.
    group = seen_or_404(request, ResidentialGroup.objects.select_related("ward"), pk=pk)
    require_permission(request, "teams.add_team")
    require_managed(request, group)
    context = {"group": group, "ward": group.ward}

    def refused(refusal):
        messages.error(request, str(refusal))
        # A team made meanwhile (a second submission) is linked.
        team = Team.objects.filter(residential_group=group).first()
        return render(request, "teams/team_reorganise.html", {**context, "team": team})

    try:
        plan = reorganisations.preview(group, user=request.user)
    except reorganisations.TeamReorganisationRefused as refusal:
        return refused(refusal)
    if not plan.seats:  # nothing to carry: the group's team is added as any other
        return render(request, "teams/team_reorganise.html", {**context, "plan": plan})
    data = request.POST if request.method == "POST" else None
    initial = {"leader": str(plan.leader.pk)} if plan.leader else {}
    form = forms.TeamReorganisationForm(data, initial=initial, plan=plan)
    if form.is_bound and form.is_valid():
        applying = request.POST.get("action") == "apply"
        try:
            if form.cleaned_data["leader"] != plan.leader:
                plan = reorganisations.preview(
                    group, user=request.user, leader=form.cleaned_data["leader"]
                )
            team = reorganisations.apply(plan) if applying else None
        except reorganisations.TeamReorganisationRefused as refusal:
            return refused(refusal)
        if team is not None:
            carried = len(plan.seats)
            message = ngettext(
                "The team of %(group)s is made: %(count)d member carried.",
                "The team of %(group)s is made: %(count)d members carried.",
                carried,
            )
            messages.success(request, message % {"group": group.name, "count": carried})
            return redirect("teams:team_detail", team.pk)
    old_groups = {old.pk: old.residential_group for old in plan.teams}
    rows = [
        (seat.member, old_groups[seat.member.team_id], Member.Role(seat.role).label)
        for seat in plan.seats
    ]
    return render(
        request,
        "teams/team_reorganise.html",
        {**context, "plan": plan, "form": form, "rows": rows},
    )


@login_required
def prestige_add(request, pk):
    """A person recorded as prestigious in a group of their ward (conclusion task 3)."""
    person = seen_or_404(request, Person.objects.select_related(Person.ward_path), pk=pk)
    require_permission(request, "teams.add_prestigiousperson")
    require_managed(request, person)
    data = request.POST if request.method == "POST" else None
    form = forms.PrestigeForm(data, person=person, user=request.user)
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
            "title": _("%(person)s, a prestigious person") % {"person": person},
            "cancel_url": reverse("people:person_detail", args=[person.pk]),
        },
    )
