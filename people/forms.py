"""The forms of people's pages: a person's details, and the filters of a ward's list."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorsBesideFields
from core.pages import date_field
from core.text import validate_search
from wards.forms import ScopedModelForm
from wards.models import ResidentialGroup

from .models import Person, Position

OLDEST_BIRTH_YEAR = 1900


class PersonForm(ScopedModelForm):
    """A person of the ward: the residential group among the ward's current ones."""

    birth_date = date_field(_("date of birth"), required=False)

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "birth_date",
            "phone",
            "id_number",
            "residential_group",
            "address",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "id_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, ward, user, **kwargs):
        self.ward, self.user = ward, user
        super().__init__(*args, **kwargs)

    def narrow_choices(self):
        self.fields["residential_group"].queryset = (
            ResidentialGroup.objects.visible_to(self.user)
            .filter(ward=self.ward)
            .filter(Q(valid_until__isnull=True) | Q(pk=self.instance.residential_group_id))
            .order_by("code")
        )
        self.fields["residential_group"].label_from_instance = lambda group: group.name

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        latest = timezone.localdate().year
        if year is not None and not OLDEST_BIRTH_YEAR <= year <= latest:
            raise forms.ValidationError(
                _("Enter a year of birth between %(oldest)d and %(latest)d."),
                params={"oldest": OLDEST_BIRTH_YEAR, "latest": latest},
                code="implausible",
            )
        return year

    def clean(self):
        data = super().clean()
        born, year = data.get("birth_date"), data.get("birth_year")
        if born and year and born.year != year:
            self.add_error("birth_date", _("The date of birth is not in the year of birth."))
        return data


class PersonFilterForm(forms.Form):
    ROLES = {
        "member": _("Team members"),
        "position": _("Heads of organisations"),
        "prestigious": _("Prestigious people"),
        "trainee": _("Trained"),
        "speaker": _("Speakers at seminars"),
        "model": _("Carrying a “Dân vận khéo” model"),
    }

    q = forms.CharField(label=_("Search"), required=False, validators=[validate_search])
    group = forms.ModelChoiceField(
        label=_("Residential group"), queryset=ResidentialGroup.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *ROLES.items()], required=False)

    def __init__(self, data, *, ward, user):
        super().__init__(data)
        self.fields["group"].queryset = (
            ResidentialGroup.objects.visible_to(user).filter(ward=ward).order_by("code")
        )
        self.fields["group"].label_from_instance = lambda group: group.name


class PositionForm(ErrorsBesideFields, forms.ModelForm):
    """A post the person holds (or held), with its dates."""

    started_on = date_field(_("since"), required=False)
    ended_on = date_field(_("until"), required=False)

    class Meta:
        model = Position
        fields = ["kind", "organisation", "started_on", "ended_on"]
