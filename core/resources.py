"""The Excel/CSV conventions of every import and export: Vietnamese headers are the file
format (literals, not translated strings: a file exported under one interface language must
import under the other); choices by their Vietnamese label, “Có/Không”, dd/mm/yyyy, whole
numbers as people type them; rows found by natural keys among the records the user sees."""

import datetime
import decimal
import functools
import re

import tablib
from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Vietnamese label (“Phường”); the stored code is accepted too."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    @functools.cached_property
    def _labels(self):
        with translation.override("vi"):
            return {str(label): value for value, label in self.choices.choices}

    @functools.cached_property
    def _values(self):
        # `TextChoices.values` builds its list again on every call (a sixth of an import's
        # check went there).
        return frozenset(self.choices.values)

    @functools.cached_property
    def _by_folded_label(self):
        return {label.casefold(): code for label, code in self._labels.items()}

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        text = str(value).strip()
        if text in self._values:
            return text
        code = self._by_folded_label.get(text.casefold())
        if code is not None:
            return code
        raise ValueError(
            _("“%(value)s” is not one of the allowed values: %(choices)s.")
            % {"value": text, "choices": ", ".join(self._labels)}
        )

    @functools.cached_property
    def _label_of(self):
        with translation.override("vi"):
            return {value: str(label) for value, label in self.choices.choices}

    def render(self, value, obj=None, **kwargs):
        # Looked up, not translated again for each cell (a tenth of a ward's export).
        return self._label_of.get(value, value) if value else ""


