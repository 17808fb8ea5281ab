"""One record per person, whatever they do: a team's member, a branch's head, a prestigious
person, a trainee, a speaker. Their roles are the records that point here (`teams.Member`,
`teams.PrestigiousPerson`, …), each with its own dates; a person found twice is merged
(`merging.py`), and the merge is logged here."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import SearchableModel, TimeStampedModel
from core.text import fold, sort_key
from wards.models import ResidentialGroup
from wards.scope import scoped_manager

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .]{7,18}$",
    _("Enter a phone number of digits, e.g. 0912 345 678."),
)
id_number_validator = RegexValidator(
    r"^([0-9]{9}|[0-9]{12})$",
    _("An identity card number has 9 digits, a citizen's identity card 12."),
)


class Person(SearchableModel, TimeStampedModel):
    """A resident the ward works with, at their address in a residential group. The phone
    and the identity number are personal data: shown to those who manage the ward only
    (`protection.py`)."""

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    full_name = models.CharField(_("full name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, help_text=_("When known; the year suffices.")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    id_number = models.CharField(
        _("identity number"),
        max_length=12,
        blank=True,
        validators=[id_number_validator],
        help_text=_("Optional. Shown only to those who manage the ward."),
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        models.PROTECT,
        related_name="people",
        verbose_name=_("residential group"),
        help_text=_("Where the person lives."),
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("House number and street.")
    )
    sort_name = models.CharField(
        _("sort key of the name"), max_length=300, blank=True, editable=False
    )
    # The folded name, for finding the same person twice (`duplicates.py`).
    name_key = models.CharField(_("folded name"), max_length=100, blank=True, editable=False)

    search_source = ("full_name",)
    derived_fields = ("search_text", "sort_name", "name_key")

    ward_path = f"residential_group__{ResidentialGroup.ward_path}"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])
    # Personal data is kept as it stands, not as it was: its history would show it to every
    # reader of the record's history.
    history = HistoricalRecords(excluded_fields=[*derived_fields, "phone", "id_number"])

    class Meta:
        permissions = [
            ("import_person", _("Can import from a file")),
            ("export_person", _("Can export to a file")),
        ]
        ordering = ["sort_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_unique_id_number",
                violation_error_message=_("Another person has this identity number."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__range=(1900, 2100)),
                name="person_birth_year_plausible",
                violation_error_message=_("The year of birth must be between 1900 and 2100."),
            ),
        ]
        indexes = [
            models.Index(fields=["sort_name"], name="person_sort_name_idx"),
            # The same person twice: by folded name and year of birth.
            models.Index(fields=["name_key", "birth_year"], name="person_identity_idx"),
        ]

    def __str__(self):
        return self.full_name

    def fill_derived_fields(self):
        super().fill_derived_fields()
        self.sort_name = sort_key(self.full_name)
        self.name_key = fold(self.full_name)[:100]
        if self.birth_date and not self.birth_year:
            self.birth_year = self.birth_date.year


class PersonMerge(models.Model):
    """A person found twice made one: the record kept, what the other held (its fields as
    they were, the roles moved from it), who merged them and when. The removed record's
    own history stays in the history table, under its old id."""

    kept = models.ForeignKey(
        Person, models.CASCADE, related_name="merges", verbose_name=_("person kept")
    )
    removed_id = models.PositiveIntegerField(_("id of the record removed"))
    removed = models.JSONField(_("record removed"))
    moved = models.JSONField(_("roles moved"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    ward_path = f"kept__{Person.ward_path}"
    objects = scoped_manager(wards=[ward_path])

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge of people")
        verbose_name_plural = _("merges of people")

    def __str__(self):
        return f"{self.removed.get('full_name', '')} → {self.kept}"


class Position(TimeStampedModel):
    """A post a person holds in the residential group's organisations, for a time: the head
    of a branch of an association, the group's head, the party cell's secretary."""

    class Kind(models.TextChoices):
        BRANCH_HEAD = "branch_head", _("Head of an organisation's branch")
        GROUP_HEAD = "group_head", _("Head of the residential group")
        CELL_SECRETARY = "cell_secretary", _("Secretary of the party cell")
        FRONT_HEAD = "front_head", _("Head of the Front work committee")

    person_role = "position"  # the role filter of the people's list

    person = models.ForeignKey(
        Person, models.PROTECT, related_name="positions", verbose_name=_("person")
    )
    kind = models.CharField(_("post"), max_length=20, choices=Kind.choices)
    organisation = models.CharField(
        _("organisation"), max_length=200, blank=True, help_text=_("E.g. “Chi hội Phụ nữ tổ 7”.")
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    ward_path = f"person__{Person.ward_path}"
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_position", _("Can import from a file")),
            ("export_position", _("Can export to a file")),
        ]
        ordering = ["-started_on"]
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="position_ended_after_started",
                violation_error_message=_("A post cannot end before it began."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.person}"
