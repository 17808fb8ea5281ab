"""The workspace's forms: records of one ward's teams, sized for a phone."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pages import DayFirstDateInput, date_field
from core.text import validate_search
from core.work_fields import WorkField
from wards.forms import ScopedModelForm
from wards.models import ResidentialGroup

from .models import Activity, CitizenFeedback, FeedbackStep, Member, Team

OLDEST_BIRTH_YEAR = 1900  # as the database allows, so that imported members stay editable
YOUNGEST_MEMBER_AGE = 16


class WardRecordForm(ScopedModelForm):
    """A record of one of the ward's teams: the team is chosen among them only, those of
    groups a reorganisation ended left out (but the record's own)."""

    def __init__(self, *args, ward, user, **kwargs):
        self.ward, self.user = ward, user
        super().__init__(*args, **kwargs)

    def narrow_choices(self):
        self.fields["team"].queryset = (
            Team.objects.visible_to(self.user)
            .in_ward(self.ward)
            .filter(Q(residential_group__valid_until__isnull=True) | Q(pk=self.instance.team_id))
            .select_related(Team.ward_path)
            .order_by("residential_group__code")
        )
        self.fields["team"].label_from_instance = lambda team: team.residential_group.name


class MemberForm(WardRecordForm):
    joined_on = date_field(_("joined on"), required=False)
    left_on = date_field(_("left on"), required=False)

    class Meta:
        model = Member
        fields = [
            "team",
            "full_name",
            "gender",
            "birth_year",
            "phone",
            "is_party_member",
            "organisation",
            "role",
            "joined_on",
            "left_on",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        latest = timezone.localdate().year - YOUNGEST_MEMBER_AGE
        if year is not None and not OLDEST_BIRTH_YEAR <= year <= latest:
            raise forms.ValidationError(
                _("Enter a year of birth between %(oldest)d and %(latest)d."),
                params={"oldest": OLDEST_BIRTH_YEAR, "latest": latest},
                code="implausible",
            )
        return year


class ActivityForm(WardRecordForm):
    date = date_field(_("date"))

    class Meta:
        model = Activity
        fields = [
            "team",
            "date",
            "field",
            "title",
            "description",
            "households_reached",
            "participants",
            "outcome",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "households_reached": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "participants": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }


class FeedbackForm(WardRecordForm):
    received_on = date_field(_("received on"))
    forwarded_on = date_field(_("forwarded on"), required=False)
    answered_on = date_field(_("answer received on"), required=False)
    resolved_on = date_field(_("resolved on"), required=False)

    class Meta:
        model = CitizenFeedback
        fields = [
            "team",
            "received_on",
            "field",
            "summary",
            "status",
            "forwarded_to",
            "forwarded_on",
            "answered_on",
            "resolved_on",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class FeedbackStepForm(forms.ModelForm):
    """A step of a feedback's follow-up (`services.feedback_step_add`), in the order the
    steps come: an answer after a forwarding, one resolution, no day before the feedback's."""

    date = date_field(_("date"))

    class Meta:
        model = FeedbackStep
        fields = ["kind", "date", "party", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, feedback, **kwargs):
        self.feedback = feedback
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        kind, date = data.get("kind"), data.get("date")
        feedback, Kind = self.feedback, FeedbackStep.Kind
        if date and date < feedback.received_on:
            self.add_error(
                "date",
                _("The feedback was received on %(day)s: a step cannot come before.")
                % {"day": feedback.received_on.strftime("%d/%m/%Y")},
            )
        if kind == Kind.FORWARDED and not data.get("party"):
            self.add_error("party", _("Say to whom the feedback was forwarded."))
        if kind == Kind.ANSWERED:
            if feedback.forwarded_on is None and not feedback.forwarded_to:
                self.add_error("kind", _("Record the forwarding first: nothing awaits an answer."))
            elif date and feedback.forwarded_on and date < feedback.forwarded_on:
                self.add_error(
                    "date",
                    _("It was forwarded on %(day)s: the answer cannot come before.")
                    % {"day": feedback.forwarded_on.strftime("%d/%m/%Y")},
                )
        if kind == Kind.RESOLVED and feedback.status == CitizenFeedback.Status.RESOLVED:
            self.add_error("kind", _("This feedback is already resolved."))
        return data


# Filters of the lists (GET forms: every field optional).


class ListFilterForm(forms.Form):
    SORTS = {}

    q = forms.CharField(label=_("Search"), required=False, validators=[validate_search])
    group = forms.ModelChoiceField(
        label=_("Residential group"), queryset=ResidentialGroup.objects.none(), required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data, *, ward, user):
        super().__init__(data)
        self.fields["group"].queryset = (
            ResidentialGroup.objects.visible_to(user).filter(ward=ward).order_by("code")
        )
        # The page names the ward; the options need only the group's name.
        self.fields["group"].label_from_instance = lambda group: group.name
        self.fields["sort"].choices = [(key, label) for key, (label, _order) in self.SORTS.items()]

    def filters(self):
        """The valid filters (an invalid one is shown with its error and left out), and the
        ordering chosen."""
        self.is_valid()
        data = self.cleaned_data
        sort = data.get("sort") or next(iter(self.SORTS))
        return data, self.SORTS[sort][1]


class PeriodMixin(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DayFirstDateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DayFirstDateInput())


class MemberFilterForm(ListFilterForm):
    SORTS = {
        "name": (_("Name (A–Z)"), ["sort_name"]),
        "-name": (_("Name (Z–A)"), ["-sort_name"]),
        "birth_year": (_("Oldest first"), ["birth_year", "sort_name"]),
        "group": (_("Residential group"), ["team__residential_group__code", "sort_name"]),
    }
    CURRENT, FORMER, ALL = "current", "former", "all"

    organisation = forms.ChoiceField(
        label=_("Organisation represented"),
        choices=[("", "—"), *Member.Organisation.choices],
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *Member.Role.choices], required=False
    )
    party = forms.ChoiceField(
        label=_("Party member"),
        choices=[("", "—"), ("yes", _("Party members")), ("no", _("Not party members"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Membership"),
        choices=[(CURRENT, _("Current members")), (FORMER, _("Former members")), (ALL, _("All"))],
        required=False,
    )


class ActivityFilterForm(PeriodMixin, ListFilterForm):
    SORTS = {
        "-date": (_("Newest first"), ["-date", "title"]),
        "date": (_("Oldest first"), ["date", "title"]),
        "-households": (_("Most households reached"), ["-households_reached", "-date"]),
    }

    field = forms.ChoiceField(
        label=_("Field"), choices=[("", "—"), *WorkField.choices], required=False
    )


class FeedbackFilterForm(PeriodMixin, ListFilterForm):
    SORTS = {
        "-received": (_("Newest first"), ["-received_on"]),
        "received": (_("Oldest first"), ["received_on"]),
    }

    field = forms.ChoiceField(
        label=_("Field"), choices=[("", "—"), *WorkField.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *CitizenFeedback.Status.choices], required=False
    )
    overdue = forms.ChoiceField(
        label=_("Follow-up"),
        choices=[("", "—"), ("yes", _("Overdue: waiting too long for its next step"))],
        required=False,
    )


class TeamReorganisationForm(forms.Form):
    """The leader of the team that a reorganisation makes (`reorganisations.preview`): one of
    the current members of the old teams, by id; any other value is a choice not offered.
    When no old team had a leader, one must be chosen."""

    leader = forms.ChoiceField(label=_("Leader of the new team"))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {team.pk: team.residential_group for team in plan.teams}
        self.members = {str(seat.member.pk): seat.member for seat in plan.seats}
        self.fields["leader"].choices = [
            (key, f"{member.full_name} · {groups[member.team_id].name}")
            for key, member in self.members.items()
        ]
        if plan.leader is None:
            self.fields["leader"].choices.insert(0, ("", "—"))

    def clean_leader(self):
        return self.members[self.cleaned_data["leader"]]
