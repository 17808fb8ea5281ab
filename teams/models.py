import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import FixedParentModel, SearchableModel, TimeStampedModel
from core.work_fields import WorkField
from people.models import Person
from wards.models import District, ResidentialGroup, Ward
from wards.scope import scoped_manager


class Team(FixedParentModel, TimeStampedModel):
    """The tổ dân vận of a residential group: at most one per group."""

    fixed_fields = ("residential_group",)

    residential_group = models.OneToOneField(
        ResidentialGroup,
        models.PROTECT,
        related_name="team",
        verbose_name=_("residential group"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    ward_path = f"residential_group__{ResidentialGroup.ward_path}"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_team", _("Can import from a file")),
            ("export_team", _("Can export to a file")),
        ]
        ordering = ["residential_group__ward__sort_name", "residential_group__code"]
        verbose_name = _("mobilization team")
        verbose_name_plural = _("mobilization teams")

    def __str__(self):
        return _("Mobilization team of %(group)s") % {"group": self.residential_group}


class RecordOfATeam(models.Model):
    """A record of a team dated by `date_field`: made only on a day its residential group
    existed (a reorganisation ends groups; their successors' teams take the records after)."""

    date_field = ""
    # To the record's ward through its team, group and ward: what a row of it shows.
    team_ward_path = f"team__{Team.ward_path}"

    class Meta:
        abstract = True

    def clean_loaded(self):
        """{field: message} when the record's day lies outside its group's life: read from
        the team and group already loaded (an import checks every row so, with no query)."""
        day = getattr(self, self.date_field)
        if day is None or self.team_id is None:
            return {}
        group = self.team.residential_group
        error = group.lifespan_error(day) or group.ward.lifespan_error(day)
        return {self.date_field: error} if error else {}

    def clean(self):
        super().clean()
        errors = self.clean_loaded()
        if errors:
            raise ValidationError(errors)


class Member(RecordOfATeam, TimeStampedModel):
    """A person's seat in a team, for a time (`joined_on`–`left_on`): the organisation they
    represent there and their role. Who they are is the person's (`people.Person`): one
    person may sit in two teams, and is counted once as a person, twice as seats."""

    class Organisation(models.TextChoices):
        PARTY_CELL = "party_cell", _("Party cell")
        FRONT_COMMITTEE = "front_committee", _("Front work committee")
        WOMEN = "women", _("Women's Union")
        VETERANS = "veterans", _("Veterans' Association")
        YOUTH = "youth", _("Youth Union")
        ELDERLY = "elderly", _("Elderly Association")
        FARMERS = "farmers", _("Farmers' Association")
        GROUP_HEAD = "group_head", _("Head of the residential group")
        OTHER = "other", _("Other")

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    person_role = "member"  # the role filter of the people's list

    team = models.ForeignKey(
        Team, models.PROTECT, related_name="members", verbose_name=_("mobilization team")
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    organisation = models.CharField(
        _("organisation represented"), max_length=20, choices=Organisation.choices
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(
        _("left on"), null=True, blank=True, help_text=_("Empty while still in the team.")
    )

    date_field = "joined_on"
    ward_path = f"team__{Team.ward_path}"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_member", _("Can import from a file")),
            ("export_member", _("Can export to a file")),
        ]
        ordering = ["team", "person__sort_name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader", left_on__isnull=True),
                name="member_one_current_leader_per_team",
                violation_error_message=_("This team already has a current leader."),
            ),
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(left_on__isnull=True),
                name="member_one_current_seat_per_person",
                violation_error_message=_("This person is already a current member of the team."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="member_left_after_joined",
                violation_error_message=_("The leaving date cannot be before the joining date."),
            ),
        ]
        indexes = [
            # Current members of a team by role, as the team page lists them.
            models.Index(fields=["team", "left_on", "role"], name="member_team_current_idx"),
        ]

    def __str__(self):
        return str(self.person)

    @classmethod
    def role_rank(cls):
        """The leader first, then the deputies, then the members: an expression to order by
        (the roles' codes sort “deputy” before “leader”)."""
        return Case(
            *(When(role=role, then=rank) for rank, role in enumerate(cls.Role)),
            output_field=models.PositiveSmallIntegerField(),
        )


