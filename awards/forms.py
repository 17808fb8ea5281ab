"""The forms of the cycle's pages, sized for a phone; each offers only the levels the user
may choose (`services`), so that a tampered choice is an error beside its field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pages import date_field
from core.text import validate_search
from teams.forms import WardRecordForm
from teams.models import ExemplaryModel
from teams.recognition import levels_up_to, right_of

from .files import checked_upload
from .models import CRITERIA, PASS_MARK


class ExemplaryModelForm(WardRecordForm):
    """A model registered by its ward: what it is, not where it stands in the cycle."""

    class Meta:
        model = ExemplaryModel
        fields = ["name", "field", "year", "team", "description", "people_involved"]
        widgets = {
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "people_involved": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].required = False

    def save(self, commit=True):
        self.instance.ward = self.ward
        return super().save(commit)


class ProposeForm(forms.Form):
    level = forms.ChoiceField(label=_("Propose for recognition at"), choices=ExemplaryModel.Level)


class EvaluationForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    recommended = forms.BooleanField(label=_("Recommend recognition"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, most) in CRITERIA.items():
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=f"{label} (0–{most})",
                min_value=0,
                max_value=most,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        # The criteria first, as they are read.
        self.order_fields([f"score_{key}" for key in CRITERIA])

    def clean(self):
        data = super().clean()
        scores = {key: data.get(f"score_{key}") for key in CRITERIA}
        if None not in scores.values():
            total = sum(scores.values())
            if data.get("recommended") and total < PASS_MARK:
                self.add_error(
                    "recommended",
                    _("%(total)s points: recognition is recommended from %(mark)s points.")
                    % {"total": total, "mark": PASS_MARK},
                )
        data["scores"] = scores
        return data


class RecognitionForm(forms.Form):
    level = forms.ChoiceField(label=_("Recognised at"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = date_field(_("decision date"))
    reward = forms.CharField(label=_("Reward"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = levels_up_to(right_of(user))
        self.fields["level"].choices = [(level.value, level.label) for level in levels]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The refusal is shown beside the field; the facts go to `services.evidence_add`.
        self.cleaned_data["facts"] = checked_upload(upload)
        return upload


class ModelFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, validators=[validate_search])
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *ExemplaryModel.Status.choices], required=False
    )


class PersonModelsForm(forms.Form):
    """The models of a person's ward that they carry, ticked on their page: the ward's
    models the user may change, of this year and the two before."""

    models = forms.ModelMultipleChoiceField(
        label=_("“Dân vận khéo” models they carry"),
        queryset=ExemplaryModel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    YEARS = 3

    def __init__(self, data=None, *, person, user):
        super().__init__(data)
        self.person = person
        offered = ExemplaryModel.objects.managed_by(user).filter(
            ward=person.residential_group.ward_id,
            year__gt=timezone.localdate().year - self.YEARS,
        )
        self.fields["models"].queryset = offered.order_by("-year", "name")
        self.fields["models"].label_from_instance = lambda model: f"{model.name} ({model.year})"
        self.initial["models"] = list(offered.filter(people=person).values_list("pk", flat=True))

    def save(self):
        """Ticked, the person is among the model's people; unticked, not (the models offered
        only: another ward's or an older one is left as it is)."""
        ticked = set(self.cleaned_data["models"])
        was = set(self.initial["models"])
        # From each model's side, whose history records its people.
        for model in self.fields["models"].queryset:
            if model in ticked and model.pk not in was:
                model.people.add(self.person)
            elif model not in ticked and model.pk in was:
                model.people.remove(self.person)
