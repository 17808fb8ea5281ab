"""The periodic work reports (báo cáo công tác dân vận): for each period a managing unit sets,
every ward sends a report (figures counted from its records, which the officer may correct
with a reason, and four narrative sections) through draft → submitted → returned →
submitted → accepted; the unit gathers the reports into one (báo cáo tổng hợp)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.periods import Period
from registry.models import IssuedDocument
from wards.models import District, Ward
from wards.scope import scoped_manager


class Narratives(models.Model):
    """The four sections every work report writes in words."""

    results = models.TextField(_("results"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    directions = models.TextField(_("directions and tasks for the next period"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)

    NAMES = ("results", "shortcomings", "directions", "proposals")

    class Meta:
        abstract = True


class ReportingPeriod(TimeStampedModel):
    """A period the managing unit asks its wards to report on, by a deadline."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        HALF = "half", _("Six months")
        YEAR = "year", _("Year")

    district = models.ForeignKey(
        District, models.PROTECT, related_name="reporting_periods", verbose_name=_("managing unit")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    # The unit's own: its wards' officers reach their reports, never the unit's page of them.
    objects = scoped_manager(district="district")

    class Meta:
        ordering = ["-start", "kind"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "start"],
                name="reporting_period_unique",
                violation_error_message=_("This unit already asked for reports of this period."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="reporting_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("start")),
                name="reporting_period_deadline_in_or_after",
                violation_error_message=_("The deadline cannot come before the period starts."),
            ),
        ]

    def __str__(self):
        return str(self.period.label)

    @property
    def period(self):
        return Period(self.kind, self.start, self.end)

    def get_absolute_url(self):
        return reverse("workreports:consolidation", args=[self.pk])


class WardReport(Narratives, TimeStampedModel):
    """A ward's report for a period. While it is a draft (or returned) its figures are counted
    from the records each time it is shown; when it is submitted they are counted once more
    and kept (`counted`), so that later changes to the records do not change what was sent.
    `corrections` holds what the officer reported instead of a counted figure, with why."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    period = models.ForeignKey(
        ReportingPeriod, models.CASCADE, related_name="ward_reports", verbose_name=_("period")
    )
    ward = models.ForeignKey(
        Ward, models.PROTECT, related_name="work_reports", verbose_name=_("ward")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    counted = models.JSONField(_("figures counted"), null=True, blank=True, editable=False)
    corrections = models.JSONField(_("corrections"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("first sent at"), null=True, blank=True, editable=False)

    ward_path = "ward"
    objects = scoped_manager(wards=[ward_path])

    class Meta:
        permissions = [("review_wardreport", _("Can return or accept a ward's report"))]
        ordering = ["period", "ward__sort_name"]
        verbose_name = _("ward work report")
        verbose_name_plural = _("ward work reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "ward"],
                name="ward_report_one_per_period",
                violation_error_message=_("This ward already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(state="returned")
                | Q(counted__isnull=False, submitted_at__isnull=False),
                name="ward_report_sent_is_frozen",
                violation_error_message=_("A report sent keeps the figures it was sent with."),
            ),
        ]
        indexes = [
            # The consolidation page counts a period's reports by state.
            models.Index(fields=["period", "state"], name="ward_report_period_state_idx"),
            # A ward's reports, latest period first (its home page, its deadlines).
            models.Index(fields=["ward", "state"], name="ward_report_ward_state_idx"),
        ]

    def __str__(self):
        return f"{self.ward} – {self.period}"

    def get_absolute_url(self):
        return reverse("workreports:ward_report", args=[self.pk])

    @property
    def is_sent(self):
        return self.state in (self.State.SUBMITTED, self.State.ACCEPTED)


class ReportEvent(models.Model):
    """One step of a report's way: who took it, when, with what comment."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved as a draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    report = models.ForeignKey(
        WardReport, models.CASCADE, related_name="events", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("step of a work report")
        verbose_name_plural = _("steps of work reports")

    def __str__(self):
        return f"{self.report_id} {self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"


class ConsolidatedReport(Narratives, TimeStampedModel):
    """The managing unit's report of a period (báo cáo tổng hợp), gathered from its wards'
    reports: a draft to edit until it is issued with a number from the register, when its
    figures are kept as they were summed."""

    period = models.OneToOneField(
        ReportingPeriod,
        models.CASCADE,
        related_name="consolidated",
        verbose_name=_("period"),
    )
    signer = models.CharField(_("signer"), max_length=100, blank=True)
    signer_position = models.CharField(
        _("signer's position"), max_length=100, default="Trưởng ban"
    )
    recipients = models.TextField(
        _("recipients"), blank=True, help_text=_("“Nơi nhận”, one per line.")
    )
    document = models.OneToOneField(
        IssuedDocument,
        models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("number issued"),
    )
    figures = models.JSONField(_("figures issued"), null=True, blank=True, editable=False)
    reports_summed = models.PositiveIntegerField(
        _("reports summed"), null=True, blank=True, editable=False
    )
    # What the issued report says of the wards: how many were asked, which had sent nothing.
    reports_asked = models.PositiveIntegerField(
        _("reports asked"), null=True, blank=True, editable=False
    )
    unsent = models.JSONField(_("wards that sent nothing"), null=True, blank=True, editable=False)

    objects = scoped_manager(parent="period")

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=True)
                | Q(
                    figures__isnull=False,
                    reports_summed__isnull=False,
                    reports_asked__isnull=False,
                    unsent__isnull=False,
                ),
                name="consolidated_issued_is_frozen",
                violation_error_message=_(
                    "An issued report keeps the figures it was issued with."
                ),
            ),
        ]

    def __str__(self):
        return str(self.period)
