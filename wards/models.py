from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import SearchableModel, TimeStampedModel

from .scope import (
    DistrictQuerySet,
    SecurityEventQuerySet,
    UserQuerySet,
    scoped_manager,
    works_for_a_unit,
)


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. What they see is decided by `scope.py`, what they may do by
    their role (a group, `roles.py`)."""

    district = models.ForeignKey(
        "District",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("managing unit"),
        help_text=_(
            "For district staff, viewers and administrators: they see every ward of this unit."
        ),
    )
    wards = models.ManyToManyField(
        "Ward",
        blank=True,
        related_name="officers",
        verbose_name=_("wards served"),
        help_text=_(
            "For ward officers: the wards whose records they keep, and the only ones they see."
        ),
    )

    objects = ScopedUserManager()
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"],
        m2m_fields=["wards", "groups"],
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def works_for_a_unit(self):
        return works_for_a_unit(self)


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

    objects = DistrictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        # The district dashboards' workbook (overview and progress matrix).
        permissions = [("export_district", _("Can export the dashboards to a file"))]
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

    objects = scoped_manager(wards=[""])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_ward", _("Can import from a file")),
            ("export_ward", _("Can export to a file")),
        ]
        ordering = ["name"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        indexes = [
            # The wards of a district, as every district page lists them.
            models.Index(
                fields=["district", "is_active", "name"], name="ward_district_active_idx"
            ),
            # Lists of the country's groups and teams, by ward: read ward by ward in this
            # order, instead of sorting 100,000 rows for each page.
            models.Index(fields=["name"], name="ward_name_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"


class ResidentialGroup(SearchableModel, TimeStampedModel):
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

    search_source = ("code", "name")

    ward_path = "ward"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        permissions = [
            ("import_residentialgroup", _("Can import from a file")),
            ("export_residentialgroup", _("Can export to a file")),
        ]
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


class SecurityEvent(models.Model):
    """An append-only log of sign-ins, refusals, imports and exports.

    The database refuses to update a row (a trigger, see the migration); the admin shows it
    read-only.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGOUT = "logout", _("Signed out")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOCKOUT = "lockout", _("Locked out after failed sign-ins")
        PERMISSION_DENIED = "permission_denied", _("Permission denied")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # No database constraint: deleting a user must not rewrite the log.
    user = models.ForeignKey(
        User,
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    detail = models.TextField(_("detail"), blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [
            # One user's events, newest first (admin filter).
            models.Index(fields=["username", "-created_at"], name="security_event_user_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.username}"