class Activity(RecordOfATeam, SearchableModel, TimeStampedModel):
    team = models.ForeignKey(
        Team, models.PROTECT, related_name="activities", verbose_name=_("mobilization team")
    )
    date = models.DateField(_("date"))
    field = models.CharField(_("field"), max_length=30, choices=WorkField.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    households_reached = models.PositiveIntegerField(_("households reached"), default=0)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    # Its team's ward, kept with the team (`fill_derived_fields`; a team's group and a
    # group's ward never change): the country's activities are counted and scoped by ward
    # without joining 100,000 teams and groups (a range's edge days of 10,000 wards, sorted
    # by activities: 367 → 42 ms).
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # `activity_ward_date_idx` leads with it
        verbose_name=_("ward"),
    )

    search_source = ("title", "description")
    derived_fields = ("search_text", "ward")

    date_field = "date"
    ward_path = "ward"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords(excluded_fields=list(derived_fields))

    class Meta:
        permissions = [
            ("import_activity", _("Can import from a file")),
            ("export_activity", _("Can export to a file")),
        ]
        ordering = ["-date", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # A team's latest activities (team page, ward home).
            models.Index(fields=["team", "-date"], name="activity_team_date_idx"),
            # A ward's latest activities (its lists, its dashboard's days).
            models.Index(fields=["ward", "-date"], name="activity_ward_date_idx"),
            # Activities of a period by field or ward (dashboards), counted from the index
            # alone on PostgreSQL: a range's edge days are read without visiting the table's
            # rows, scattered over it (58,000 rows of 17 days of the country: 277 ms, then
            # 17 ms).
            models.Index(
                fields=["date", "field"],
                include=["households_reached", "ward", "id"],
                name="activity_date_field_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def fill_derived_fields(self):
        super().fill_derived_fields()
        if self.team_id is not None:
            self.ward_id = self.team.residential_group.ward_id

    @classmethod
    def follow_moved_unit(cls, sender, instance, created=False, raw=False, **kwargs):
        """After a team or residential group was saved in another group or ward (which only
        code bypassing its form does: see `FixedParentModel`), its activities' ward. One
        query, unless the record was read from the database and its parent is unchanged."""
        loaded = hasattr(instance, "_loaded_parents")
        if created or raw or (loaded and not instance.clean_loaded()):
            return
        if sender is Team:
            rows, ward = {"team": instance}, instance.residential_group.ward_id
        else:
            rows, ward = {"team__residential_group": instance}, instance.ward_id
        cls._base_manager.filter(**rows).exclude(ward_id=ward).update(ward_id=ward)


class CitizenFeedback(RecordOfATeam, SearchableModel, TimeStampedModel):
    """An opinion or petition of residents that a team collected."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        FORWARDED = "forwarded", _("Forwarded")
        RESOLVED = "resolved", _("Resolved")

    team = models.ForeignKey(
        Team, models.PROTECT, related_name="feedback", verbose_name=_("mobilization team")
    )
    received_on = models.DateField(_("received on"))
    field = models.CharField(_("field"), max_length=30, choices=WorkField.choices)
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    forwarded_to = models.CharField(
        _("forwarded to"),
        max_length=200,
        blank=True,
        help_text=_("The body that handles it, e.g. the ward People's Committee."),
    )
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    answered_on = models.DateField(
        _("answer received on"),
        null=True,
        blank=True,
        help_text=_("The day the body it was forwarded to answered."),
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    awaiting_since = models.DateField(
        _("awaiting since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The day since which the item waits for its next step: received and not yet "
            "forwarded, or forwarded and not yet answered. Empty once answered or resolved."
        ),
    )

    search_source = ("summary", "forwarded_to")
    derived_fields = ("search_text", "awaiting_since")

    date_field = "received_on"
    ward_path = f"team__{Team.ward_path}"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords(excluded_fields=list(derived_fields))

    class Meta:
        permissions = [
            ("import_citizenfeedback", _("Can import from a file")),
            ("export_citizenfeedback", _("Can export to a file")),
        ]
        ordering = ["-received_on"]
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("received_on")),
                name="feedback_resolved_after_received",
                violation_error_message=_(
                    "The resolution date cannot be before the date it was received."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_on__isnull=False)
                | (~Q(status="resolved") & Q(resolved_on__isnull=True)),
                name="feedback_resolved_has_date",
                violation_error_message=_(
                    "Resolved feedback needs a resolution date; other feedback has none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="forwarded") | ~Q(forwarded_to=""),
                name="feedback_forwarded_has_recipient",
                violation_error_message=_("Say to whom the feedback was forwarded."),
            ),
            models.CheckConstraint(
                condition=Q(forwarded_on__isnull=True) | Q(forwarded_on__gte=F("received_on")),
                name="feedback_forwarded_after_received",
                violation_error_message=_(
                    "The forwarding date cannot be before the date it was received."
                ),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="feedback_answered_after_received",
                violation_error_message=_(
                    "The answer cannot come before the date it was received."
                ),
            ),
        ]
        indexes = [
            # Open feedback of a team (ward home) and counts by status (dashboards).
            models.Index(fields=["team", "status"], name="feedback_team_status_idx"),
            models.Index(fields=["received_on", "field"], name="feedback_received_field_idx"),
            # The days resolved feedback took, read from the index alone (dashboards' median).
            models.Index(
                fields=["received_on", "resolved_on"],
                condition=Q(status="resolved"),
                name="feedback_resolution_idx",
            ),
            # Feedback waiting too long for its next step (ward home, dashboards).
            models.Index(
                fields=["awaiting_since"],
                condition=Q(awaiting_since__isnull=False),
                name="feedback_awaiting_idx",
            ),
        ]

    def __str__(self):
        return self.summary[:80]

    def fill_derived_fields(self):
        super().fill_derived_fields()
        if self.status == self.Status.RESOLVED or self.answered_on:
            self.awaiting_since = None
        elif self.status == self.Status.FORWARDED:
            self.awaiting_since = self.forwarded_on or self.received_on
        else:
            self.awaiting_since = self.received_on

    @staticmethod
    def overdue_before(today=None):
        """The first day a feedback may have begun waiting for its next step (to be
        forwarded, or answered) and not be overdue: `FEEDBACK_ANSWER_DAYS` before today."""
        limit = datetime.timedelta(days=settings.FEEDBACK_ANSWER_DAYS)
        return (today or timezone.localdate()) - limit

    @classmethod
    def overdue(cls, today=None):
        """The feedback that has waited too long for its next step, as a filter."""
        return Q(awaiting_since__lt=cls.overdue_before(today))

    @property
    def is_overdue(self):
        return self.awaiting_since is not None and self.awaiting_since < self.overdue_before()

    def days_waiting(self, today=None):
        """Days since the item began waiting for its next step; None when nothing waits."""
        if self.awaiting_since is None:
            return None
        return ((today or timezone.localdate()) - self.awaiting_since).days


class FeedbackStep(models.Model):
    """A step of a feedback item's follow-up, after it was received: forwarded to a body,
    that body's answer, the reply given to the residents, its resolution. Steps are added,
    never changed: the log is the record of what was done and when."""

    class Kind(models.TextChoices):
        FORWARDED = "forwarded", _("Forwarded")
        ANSWERED = "answered", _("Answer received")
        REPLIED = "replied", _("Replied to the residents")
        RESOLVED = "resolved", _("Resolved")

    feedback = models.ForeignKey(
        CitizenFeedback, models.CASCADE, related_name="steps", verbose_name=_("citizen feedback")
    )
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    party = models.CharField(
        _("to or from whom"),
        max_length=200,
        blank=True,
        help_text=_("The body it was forwarded to, or that answered; who replied to residents."),
    )
    note = models.TextField(_("content"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    ward_path = f"feedback__{CitizenFeedback.ward_path}"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("follow-up step")
        verbose_name_plural = _("follow-up steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="forwarded") | ~Q(party=""),
                name="feedback_step_forwarded_has_recipient",
                violation_error_message=_("Say to whom the feedback was forwarded."),
            ),
        ]
        indexes = [models.Index(fields=["feedback", "date"], name="feedback_step_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class ExemplaryModel(SearchableModel, TimeStampedModel):
    """A “Dân vận khéo” model through its year's cycle: registered by a ward, proposed for
    recognition at a level, evaluated by the level above the ward against the criteria
    (`awards.Evaluation`), recognised by a decision of the level with that right, or not;
    with its evidence (`awards.Evidence`). The steps are taken through `awards.services`,
    which checks who may take them."""

    person_role = "model"  # the role filter of the people's list

    class Level(models.TextChoices):
        WARD = "ward", _("Ward level")
        DISTRICT = "district", _("District level")
        CITY = "city", _("City level")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        PROPOSED = "proposed", _("Proposed for recognition")
        EVALUATED = "evaluated", _("Evaluated")
        RECOGNISED = "recognised", _("Recognised")
        NOT_RECOGNISED = "not_recognised", _("Not recognised")

    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="exemplary_models", verbose_name=_("ward")
    )
    team = models.ForeignKey(
        Team,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplary_models",
        verbose_name=_("mobilization team"),
        help_text=_("Empty when the model belongs to the ward as a whole."),
    )
    name = models.CharField(_("name"), max_length=200)
    field = models.CharField(_("field"), max_length=30, choices=WorkField.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the model does, and what it achieved.")
    )
    people_involved = models.TextField(
        _("people involved"),
        blank=True,
        help_text=_("Who carries it: names and roles, one per line."),
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="exemplary_models",
        verbose_name=_("people who carry it"),
        help_text=_("Those of the ward's people who carry it: their pages list the model."),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.REGISTERED
    )
    proposed_level = models.CharField(
        _("proposed for"), max_length=10, choices=Level.choices, blank=True
    )
    recognition_level = models.CharField(
        _("recognised at"), max_length=10, choices=Level.choices, blank=True
    )
    decision_number = models.CharField(
        _("decision number"), max_length=50, blank=True, help_text=_("E.g. “125-QĐ/ĐU”.")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    reward = models.CharField(_("reward"), max_length=200, blank=True)

    search_source = ("name", "description", "people_involved")

    ward_path = "ward"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[people])

    class Meta:
        permissions = [
            ("import_exemplarymodel", _("Can import from a file")),
            ("export_exemplarymodel", _("Can export to a file")),
        ]
        ordering = ["-year", "name"]
        verbose_name = _("“Dân vận khéo” model")
        verbose_name_plural = _("“Dân vận khéo” models")
        constraints = [
            models.UniqueConstraint(
                fields=["ward", "name", "year"],
                name="exemplary_model_unique_per_ward_year",
                violation_error_message=_("This ward already registered this model that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__range=(1990, 2100)),
                name="exemplary_model_year_plausible",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
            models.CheckConstraint(
                condition=(Q(status="recognised") & ~Q(recognition_level=""))
                | (~Q(status="recognised") & Q(recognition_level="")),
                name="exemplary_model_recognised_has_level",
                violation_error_message=_(
                    "A recognised model needs the level that recognised it; another has none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["proposed", "evaluated"]) | ~Q(proposed_level=""),
                name="exemplary_model_proposed_has_level",
                violation_error_message=_("Say at which level the model is proposed."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "recognition_level"], name="exemplary_year_level_idx"),
            models.Index(fields=["ward", "year"], name="exemplary_ward_year_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The team's ward lies two joins away, beyond what a database constraint can check.
        if self.team_id and self.ward_id and self.team.residential_group.ward_id != self.ward_id:
            raise ValidationError({"team": _("This team belongs to another ward.")})


class Training(TimeStampedModel):
    """A training course for mobilization cadres (conclusion task 2); its attendees are
    people, members of a team or not."""

    person_role = "trainee"  # the role filter of the people's list

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        WARD = "ward", _("Ward")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="trainings", verbose_name=_("managing unit")
    )
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("ward"),
        help_text=_("The organising ward, for a ward-level training."),
    )

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.HELD
    )
    date = models.DateField(_("date"), help_text=_("Planned, or held."))
    title = models.CharField(_("title"), max_length=200)
    organiser_level = models.CharField(
        _("organised at"), max_length=10, choices=Level.choices, default=Level.DISTRICT
    )
    organiser = models.CharField(
        _("organiser"), max_length=200, blank=True, help_text=_("E.g. “Ban Dân vận Thành ủy”.")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    content = models.TextField(_("content"), blank=True)
    attendees = models.ManyToManyField(
        Person,
        blank=True,
        related_name="trainings",
        verbose_name=_("attendees"),
        help_text=_("Those who attended: recorded once it is held."),
    )

    ward_path = "ward"  # to the record's ward: spelled here only
    objects = scoped_manager(wards=[ward_path], district="district")
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        permissions = [
            ("import_training", _("Can import from a file")),
            ("export_training", _("Can export to a file")),
        ]
        ordering = ["-date"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organiser_level="ward") | Q(ward__isnull=False),
                name="training_ward_level_has_ward",
                violation_error_message=_("A ward-level training needs its ward."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="training_hours_not_negative",
                violation_error_message=_("The hours cannot be negative."),
            ),
        ]
        indexes = [
            models.Index(fields=["district", "-date"], name="training_district_date_idx"),
            models.Index(fields=["ward", "-date"], name="training_ward_date_idx"),
        ]

    def __str__(self):
        return self.title

    def clean_loaded(self):
        """{field: message} for the rules on the training and the ward it has loaded: a
        training held is not in the future; its ward is of its managing unit."""
        errors = {}
        if self.status == self.Status.HELD and self.date and self.date > timezone.localdate():
            errors["date"] = _("A training held cannot be in the future.")
        if self.ward_id and self.district_id and self.ward.district_id != self.district_id:
            errors["ward"] = _("This ward belongs to another managing unit.")
        return errors

    def clean(self):
        errors = self.clean_loaded()
        if errors:
            raise ValidationError(errors)


class PrestigiousPerson(TimeStampedModel):
    """A person residents listen to, whom the team works through (conclusion task 3), in a
    residential group, for a time; linked to the activities and feedback they helped with."""

    person_role = "prestigious"  # the role filter of the people's list

    person = models.ForeignKey(
        Person, models.PROTECT, related_name="prestigious_roles", verbose_name=_("person")
    )
    residential_group = models.ForeignKey(
        ResidentialGroup,
        models.PROTECT,
        related_name="prestigious_people",
        verbose_name=_("residential group"),
    )
    standing = models.CharField(
        _("standing"),
        max_length=200,
        help_text=_("Why residents listen to them, e.g. retired teacher, head of a clan."),
    )
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    activities = models.ManyToManyField(
        Activity,
        blank=True,
        related_name="prestigious_people",
        verbose_name=_("activities they helped with"),
    )
    feedback = models.ManyToManyField(
        CitizenFeedback,
        blank=True,
        related_name="prestigious_people",
        verbose_name=_("feedback they helped with"),
    )

    ward_path = f"residential_group__{ResidentialGroup.ward_path}"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_prestigiousperson", _("Can import from a file")),
            ("export_prestigiousperson", _("Can export to a file")),
        ]
        ordering = ["person__sort_name"]
        verbose_name = _("prestigious person")
        verbose_name_plural = _("prestigious people")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="prestigious_until_after_since",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return str(self.person)
