from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.periods import Period
from core.work_fields import WorkFieldsField
from people.models import Person
from wards.models import District, Ward
from wards.scope import ScopedQuerySet, scoped_manager


class Seminar(TimeStampedModel):
    """A tọa đàm: a themed meeting, held in one or more sessions (clusters)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CONCLUDED = "concluded", _("Conclusion issued")
        CANCELLED = "cancelled", _("Cancelled")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="seminars", verbose_name=_("managing unit")
    )
    title = models.CharField(_("title"), max_length=300)
    theme = models.TextField(_("theme"), blank=True)
    organiser = models.CharField(
        _("organiser"), max_length=200, help_text=_("E.g. “Ban Dân vận Quận ủy”.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    introductory_report = models.TextField(_("introductory report"), blank=True)
    discussion_summary = models.TextField(
        _("summary of the discussion"),
        blank=True,
        help_text=_("What most contributions agreed on, as the report will say it."),
    )
    # What the printed documents need besides the records.
    report_number = models.CharField(
        _("report number"), max_length=50, blank=True, help_text=_("E.g. “125-BC/BDVQU”.")
    )
    notice_number = models.CharField(
        _("conclusion notice number"),
        max_length=50,
        blank=True,
        help_text=_("E.g. “126-TB/BDVQU”."),
    )
    signer_position = models.CharField(
        _("signer's position"),
        max_length=100,
        default="Trưởng ban",
        help_text=_("Under “T/M …” in the signature block; the signer is the chair."),
    )
    recipients = models.TextField(
        _("recipients"),
        blank=True,
        help_text=_("“Nơi nhận” of the documents, one per line."),
    )

    # The wards of its clusters and tasks read it; its managing unit changes it.
    objects = scoped_manager(
        readers=["sessions__wards", "conclusion__tasks__assignments__ward"], district="district"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        indexes = [models.Index(fields=["district", "status"], name="seminar_district_status_idx")]

    def __str__(self):
        return self.title


class SeminarSession(TimeStampedModel):
    """One sitting (cụm, cluster) of a seminar, with its own date, venue and wards."""

    seminar = models.ForeignKey(
        Seminar, models.CASCADE, related_name="sessions", verbose_name=_("seminar")
    )
    number = models.PositiveSmallIntegerField(_("cluster number"))
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300)
    wards = models.ManyToManyField(
        Ward, blank=True, related_name="seminar_sessions", verbose_name=_("participating wards")
    )

    objects = scoped_manager(parent="seminar")
    history = HistoricalRecords(m2m_fields=[wards])

    class Meta:
        ordering = ["seminar", "number"]
        verbose_name = _("seminar session")
        verbose_name_plural = _("seminar sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "number"],
                name="session_number_unique_in_seminar",
                violation_error_message=_("This seminar already has a cluster with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="session_number_positive",
                violation_error_message=_("Cluster numbers start at 1."),
            ),
        ]

    def __str__(self):
        return _("Cluster %(number)s") % {"number": self.number}


class Attendee(TimeStampedModel):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        DIRECTING = "directing", _("Gives the directing speech")
        GUEST = "guest", _("Guest")
        PARTICIPANT = "participant", _("Participant")

    seminar = models.ForeignKey(
        Seminar, models.CASCADE, related_name="attendees", verbose_name=_("seminar")
    )
    session = models.ForeignKey(
        SeminarSession,
        # Deleting a cluster keeps its attendees (the chair signs the documents).
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendees",
        verbose_name=_("cluster"),
        help_text=_("Empty when present at every cluster."),
    )
    full_name = models.CharField(_("full name"), max_length=100)
    title = models.CharField(_("position"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = scoped_manager(parent="seminar")
    history = HistoricalRecords()

    class Meta:
        ordering = ["seminar", "order", "full_name"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")

    def __str__(self):
        return f"{self.full_name} – {self.title}" if self.title else self.full_name

    def clean(self):
        if self.session_id and self.seminar_id and self.session.seminar_id != self.seminar_id:
            raise ValidationError({"session": _("This cluster belongs to another seminar.")})


class Contribution(TimeStampedModel):
    """One speaker's opinion (ý kiến phát biểu, tham luận) at a session."""

    person_role = "speaker"  # the role filter of the people's list

    session = models.ForeignKey(
        SeminarSession, models.CASCADE, related_name="contributions", verbose_name=_("cluster")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    speaker = models.CharField(_("speaker"), max_length=100)
    speaker_title = models.CharField(_("speaker's position"), max_length=200, blank=True)
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("speaker's record"),
        help_text=_("The speaker among the people recorded, when they are: their page lists it."),
    )
    ward = models.ForeignKey(
        Ward,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("speaker's ward"),
    )
    unit = models.CharField(
        _("speaker's unit"),
        max_length=200,
        blank=True,
        help_text=_("When the speaker does not speak for a ward, e.g. the district Youth Union."),
    )
    fields = WorkFieldsField(_("fields"))
    summary = models.TextField(_("summary"), blank=True)

    objects = scoped_manager(parent="session__seminar")
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "order"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                name="contribution_order_unique_in_session",
                violation_error_message=_(
                    "This cluster already has a contribution at this place."
                ),
            ),
        ]

    def __str__(self):
        return _("Contribution %(order)s – %(speaker)s") % {
            "order": self.order,
            "speaker": self.speaker,
        }


