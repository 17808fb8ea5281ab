from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import (
    DerivedFieldsModel,
    FixedParentModel,
    SearchableModel,
    TimeStampedModel,
    choice_label,
)
from core.text import name_sort_key

from .scope import (
    DistrictQuerySet,
    SecurityEventQuerySet,
    UserQuerySet,
    lineage_version,
    scoped_manager,
    works_for_a_unit,
)


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


def existing_during(start, end, path=""):
    """The units (reached by `path`) that existed on some day from `start` to `end`."""
    prefix = f"{path}__" if path else ""
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})
    ) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": start}))


def current_last(path=""):
    """An order in which the units (reached by `path`) that still exist come after the
    ended ones, these by their end: the last of several with one code is the current one."""
    return F(f"{path}__valid_until" if path else "valid_until").asc(nulls_last=True)


class Lifespan(models.Model):
    """The days a unit exists: from `valid_from` (empty: since before the records begin) to
    `valid_until`, its last day (empty: it still exists). A reorganisation ends units and
    begins their successors; a record stays with the unit it was made under."""

    # Set by reorganisations (`reorganisations.py`), not by hand: a unit ended or revived in
    # a form would change who may write what, and what a past period shows.
    valid_from = models.DateField(_("exists from"), null=True, blank=True, editable=False)
    valid_until = models.DateField(
        _("exists until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Its last day, when a reorganisation has ended it."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="%(app_label)s_%(class)s_lifespan",
                violation_error_message=_("A unit cannot end before it begins."),
            ),
        ]

    def existed_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def lifespan_in(self, period):
        """“until 30/06/2025” or “from 01/07/2025” (or both) when the unit did not exist
        through all of `period`, as a page or a workbook about the period names it; empty
        otherwise."""
        parts = []
        if self.valid_from and self.valid_from > period.start:
            parts.append(
                _("from %(day)s") % {"day": date_format(self.valid_from, "SHORT_DATE_FORMAT")}
            )
        if self.valid_until and self.valid_until < period.end:
            parts.append(
                _("until %(day)s") % {"day": date_format(self.valid_until, "SHORT_DATE_FORMAT")}
            )
        return ", ".join(str(part) for part in parts)

    def lifespan_error(self, day):
        """Why a record dated `day` cannot be made under this unit, or None."""
        if self.existed_on(day):
            return None
        bounds = " – ".join(
            [
                self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…",
                self.valid_until.strftime("%d/%m/%Y") if self.valid_until else "…",
            ]
        )
        return _(
            "%(unit)s did not exist on that day (it exists %(bounds)s): record it under the "
            "unit of that day."
        ) % {"unit": self, "bounds": bounds}


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

    email_reminders = models.BooleanField(
        _("e-mail reminders"),
        default=True,
        help_text=_("E-mail me before and after the deadlines of the wards I serve."),
    )
    # The wards those of the user came from, whose history they read (`scope.ancestor_ids`):
    # kept by `scope.store_ancestors`, and read with the user.
    ancestor_wards = models.JSONField(
        _("wards of the past"), default=list, blank=True, editable=False
    )

    objects = ScopedUserManager()
    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "ancestor_wards"],
        m2m_fields=["wards", "groups"],
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def works_for_a_unit(self):
        return works_for_a_unit(self)

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user.lineage_version = lineage_version[0]  # its ancestor_wards are current
        return user


class District(DerivedFieldsModel, Lifespan, TimeStampedModel):
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
    office = models.CharField(
        _("mass mobilisation office"),
        max_length=200,
        blank=True,
        help_text=_(
            "The office that issues the unit's work reports, e.g. “Ban Dân vận Quận ủy”; "
            "“Ban Dân vận” when empty."
        ),
    )
    office_symbol = models.CharField(
        _("office symbol"),
        max_length=20,
        blank=True,
        help_text=_(
            "The issuing office's abbreviation in the numbers of its documents, e.g. “BDVQU” "
            "in “46-BC/BDVQU”."
        ),
    )
    is_active = models.BooleanField(pgettext_lazy("unit", "active"), default=True)
    sort_name = models.CharField(
        _("sort key of the name"), max_length=300, blank=True, default="", editable=False
    )

    derived_fields = ("sort_name",)
    objects = DistrictQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Lifespan.Meta):
        # The district dashboards' workbook (overview and progress matrix).
        permissions = [("export_district", _("Can export the dashboards to a file"))]
        ordering = ["sort_name", "code"]
        verbose_name = _("managing unit")
        verbose_name_plural = _("managing units")

    def __str__(self):
        return f"{choice_label(self.Kind, self.kind)} {self.name}"

    def fill_derived_fields(self):
        self.sort_name = name_sort_key(self.name)


