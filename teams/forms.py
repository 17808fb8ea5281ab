"""The workspace's forms: records of one ward's teams, sized for a phone."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorsBesideFields
from core.pages import DayFirstDateField, date_field
from core.text import validate_search
from core.work_fields import WorkField
from people.identity import Identity, describe_person, find
from people.models import Person, id_number_validator, phone_validator
from wards.forms import ScopedModelForm
from wards.models import ResidentialGroup

from .models import Activity, CitizenFeedback, FeedbackStep, Member, PrestigiousPerson, Team

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
    """A member and who they are. The person's details are typed here; the person already
    recorded is found by them (`people.identity`) and linked, not recorded twice. One who
    only shares a name and a year of birth with the person typed is offered to choose, or
    to confirm as another person. Editing a member edits their person, in all their roles."""

    full_name = forms.CharField(label=_("Full name"), max_length=100)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Person.Gender.choices])
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label=_("Identity number"),
        max_length=12,
        required=False,
        validators=[id_number_validator],
        help_text=Person._meta.get_field("id_number").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    joined_on = date_field(_("joined on"), required=False)
    left_on = date_field(_("left on"), required=False)

    PERSON_FIELDS = ("full_name", "gender", "birth_year", "phone", "id_number")

    class Meta:
        model = Member
        fields = ["team", "is_party_member", "organisation", "role", "joined_on", "left_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.PERSON_FIELDS:
                self.initial[name] = getattr(self.instance.person, name)
        self.order_fields([*self.PERSON_FIELDS, "team"])
        self.chosen_person = self.linked = None
        # A new member's person is found among those the user may change (`clean`); an
        # existing member's may live in a ward they do not manage.
        self.person_editable = not self.instance.pk or (
            Person.objects.managed_by(self.user).filter(pk=self.instance.person_id).exists()
        )
        if not self.person_editable:
            for name in self.PERSON_FIELDS:  # shown, not editable, and without personal data
                self.fields[name].disabled = True
            for name in ("phone", "id_number"):
                del self.fields[name]

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

    def clean(self):
        data = super().clean()
        team = data.get("team")
        if team is None or any(name in self.errors for name in self.PERSON_FIELDS):
            return data
        person = self.instance.person if self.instance.pk else None
        if not self.person_editable:
            # A person of a ward the user does not manage: their seat is edited, not them.
            self.chosen_person = person
            return data
        if person is None:
            identity = Identity(
                data["full_name"],
                data.get("birth_year"),
                data.get("phone", ""),
                team.residential_group_id,
                data.get("id_number", ""),
            )
            # Among the people of the team's ward that the user may change.
            people = Person.objects.managed_by(self.user).filter(
                residential_group__ward=team.residential_group.ward_id
            )
            found, likely = find(identity, people=people)
            if len(found) == 1:
                person = self.linked = found[0]
            elif found or likely:  # several recorded twice are offered too
                person = self.linked = self.choose_among(found or likely)
        if person is None:
            person = Person(residential_group=team.residential_group)
        taken = Person.objects.filter(id_number=data.get("id_number") or None)
        if person.pk:
            taken = taken.exclude(pk=person.pk)
        if data.get("id_number") and taken.exists():
            self.add_error("id_number", _("This identity number is already recorded."))
        for name in self.PERSON_FIELDS:
            value = data.get(name)
            # Editing a member edits their person; adding one fills what the person lacks.
            if self.instance.pk or (value not in (None, "") and not getattr(person, name)):
                setattr(person, name, value if value is not None else None)
        self.chosen_person = person
        return data

    def choose_among(self, likely):
        """The person chosen among those `likely` to be the one typed, or None for a new
        one once confirmed; the choice is offered (an error) until it is made."""
        self.fields["person"] = forms.ModelChoiceField(
            label=_("Already recorded"),
            queryset=Person.objects.filter(pk__in=[p.pk for p in likely]).select_related(
                "residential_group"
            ),
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["person"].label_from_instance = describe_person
        self.fields["new_person"] = forms.BooleanField(
            label=_("This is another person, not yet recorded"), required=False
        )
        self.order_fields([*self.PERSON_FIELDS, "person", "new_person", "team"])
        chosen = self.fields["person"].clean(self.data.get(self.add_prefix("person")) or None)
        if chosen is not None:
            return chosen
        if self.fields["new_person"].clean(self.data.get(self.add_prefix("new_person"))):
            return None
        self.add_error(
            "person",
            _(
                "Someone with this name and year of birth is already recorded: choose them, "
                "or confirm that this is another person."
            ),
        )
        return None

    def save(self, commit=True):
        person = self.chosen_person
        if self.person_editable:
            person.save()
        self.instance.person = person
        return super().save(commit)


class HelpedByForm(WardRecordForm):
    """A record some of the ward's prestigious people helped with: they are ticked here."""

    helped_by = forms.ModelMultipleChoiceField(
        label=_("Prestigious people who helped"),
        queryset=PrestigiousPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def narrow_choices(self):
        super().narrow_choices()
        helpers = self.helpers()
        field = self.fields["helped_by"]
        field.queryset = (
            PrestigiousPerson.objects.visible_to(self.user)
            .in_ward(self.ward)
            .filter(Q(until__isnull=True) | Q(pk__in=helpers))
            .select_related("person", "residential_group")
            .order_by("residential_group__code", "person__sort_name")
        )
        field.label_from_instance = lambda role: (
            f"{role.person.full_name} · {role.residential_group.name}"
        )
        if self.instance.pk:
            self.initial["helped_by"] = helpers

    def helpers(self):
        if self.instance.pk is None:
            return []
        return list(self.instance.prestigious_people.values_list("pk", flat=True))

    def save(self, commit=True):
        record = super().save(commit)
        record.prestigious_people.set(self.cleaned_data["helped_by"])
        return record


class ActivityForm(HelpedByForm):
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


class FeedbackForm(HelpedByForm):
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


class FeedbackStepForm(ErrorsBesideFields, forms.ModelForm):
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
    date_from = DayFirstDateField(label=_("From"), required=False)
    date_to = DayFirstDateField(label=_("To"), required=False)


class MemberFilterForm(ListFilterForm):
    SORTS = {
        "name": (_("Name (A–Z)"), ["person__sort_name", "pk"]),
        "-name": (_("Name (Z–A)"), ["-person__sort_name", "-pk"]),
        "birth_year": (_("Oldest first"), ["person__birth_year", "person__sort_name", "pk"]),
        "group": (
            _("Residential group"),
            ["team__residential_group__code", "person__sort_name", "pk"],
        ),
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
            (key, f"{member.person.full_name} · {groups[member.team_id].name}")
            for key, member in self.members.items()
        ]
        if plan.leader is None:
            self.fields["leader"].choices.insert(0, ("", "—"))

    def clean_leader(self):
        return self.members[self.cleaned_data["leader"]]


class PrestigeForm(ScopedModelForm):
    """A person recorded as prestigious in a residential group of their ward."""

    since = date_field(_("since"), required=False)
    until = date_field(_("until"), required=False)

    class Meta:
        model = PrestigiousPerson
        fields = ["residential_group", "standing", "since", "until"]

    def __init__(self, *args, person, user, **kwargs):
        self.person, self.user = person, user
        super().__init__(*args, **kwargs)

    def narrow_choices(self):
        self.fields["residential_group"].queryset = (
            ResidentialGroup.objects.managed_by(self.user)
            .filter(ward=self.person.residential_group.ward_id, valid_until__isnull=True)
            .order_by("code")
        )
        self.fields["residential_group"].label_from_instance = lambda group: group.name
        self.initial.setdefault("residential_group", self.person.residential_group_id)

    def save(self, commit=True):
        self.instance.person = self.person
        return super().save(commit)