class YesNoWidget(widgets.Widget):
    """Booleans as “Có”/“Không”, the way people type them in Excel; anything else is an error."""

    TRUE_TEXTS = {"có", "co", "x", "1", "true", "yes"}
    FALSE_TEXTS = {"không", "khong", "", "0", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().casefold()
        if text in self.TRUE_TEXTS:
            return True
        if text in self.FALSE_TEXTS:
            return False
        raise ValueError(_("“%(value)s” is not valid: write “Có” or “Không”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else "Không"


class DateWidget(widgets.DateWidget):
    """Dates as dd/mm/yyyy; Excel date cells (datetimes) are read as their date."""

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date written dd/mm/yyyy.") % {"value": value}
            ) from None


class WholeNumberWidget(widgets.Widget):
    """A count such as households: digits, a dot only between groups of three (1.200).

    Anything else (12,7 or 1.2) is refused rather than rounded. An empty cell gives `blank`.
    """

    PATTERN = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")

    def __init__(self, blank=0, **kwargs):
        self.blank = blank
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return self.blank
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).strip().replace(" ", "")
        if not self.PATTERN.match(text):
            raise ValueError(
                _("“%(value)s” is not a whole number of zero or more.") % {"value": value}
            )
        return int(text.replace(".", ""))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class DecimalWidget(widgets.Widget):
    """A number with a decimal part (hours: “1,5” or “1.5”), as typed in Excel; empty is
    None. Anything else is refused rather than guessed."""

    PATTERN = re.compile(r"^\d+([.,]\d+)?$")

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return decimal.Decimal(str(value))
        text = str(value).strip()
        if not self.PATTERN.match(text):
            raise ValueError(
                _("“%(value)s” is not a number of zero or more, e.g. 3,5.") % {"value": value}
            )
        return decimal.Decimal(text.replace(",", "."))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f").replace(".", ",")


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row named by its code, looked up among those the importing user sees;
    a missing one is a row error in Vietnamese."""

    def get_queryset(self, value, row, *args, **kwargs):
        return scoped(super().get_queryset(value, row, *args, **kwargs), kwargs.get("user"))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.not_found_message(value, row)) from None

    def not_found_message(self, value, row):
        return _("There is no %(record)s with the code “%(code)s”.") % {
            "record": self.model._meta.verbose_name,
            "code": value,
        }


def scoped(queryset, user):
    """What `user` sees of `queryset`; everything for an import run without a user (a
    management command)."""
    return queryset if user is None else queryset.visible_to(user)


def managed(queryset, user):
    """What `user` may change of `queryset` (the managing unit a new ward is put under)."""
    return queryset if user is None else queryset.managed_by(user)


def text_field(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


def count_field(attribute, column, *, blank=0):
    return fields.Field(
        attribute=attribute, column_name=column, widget=WholeNumberWidget(blank=blank)
    )


def choice_field(attribute, column, choices):
    return fields.Field(attribute=attribute, column_name=column, widget=ChoiceLabelWidget(choices))


def date_field(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=DateWidget())


def yes_no_field(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=YesNoWidget())


def _related_value(value, **kwargs):
    """A related record's column, as `ForeignKeyWidget` writes it: empty without one."""
    return "" if value is None else value


class NaturalKeyResource(resources.ModelResource):
    """Rows are found by natural keys among the records the user sees; unchanged rows are
    skipped; model validation runs."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def get_queryset(self):
        return scoped(super().get_queryset(), self.user)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except MultipleObjectsReturned:
            raise ValueError(
                _(
                    "Several records have this row's key (%(key)s): correct them in the "
                    "administration first."
                )
                % {
                    "key": ", ".join(
                        str(row.get(self.fields[f].column_name, ""))
                        for f in self.get_import_id_fields()
                    )
                }
            ) from None

    @property
    def exports_columns(self):
        """Whether `export` may read the rows as tuples of values: not when a resource
        writes its cells, or leaves them out, row by row."""
        return all(
            getattr(type(self), name) is getattr(NaturalKeyResource, name)
            for name in ("export_field", "export_resource")
        )

    def export(self, queryset=None, **kwargs):
        """The library's export, the rows read as tuples of the columns' stored values when
        every column is one (`column_of`): the library builds each row's model instances,
        related ones included, and follows each cell's path through them (a ward's 3,600
        activities: 413 → 100 ms)."""
        if not self.exports_columns:
            return super().export(queryset, **kwargs)
        self.before_export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        selected = kwargs.get("export_fields")
        dataset = tablib.Dataset(headers=self.get_export_headers(selected_fields=selected))
        columns = self.columns_of(queryset, self.get_export_fields(selected))
        if columns is None:
            for instance in self.iter_queryset(queryset):
                dataset.append(self.export_resource(instance, selected_fields=selected, **kwargs))
        else:
            paths, renders = zip(*columns, strict=True)
            rows = queryset.values_list(*paths).iterator(chunk_size=self.get_chunk_size())
            for row in rows:
                dataset.append(
                    [render(value, **kwargs) for render, value in zip(renders, row, strict=True)]
                )
        self.after_export(queryset, dataset, **kwargs)
        return dataset

    def columns_of(self, queryset, fields):
        """The columns (`column_of`) of `fields` in `queryset`; None when a row must be read
        as its records: a field is not a stored value, or the rows are not one a record
        (distinct tuples of values, a union, a list rather than a queryset)."""
        if not isinstance(queryset, QuerySet) or not fields:
            return None
        query = queryset.query
        if query.distinct or query.combinator or queryset._prefetch_related_lookups:
            return None
        columns = [self.column_of(field, queryset) for field in fields]
        return None if None in columns else columns

    def column_of(self, field, queryset):
        """(the path of `field`'s value in `queryset.values_list`, how it is written) when
        its cell is a value stored in a column of the row or of a record it points to, one
        each (not through a list of records); None otherwise."""
        method = field.get_dehydrate_method(self.get_field_name(field))
        if field.attribute is None or callable(method) or hasattr(self, method):
            return None
        widget, path, render = field.widget, field.attribute, field.widget.render
        if isinstance(widget, widgets.ForeignKeyWidget):
            own_render = type(widget).render is not widgets.ForeignKeyWidget.render
            if widget.key_is_id or widget.use_natural_foreign_keys or own_render:
                return None
            path = f"{path}__{widget.field}"
            render = _related_value
        if path in queryset.query.annotations:
            return path, render
        model, *names = [queryset.model, *path.split("__")]
        try:
            for name in names[:-1]:
                relation = model._meta.get_field(name)
                if not (relation.concrete and (relation.many_to_one or relation.one_to_one)):
                    return None
                model = relation.related_model
            last = model._meta.get_field(names[-1])
        except FieldDoesNotExist:
            return None  # a property or a method
        return (path, render) if last.concrete and not last.is_relation else None

    def import_data(self, dataset, **kwargs):
        # A file goes in whole or not at all, whatever its caller asks: a row with a bad cell
        # undoes the rows before it (the admin asks for this too).
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("user", self.user)
        return super().import_data(dataset, **kwargs)
