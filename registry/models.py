"""The register of outgoing documents (sổ văn bản đi) of each managing unit: every report,
notice or plan it issues takes the next number of its kind in the year, never reused."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from wards.models import District
from wards.scope import scoped_manager


class DocumentKind(models.TextChoices):
    """The kinds of party documents and the abbreviation their numbers carry (Hướng dẫn
    36-HD/VPTW): “46-BC/BDVQU” is report 46 of the Ban Dân vận Quận ủy."""

    REPORT = "BC", _("Report")
    NOTICE = "TB", _("Notice")
    PLAN = "KH", pgettext_lazy("document", "Plan")
    DIRECTIVE = "CT", _("Directive")
    RESOLUTION = "NQ", _("Resolution")
    CONCLUSION = "KL", _("Conclusion")
    DECISION = "QĐ", _("Decision")
    GUIDANCE = "HD", _("Guidance")
    LETTER = "CV", _("Official letter")


def document_symbol(kind, office, number=None):
    """“46-BC/BDVQU”; a draft's, with no number yet, “…/BC-BDVQU” (its number is written in
    by hand when it is issued on paper)."""
    office = office or ""
    if number is None:
        return f"…/{kind}-{office}" if office else f"…/{kind}"
    return f"{number}-{kind}/{office}" if office else f"{number}-{kind}"


class DocumentSequence(models.Model):
    """The last number a managing unit gave to a kind of document in a year: the row is
    locked while the next is taken, so that two documents issued at once get two numbers."""

    district = models.ForeignKey(District, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=2, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "year"], name="document_sequence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.district_id} {self.kind} {self.year}: {self.last}"


class IssuedDocument(TimeStampedModel):
    """One line of the register: a document issued with its number."""

    district = models.ForeignKey(
        District, models.PROTECT, related_name="issued_documents", verbose_name=_("managing unit")
    )
    kind = models.CharField(_("kind"), max_length=2, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    symbol = models.CharField(_("number and symbol"), max_length=40)
    title = models.CharField(_("summary of contents"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )

    objects = scoped_manager(district="district")

    class Meta:
        ordering = ["-year", "kind", "-number"]
        verbose_name = _("issued document")
        verbose_name_plural = _("register of outgoing documents")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "year", "number"],
                name="issued_document_number_unique",
                violation_error_message=_("This number was already given."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_document_number_1"),
        ]

    def __str__(self):
        return f"{self.symbol} – {self.title}"
