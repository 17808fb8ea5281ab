"""The “Dân vận khéo” cycle's records besides the model itself (`teams.ExemplaryModel`):
the evaluation of the level above the ward against the criteria, and the evidence files."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from teams.models import ExemplaryModel
from wards.scope import scoped_manager

# The criteria of an evaluation and the points each carries (a hundred in all), after the
# city's rules for recognising “Dân vận khéo” models.
CRITERIA = {
    "results": (_("Practical results that can be measured"), 30),
    "participation": (_("Residents' participation and consent"), 25),
    "approach": (_("A creative way of working, fit for the place"), 15),
    "spread": (_("Can be taken up by other units"), 15),
    "lasting": (_("Lasting: kept up for a year or more"), 15),
}
PASS_MARK = 70  # points from which an evaluation may recommend recognition


class Evaluation(models.Model):
    """The evaluation of a proposed model by the level above the ward: points against each
    criterion, a comment, and whether it recommends recognition."""

    exemplary_model = models.ForeignKey(
        ExemplaryModel,
        models.CASCADE,
        related_name="evaluations",
        verbose_name=_("“Dân vận khéo” model"),
    )
    level = models.CharField(_("level"), max_length=10, choices=ExemplaryModel.Level.choices)
    scores = models.JSONField(_("points by criterion"))
    total = models.PositiveSmallIntegerField(
        _("total points"), validators=[MaxValueValidator(100)]
    )
    comment = models.TextField(_("comment"))
    recommended = models.BooleanField(_("recommends recognition"))
    evaluated_on = models.DateField(_("evaluated on"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    ward_path = "exemplary_model__ward"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])

    class Meta:
        ordering = ["evaluated_on", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__lte=100),
                name="evaluation_total_at_most_100",
                violation_error_message=_("An evaluation has at most 100 points."),
            ),
        ]

    def __str__(self):
        return f"{self.exemplary_model} · {self.total}"

    def rows(self):
        """(criterion, points, of the most) in the order of `CRITERIA`."""
        return [(label, self.scores.get(key), most) for key, (label, most) in CRITERIA.items()]


def evidence_path(evidence, filename):
    """Where an evidence file is kept: under MEDIA_ROOT (never served), by the model's year,
    under a random name; the name the user gave is kept in the row only."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{evidence.exemplary_model.year}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file that shows a model's work: a photo, a PDF, an office document. Checked by its
    content when uploaded (`files.checked_upload`), read back only through the page that
    checks the reader may see the model's ward."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        PDF = "pdf", _("PDF document")
        DOCUMENT = "document", _("Word document")
        SPREADSHEET = "spreadsheet", _("Excel workbook")
        PRESENTATION = "presentation", _("PowerPoint presentation")

    exemplary_model = models.ForeignKey(
        ExemplaryModel,
        models.CASCADE,
        related_name="evidence",
        verbose_name=_("“Dân vận khéo” model"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    ward_path = "exemplary_model__ward"  # to the record's ward
    objects = scoped_manager(wards=[ward_path])

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name
