"""What every app's models may build on (timestamps, a folded search column), and the import
jobs of the admin's imports."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import fold


def choice_label(choices, value):
    """The label of `value` among `choices` (a `TextChoices`), as `get_FOO_display()` gives
    it, which translates every label of the field to find one (a list of the country's 700
    units named by their kind spent 40 ms there); `value` itself when it is not a choice."""
    try:
        return choices(value).label
    except ValueError:
        return value


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FixedParentModel(models.Model):
    """A record whose parent (`fixed_fields`) stays what it was made with: moving a unit to
    another parent would carry its whole history along (a ward's 2019 activities off its old
    district's 2019 dashboard). A unit moves by a reorganisation instead, which ends it and
    begins its successor. The admin shows these fields read-only once the record exists; a
    form or an import that changes one anyway is refused (`clean`, `clean_loaded`)."""

    fixed_fields = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        attnames = [cls._meta.get_field(name).attname for name in cls.fixed_fields]
        instance._loaded_parents = {
            attname: instance.__dict__[attname]
            for attname in attnames
            if attname in instance.__dict__
        }
        return instance

    def clean_loaded(self):
        """{field: message} for each fixed field changed since the record was loaded."""
        loaded = getattr(self, "_loaded_parents", {})
        errors = {}
        for name in self.fixed_fields:
            field = self._meta.get_field(name)
            if field.attname in loaded and getattr(self, field.attname) != loaded[field.attname]:
                errors[name] = _(
                    "The %(field)s of a unit cannot be changed: it moves by a reorganisation, "
                    "which keeps its history where it happened."
                ) % {"field": field.verbose_name}
        return errors

    def clean(self):
        super().clean()
        errors = self.clean_loaded()
        if errors:
            raise ValidationError(errors)


class DerivedFieldsModel(models.Model):
    """A model with columns derived from others (`derived_fields`), kept by
    `fill_derived_fields` on every save, by `bulk_create` of the scoped managers
    (`wards.scope.ScopedQuerySet`) and by the imports' bulk writes."""

    derived_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.derived_fields}
        super().save(*args, **kwargs)

    def fill_derived_fields(self):
        pass


class SearchableModel(DerivedFieldsModel):
    """A model with a folded copy of some of its text (`search_source`), for accent-free
    search through one indexed column that both databases can use.

    The copy is derived data, so it is kept here on every save, by `bulk_create` of the
    scoped managers (`wards.scope.ScopedQuerySet`), and by the imports' bulk writes
    (`fill_derived_fields`).
    """

    SEARCH_LENGTH = 1000
    search_source = ()
    derived_fields = ("search_text",)

    search_text = models.CharField(
        _("search text"), max_length=SEARCH_LENGTH, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def fill_derived_fields(self):
        text = " ".join(str(getattr(self, name) or "") for name in self.search_source)
        # A leading space lets every word be matched as " word…" (see text.search_filter).
        self.search_text = (" " + fold(text))[: self.SEARCH_LENGTH]


class ImportJobQuerySet(models.QuerySet):
    """An import is seen by the user who sent the file (and superusers) only."""

    def visible_to(self, user):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(user=user)

    def managed_by(self, user):
        return self.visible_to(user)


class ImportJob(models.Model):
    """An uploaded file on its way in: checked (a dry run), then imported on confirmation,
    each step by a background worker that reports its progress here."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(_("import number"), primary_key=True, default=uuid.uuid4, editable=False)
    importer = models.CharField(_("importer"), max_length=200)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        db_table = "wards_importjob"  # the table it had in `wards`, kept on the move
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return self.file_name

    @property
    def running(self):
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)
