from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person who signs in. Linked to the wards they serve by the access rules."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class District(TimeStampedModel):
    """The unit whose committee runs the system.

    A district before the 2025 reform; a city, or a merged ward, after it.
    """

    class Kind(models.TextChoices):
        URBAN_DISTRICT = "urban_district", _("Urban district")
        RURAL_DISTRICT = "rural_district", _("Rural district")
        TOWN = "town", _("Town")
        CITY = "city", _("City")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.CharField(_("province or city"), max_length=100)
    party_committee = models.CharField(
        _("party committee"),
        max_length=150,
        help_text=_("As printed on documents, e.g. “Quận ủy Long Biên”."),
    )
    is_active = models.BooleanField(pgettext_lazy("unit", "active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("managing unit")
        verbose_name_plural = _("managing units")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class Ward(TimeStampedModel):
    """A commune-level unit (phường, xã, thị trấn) of a district."""

    class Kind(models.TextChoices):
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")
        TOWNSHIP = "township", _("Township")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="wards", verbose_name=_("managing unit")
    )
    code = models.CharField(
        _("official code"),
        max_length=10,
        unique=True,
        help_text=_("The national code of the administrative unit, e.g. 00115."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WARD)
    is_active = models.BooleanField(
        pgettext_lazy("unit", "active"),
        default=True,
        help_text=_("Off once the ward is merged or dissolved."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        indexes = [
            # The wards of a district, as every district page lists them.
            models.Index(
                fields=["district", "is_active", "name"], name="ward_district_active_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class ResidentialGroup(TimeStampedModel):
    """A tổ dân phố: the neighbourhood unit inside a ward."""

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="residential_groups", verbose_name=_("ward")
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Unique within the ward, e.g. 01.")
    )
    name = models.CharField(_("name"), max_length=100)
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    is_active = models.BooleanField(pgettext_lazy("unit", "active"), default=True)

    class Meta:
        ordering = ["ward__name", "code"]
        verbose_name = _("residential group")
        verbose_name_plural = _("residential groups")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "code"],
                name="residential_group_code_unique_in_ward",
                violation_error_message=_("This ward already has a group with this code."),
            ),
            models.CheckConstraint(
                condition=Q(population__gte=F("households")),
                name="residential_group_population_gte_households",
                violation_error_message=_(
                    "The population cannot be smaller than the number of households."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ward.name})"
