"""The fields of mobilization work, shared by team activities, feedback and seminars.

They live below the apps because both `teams` and `meetings` tag records with them and
neither may import the other; they are vocabulary, not units, so not in `wards`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkField(models.TextChoices):
    DEMOCRACY_SITE_CLEARANCE = (
        "democracy_site_clearance",
        _("Grassroots democracy in site clearance"),
    )
    URBAN_ORDER = "urban_order", _("Urban order")
    CONSTRUCTION_ORDER = "construction_order", _("Construction order")
    EPIDEMIC_PREVENTION = "epidemic_prevention", _("Epidemic prevention")
    NO_LIVESTOCK = "no_livestock", _("No livestock in residential areas")
    ENVIRONMENT = "environment", _("Environment and hygiene")
    SECURITY = "security", _("Security and order")
    EMULATION = "emulation", _("Emulation movements")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare")
    TEAM_OPERATIONS = "team_operations", _("Operation of mobilization teams")
    OTHER = "other", _("Other")


def validate_work_fields(value):
    """A list of distinct WorkField codes."""
    if not isinstance(value, list):
        raise ValidationError(_("Fields must be a list."), code="invalid")
    unknown = [code for code in value if code not in WorkField.values]
    if unknown:
        raise ValidationError(
            _("Unknown field: %(codes)s."),
            code="invalid_choice",
            params={"codes": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A field is listed twice."), code="duplicate")


class WorkFieldsField(models.JSONField):
    """Several WorkField codes, stored as a JSON list (portable to SQLite and PostgreSQL).

    Forms show it as checkboxes.
    """

    default_validators = [validate_work_fields]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=WorkField.choices,
            required=not self.blank,
            label=self.verbose_name.capitalize() if self.verbose_name else None,
            widget=forms.CheckboxSelectMultiple,
            help_text=self.help_text,
        )


def work_field_labels(codes):
    """The labels of a list of WorkField codes, in the order given."""
    return [str(WorkField(code).label) for code in codes]