class Ward(DerivedFieldsModel, FixedParentModel, Lifespan, TimeStampedModel):
    """A commune-level unit (phường, xã, thị trấn) of a district."""

    fixed_fields = ("district",)

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
    # Names are listed in Vietnamese order everywhere, on both databases (`text.words_key`).
    sort_name = models.CharField(
        _("sort key of the name"), max_length=300, blank=True, default="", editable=False
    )

    derived_fields = ("sort_name",)
    objects = scoped_manager(wards=[""])
    history = HistoricalRecords()

    class Meta(Lifespan.Meta):
        permissions = [
            ("import_ward", _("Can import from a file")),
            ("export_ward", _("Can export to a file")),
        ]
        ordering = ["sort_name", "code"]
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        indexes = [
            # The wards of a district, as every district page lists them.
            models.Index(
                fields=["district", "is_active", "sort_name"], name="ward_district_active_idx"
            ),
            # Lists of the country's groups and teams, by ward: read ward by ward in this
            # order, instead of sorting 100,000 rows for each page.
            models.Index(fields=["sort_name", "code"], name="ward_name_idx"),
            # Whether any ward ended before a period or began after it (the overview's).
            models.Index(
                fields=["valid_until"],
                condition=Q(valid_until__isnull=False),
                name="ward_ended_idx",
            ),
            models.Index(
                fields=["valid_from"], condition=Q(valid_from__isnull=False), name="ward_began_idx"
            ),
        ]

    def __str__(self):
        return f"{choice_label(self.Kind, self.kind)} {self.name}"

    def fill_derived_fields(self):
        self.sort_name = name_sort_key(self.name)


class ResidentialGroup(FixedParentModel, SearchableModel, Lifespan, TimeStampedModel):
    """A tổ dân phố: the neighbourhood unit inside a ward."""

    fixed_fields = ("ward",)

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

    class Meta(Lifespan.Meta):
        permissions = [
            ("import_residentialgroup", _("Can import from a file")),
            ("export_residentialgroup", _("Can export to a file")),
        ]
        ordering = ["ward__sort_name", "code"]
        verbose_name = _("residential group")
        verbose_name_plural = _("residential groups")
        constraints = [
            *Lifespan.Meta.constraints,
            # Groups are merged and renumbered: a code is unique among the ward's groups of
            # today, and an ended group keeps the code it had.
            models.UniqueConstraint(
                fields=["ward", "code"],
                condition=Q(valid_until__isnull=True),
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

    def fill_derived_fields(self):
        super().fill_derived_fields()
        # A group made in a ward begins no earlier than its ward did.
        if self.valid_from is None and self.ward_id is not None:
            self.valid_from = self.ward.valid_from


class Reorganisation(TimeStampedModel):
    """A decision that changes units from its effective date: establishes, merges, splits,
    renames, moves or dissolves wards and residential groups (`reorganisations.py` applies
    it). The units it ends keep their records; their successors begin on `effective_on`."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        DECISION = "decision", _("Decision")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50, help_text=_("E.g. 1656/NQ-UBTVQH15."))
    signed_on = models.DateField(_("signed on"))
    issuer = models.CharField(
        _("issued by"), max_length=150, help_text=_("E.g. Ủy ban Thường vụ Quốc hội.")
    )
    title = models.CharField(_("title"), max_length=300)
    effective_on = models.DateField(_("effective on"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("applied by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "number"]
        verbose_name = _("reorganisation")
        verbose_name_plural = _("reorganisations")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"],
                name="reorganisation_number_unique",
                violation_error_message=_("This issuer already has a decision with this number."),
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(number)s of %(date)s") % {
            "kind": self.get_kind_display(),
            "number": self.number,
            "date": self.signed_on.strftime("%d/%m/%Y"),
        }


class Succession(models.Model):
    """A unit that became (part of) another by a reorganisation; one dissolved has no
    successor, one established no predecessor."""

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["reorganisation", "predecessor", "successor"], name="%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=Q(predecessor__isnull=False) | Q(successor__isnull=False),
                name="%(class)s_not_empty",
            ),
        ]

    def __str__(self):
        return f"{self.predecessor or '–'} → {self.successor or '–'}"


class WardSuccession(Succession):
    """A ward that became (part of) another, derived from where its groups went."""

    reorganisation = models.ForeignKey(
        Reorganisation,
        models.PROTECT,
        related_name="ward_successions",
        verbose_name=_("reorganisation"),
    )
    predecessor = models.ForeignKey(
        Ward, models.PROTECT, null=True, related_name="successions", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Ward, models.PROTECT, null=True, related_name="predecessions", verbose_name=_("successor")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(Succession.Meta):
        verbose_name = _("ward succession")
        verbose_name_plural = _("ward successions")


class GroupSuccession(Succession):
    """A residential group that went wholly to another group (of its own ward or another),
    or one of the parts a group was split into."""

    reorganisation = models.ForeignKey(
        Reorganisation,
        models.PROTECT,
        related_name="group_successions",
        verbose_name=_("reorganisation"),
    )
    predecessor = models.ForeignKey(
        ResidentialGroup,
        models.PROTECT,
        null=True,
        related_name="successions",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        ResidentialGroup,
        models.PROTECT,
        null=True,
        related_name="predecessions",
        verbose_name=_("successor"),
    )

    class Meta(Succession.Meta):
        verbose_name = _("residential group succession")
        verbose_name_plural = _("residential group successions")


class WardAncestor(models.Model):
    """Every ward a ward came from, directly or through earlier reorganisations (kept by
    `reorganisations.py`): the users of a ward read its ancestors' records in one join."""

    ward = models.ForeignKey(Ward, models.CASCADE, related_name="+", verbose_name=_("ward"))
    ancestor = models.ForeignKey(
        Ward, models.CASCADE, related_name="+", verbose_name=_("ancestor")
    )

    class Meta:
        verbose_name = _("ward ancestor")
        verbose_name_plural = _("ward ancestors")
        constraints = [
            models.UniqueConstraint(fields=["ward", "ancestor"], name="ward_ancestor_unique"),
        ]

    def __str__(self):
        return f"{self.ancestor_id} → {self.ward_id}"


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
        PERSONAL_DATA = "personal_data", _("Personal data seen or exported")

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