class DirectivePoint(TimeStampedModel):
    """One numbered point of a directing speech."""

    seminar = models.ForeignKey(
        Seminar, models.CASCADE, related_name="directive_points", verbose_name=_("seminar")
    )
    session = models.ForeignKey(
        SeminarSession,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="directive_points",
        verbose_name=_("cluster"),
    )
    speaker = models.ForeignKey(
        Attendee,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="directive_points",
        verbose_name=_("speaker"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))

    objects = scoped_manager(parent="seminar")
    history = HistoricalRecords()

    class Meta:
        ordering = ["seminar", "number"]
        verbose_name = _("directing point")
        verbose_name_plural = _("directing points")
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "number"],
                name="directive_point_number_unique",
                violation_error_message=_("This seminar already has a point with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {Truncator(self.text).words(8)}"

    def clean(self):
        errors = {}
        if self.session_id and self.seminar_id and self.session.seminar_id != self.seminar_id:
            errors["session"] = _("This cluster belongs to another seminar.")
        if self.speaker_id and self.seminar_id and self.speaker.seminar_id != self.seminar_id:
            errors["speaker"] = _("This speaker attended another seminar.")
        if errors:
            raise ValidationError(errors)


class Directive(TimeStampedModel):
    """A document of a managing unit that gives numbered tasks to its wards: a plan, a
    directive, a resolution, or the conclusion notice of a seminar (`seminar`)."""

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", _("Conclusion notice")
        PLAN = "plan", pgettext_lazy("document", "Plan")
        DIRECTIVE = "directive", _("Directive")
        RESOLUTION = "resolution", _("Resolution")
        LETTER = "letter", _("Official letter")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="directives", verbose_name=_("managing unit")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(
        _("number and symbol"), max_length=50, blank=True, help_text=_("E.g. “46-KH/BDVQU”.")
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    issuer = models.CharField(
        _("issued by"), max_length=200, help_text=_("E.g. “Ban Thường vụ Quận ủy”.")
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    seminar = models.OneToOneField(
        Seminar,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="conclusion",
        verbose_name=_("seminar"),
        help_text=_("The seminar whose conclusion it is."),
    )
    # The tasks still open at a year's end go on in a directive of the next year.
    continues = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="continued_by",
        verbose_name=_("continues"),
    )

    # The wards given its tasks read it; its managing unit changes it.
    objects = scoped_manager(readers=["tasks__assignments__ward"], district="district")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "-created_at"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        constraints = [
            models.CheckConstraint(
                condition=Q(seminar__isnull=True) | Q(kind="conclusion"),
                name="directive_of_a_seminar_is_its_conclusion",
                violation_error_message=_("A seminar's directive is its conclusion notice."),
            ),
        ]
        indexes = [models.Index(fields=["district", "-signed_on"], name="directive_district_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.seminar_id:
            return reverse("meetings:seminar_detail", args=[self.seminar_id])
        return reverse("meetings:directive_detail", args=[self.pk])


class Body(models.Model):
    """A body of the political system a task may be given to beside the wards: the
    Fatherland Front and the associations (vocabulary, the same for every unit)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self):
        return self.name


class DirectiveTask(TimeStampedModel):
    """A numbered task of a directive, assigned to wards (and given to bodies)."""

    class Rhythm(models.TextChoices):
        ONCE = "once", _("Once, by the due date")
        MONTHLY = "monthly", _("Every month")
        QUARTERLY = "quarterly", _("Every quarter")

    class Category(models.TextChoices):
        PUBLIC_OPINION = "public_opinion", _("Public opinion and emulation")
        TRAINING = "training", _("Training of cadres")
        PRESTIGIOUS_PEOPLE = "prestigious_people", _("Heads and prestigious people")
        GRASSROOTS_DEMOCRACY = "grassroots_democracy", _("Grassroots democracy")
        EXEMPLARY_MODELS = "exemplary_models", _("Seminars and “Dân vận khéo” models")
        COORDINATION = "coordination", _("Coordination")
        OTHER = "other", _("Other")

    directive = models.ForeignKey(
        Directive, models.CASCADE, related_name="tasks", verbose_name=_("directive")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    text = models.TextField(_("text"))
    rhythm = models.CharField(
        _("reported"), max_length=10, choices=Rhythm.choices, default=Rhythm.ONCE
    )
    bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="tasks",
        verbose_name=_("also given to"),
        help_text=_("The Fatherland Front and the associations that carry the task out too."),
    )

    objects = scoped_manager(parent="directive")
    history = HistoricalRecords()

    class Meta:
        ordering = ["directive", "number"]
        verbose_name = _("directive task")
        verbose_name_plural = _("directive tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "number"],
                name="directive_task_number_in_directive",
                violation_error_message=_("This directive already has a task with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {Truncator(self.text).words(8)}"

    def reporting_period(self, day):
        """The period a progress report made on `day` covers: the month of a monthly task,
        the quarter of the others."""
        return Period.containing("month" if self.rhythm == self.Rhythm.MONTHLY else "quarter", day)


class TaskAssignmentQuerySet(ScopedQuerySet):
    def with_latest_report(self, *, until=None):
        """Each assignment with its latest report's id, status and percent (None when not
        reported); with `until`, the latest among the reports of periods that had begun by
        that day."""
        latest = ProgressReport.objects.filter(assignment=OuterRef("pk"))
        if until:
            latest = latest.filter(period_start__lte=until)
        latest = latest.order_by("-period_end", "-reported_at")
        return self.annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percent=Subquery(latest.values("percent")[:1]),
            latest_period_end=Subquery(latest.values("period_end")[:1]),
        )


class TaskAssignment(TimeStampedModel):
    """A directive task given to one ward, with its due date."""

    task = models.ForeignKey(
        DirectiveTask, models.CASCADE, related_name="assignments", verbose_name=_("task")
    )
    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="task_assignments", verbose_name=_("ward")
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # A task still open in a ward a reorganisation ended is carried to its successors: each
    # has its own assignment, linked to the old one, which is handed over (chuyển giao).
    carried_from = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True, editable=False)

    # The ward reads the task given to it; the seminar's managing unit gives or takes it back.
    ward_path = "ward"
    objects = scoped_manager(readers=[ward_path], owner="task", queryset=TaskAssignmentQuerySet)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "ward__sort_name"]
        verbose_name = _("task assignment")
        verbose_name_plural = _("task assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "ward"],
                name="task_assignment_unique",
                violation_error_message=_("This task is already assigned to this ward."),
            ),
        ]
        indexes = [
            # A ward's tasks by due date (ward home, overdue flags).
            models.Index(fields=["ward", "due_on"], name="assignment_ward_due_idx"),
        ]

    def __str__(self):
        return f"{self.task} – {self.ward}"


class ProgressReport(TimeStampedModel):
    """A ward's report on one assigned task for one reporting period."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    assignment = models.ForeignKey(
        TaskAssignment,
        models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("task assignment"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    narrative = models.TextField(_("narrative"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_reports",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    ward_path = f"assignment__{TaskAssignment.ward_path}"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("import_progressreport", _("Can import from a file")),
            ("export_progressreport", _("Can export to a file")),
        ]
        ordering = ["assignment", "-period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100),
                name="progress_percent_0_100",
                violation_error_message=_("The percentage must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="progress_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(percent=100),
                name="progress_completed_is_100",
                violation_error_message=_("A completed task must stand at 100 percent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_started") | Q(percent=0),
                name="progress_not_started_is_0",
                violation_error_message=_("A task not started must stand at 0 percent."),
            ),
            models.UniqueConstraint(
                fields=["assignment", "period_start", "period_end"],
                name="progress_one_report_per_period",
                violation_error_message=_("There is already a report for this period."),
            ),
        ]
        indexes = [
            # The latest report of each assignment (progress matrix).
            models.Index(fields=["assignment", "-period_end"], name="progress_latest_idx"),
        ]

    def __str__(self):
        return f"{self.assignment} ({self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y})"
