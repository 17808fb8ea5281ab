"""Bulk import of a table (`tables.read_table`), all or nothing, keyed on natural keys.

The columns and the way each cell is read are those of the model's export resource (the
app's `resources.py`, on the conventions of `resources.py` here): one definition of the file
format for both directions. What a resource does row by row with a query per relation and
per row, an importer does in bulk:

1. every cell is read by its column's widget (dates dd/mm/yyyy or Excel dates, “Có/Không”,
   choices by their Vietnamese label, whole numbers); an unreadable cell is a row error that
   names the row, the column and the value;
2. the relations (a team named by its ward and group codes, …) are resolved with one query
   for the whole file, among the records the user sees: a row of another ward is an error;
3. the records the rows name are read with one query, and each row is new, changed or
   unchanged; the model's field validation and its check constraints run in Python per row
   (`constraints.satisfies`);
4. with no error and `commit`, new rows are inserted (`writers.insert_with_history`) and
   changed ones updated in batches, in one transaction, with their history.

A row error anywhere means nothing is written. Each app registers its importers here
(`register`); `import_file` runs one, for the admin's background job and the command line.
"""

import copy
import dataclasses
import io
import time
from collections.abc import Callable

import openpyxl
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import CharField, CheckConstraint, DecimalField, Model, TextField
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.widgets import ForeignKeyWidget
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_update_with_history

from .constraints import satisfies
from .resources import ChoiceLabelWidget, DateWidget, WholeNumberWidget, YesNoWidget
from .signals import import_finished, notify_written, writes_batched
from .tables import FileRefused, read_table
from .writers import BATCH, insert_with_history

PROGRESS_EVERY = 5000
SAMPLES = 20
TEMPLATE_ROWS = 1001  # the rows of a template typed as text, and offered drop-down lists
LISTS_SHEET = "Danh mục"  # the template's hidden sheet of the lists' values


@dataclasses.dataclass
class RowError:
    row: int  # the row's number in the spreadsheet (the header is row 1)
    column: str
    value: object
    message: str


@dataclasses.dataclass
class ImportResult:
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    # The first rows that add or change a record, for the preview: (row, action, what).
    samples: list[tuple] = dataclasses.field(default_factory=list)
    written: bool = False
    seconds: float = 0.0
    # Where the time went (`Stopwatch`): read, parse, resolve, match, validate, write.
    stages: dict = dataclasses.field(default_factory=dict)

    @property
    def error_rows(self):
        return len({error.row for error in self.errors})

    def summary(self):
        """The outcome in a sentence, as the security log keeps it."""
        counts = _(
            "%(rows)s rows, %(new)s new, %(changed)s changed, %(unchanged)s unchanged, "
            "%(error_rows)s with errors."
        ) % {
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "error_rows": self.error_rows,
        }
        return f"{counts} {_('Written.') if self.written else _('Nothing was written.')}"

    def as_dict(self, *, max_errors=500):
        return {
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "error_rows": self.error_rows,
            "written": self.written,
            "seconds": round(self.seconds, 2),
            "stages": {name: round(seconds, 3) for name, seconds in self.stages.items()},
            "errors": [
                {**dataclasses.asdict(error), "value": shown(error.value)}
                for error in self.errors[:max_errors]
            ],
            "more_errors": max(0, len(self.errors) - max_errors),
            "samples": [
                {"row": row, "action": action, "what": what} for row, action, what in self.samples
            ],
        }


@dataclasses.dataclass
class Record:
    row: int
    cells: dict  # header → cell
    values: dict  # attribute → value
    instance: object = None
    before: object = None  # a changed record as it was stored
    action: str = ""  # "new", "changed" or "unchanged"
    failed: bool = False


@dataclasses.dataclass(frozen=True)
class Relation:
    """A relation set from other columns of the row (`columns`), resolved for all rows at
    once: `lookup(user, keys)` gives {key: related object} for the keys (tuples of cells) of
    the records the user sees."""

    attribute: str
    columns: tuple[str, ...]
    lookup: Callable
    message: str  # with %(…)s named after the columns' positions: %(0)s, %(1)s
    # `example(user)`: the cells (a tuple, as `columns`) of a record the user may use, for
    # the template's example row; None when they have none.
    example: Callable | None = None


class Importer:
    """The bulk import of one model, in the format of its export resource."""

    resource_class = None
    relations: tuple[Relation, ...] = ()
    name = ""  # given by `register`

    def __init__(self, *, user=None):
        self.user = user
        self.resource = self.resource_class(user=user)
        self.model = self.resource._meta.model
        fields = self.resource.fields.values()
        self.relation_attributes = {relation.attribute for relation in self.relations}
        # The columns read as values (the relations' own columns are read by their lookups).
        self.value_fields = [
            field
            for field in fields
            if not field.readonly
            and field.attribute not in self.relation_attributes
            and not isinstance(field.widget, ForeignKeyWidget)
        ]
        self.key = tuple(
            self.resource.fields[name].attribute for name in self.resource.get_import_id_fields()
        )
        # Relations are checked by their lookups; validating them would read each one.
        relations = {field.name for field in self.model._meta.fields if field.is_relation}
        self.field_checks = FieldChecks(self.model, exclude=relations)

    # An example row of the template, by column ("Mã phường": "00115", …).
    example = {}

    @property
    def headers(self):
        return [field.column_name for field in self.resource.get_export_fields()]

    def template(self):
        """An xlsx file to fill in: the header row and an example row on the first sheet,
        every column typed as text so that codes keep their leading zeros, and a second
        sheet saying what each column holds and which values it allows."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = _("Data")
        sheet.append(self.headers)
        example = self.example_row()
        sheet.append([example.get(header, "") for header in self.headers])
        for index, header in enumerate(self.headers, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, len(header) + 4)
            sheet[f"{letter}1"].font = Font(bold=True)
            for row in range(2, TEMPLATE_ROWS + 1):
                sheet[f"{letter}{row}"].number_format = "@"
        sheet.freeze_panes = "A2"
        notes = book.create_sheet(_("Notes"))
        notes.append([_("Column"), _("Required"), _("What it holds")])
        for field in self.resource.get_export_fields():
            notes.append([field.column_name, *self.describe(field)])
        notes.append([])
        notes.append([_("Rows are matched on: %(key)s.") % {"key": self.key_header()}])
        notes.append([_("The first sheet is read; empty rows are skipped.")])
        for letter, width in (("A", 24), ("B", 12), ("C", 90)):
            notes.column_dimensions[letter].width = width
        self.add_choice_lists(book, sheet)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def example_row(self):
        """The template's example row, in records the user may use: the codes of the
        relations' columns are those of one of the user's own (`Relation.example`), so that
        the row imports as it is."""
        row = dict(self.example)
        for relation in self.relations:
            cells = relation.example(self.user) if relation.example and self.user else None
            if cells:
                row.update(zip(relation.columns, cells, strict=True))
        return row

    def add_choice_lists(self, book, sheet):
        """A drop-down list in each column of choices (and of “Có/Không”) of the first sheet,
        its values on a hidden sheet (a value may hold a comma)."""
        lists = None
        for index, field in enumerate(self.resource.get_export_fields(), start=1):
            widget = field.widget
            if isinstance(widget, ChoiceLabelWidget):
                values = list(widget._labels)
            elif isinstance(widget, YesNoWidget):
                values = ["Có", "Không"]
            else:
                continue
            if lists is None:
                lists = book.create_sheet(LISTS_SHEET)
                lists.sheet_state = "hidden"
            letter = get_column_letter(index)
            for row, value in enumerate(values, start=1):
                lists[f"{letter}{row}"] = value
            allowed = DataValidation(
                type="list",
                formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=field.column_name,
                error=_("Choose one of the values of the list."),
            )
            allowed.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(allowed)

    def describe(self, field):
        """Whether a column must be filled in, and what it holds."""
        widget = field.widget
        model_field = self.model_field(field.attribute)
        required = model_field is not None and not model_field.blank
        name = str(model_field.verbose_name) if model_field else ""
        if isinstance(widget, ChoiceLabelWidget):
            allowed = ", ".join(widget._labels)
            text = _("%(name)s, one of: %(allowed)s.") % {"name": name, "allowed": allowed}
        elif isinstance(widget, YesNoWidget):
            text = _("%(name)s: “Có” or “Không”.") % {"name": name}
        elif isinstance(widget, DateWidget):
            text = _("%(name)s, a date dd/mm/yyyy (or an Excel date).") % {"name": name}
        elif isinstance(widget, WholeNumberWidget):
            text = _("%(name)s, a whole number.") % {"name": name}
        elif field.column_name in self.relation_columns():
            text = self.relation_columns()[field.column_name]
            required = True
        else:
            text = name
            if model_field is not None and getattr(model_field, "max_length", None):
                text += " " + _("(at most %(count)s characters)") % {
                    "count": model_field.max_length
                }
        help_text = str(model_field.help_text) if model_field and model_field.help_text else ""
        return (_("Yes") if required else _("No")), " ".join(filter(None, [text, help_text]))

    def model_field(self, attribute):
        try:
            return self.model._meta.get_field(attribute)
        except FieldDoesNotExist:
            return None

    def relation_columns(self):
        """The columns that name a related record: {header: what it holds}."""
        return {
            column: _("A code: with the row's other codes, it names the %(record)s.")
            % {"record": self.model_field(relation.attribute).related_model._meta.verbose_name}
            for relation in self.relations
            for column in relation.columns
        }

    # The steps

    def run(self, table, *, commit, progress=None):
        """Read, check and (with `commit` and no error) write `table`; `progress(done,
        total)` is told how far it has come. Columns that may be left out are left alone
        in the records the rows change."""
        started = time.perf_counter()
        result = ImportResult(rows=len(table.rows))
        self.stopwatch = Stopwatch(result.stages)
        fields = self.columns_of(table.headers)
        with self.stopwatch.step("parse"):
            records = self.read(table, fields, result, progress)
        with self.stopwatch.step("resolve"):
            self.resolve(records, result)
        with self.stopwatch.step("match"):
            self.match(records, result, [field.attribute for field in fields])
        if commit and not result.errors:
            with self.stopwatch.step("write"):
                self.write(records, result, [field.attribute for field in fields])
        result.seconds = time.perf_counter() - started
        return result

    def required_columns(self):
        """The columns a file must have: those of the records' key and required values, and
        the relations' codes."""
        return [
            field.column_name
            for field in self.value_fields
            if field.attribute in self.key or self.is_required(field.attribute)
        ] + [column for relation in self.relations for column in relation.columns]

    def columns_of(self, headers):
        """The value columns of the file; it must have those the records need."""
        required = self.required_columns()
        missing = [header for header in dict.fromkeys(required) if header not in headers]
        if missing:
            raise FileRefused(
                _(
                    "The file lacks the column(s) %(missing)s. Start from the template: its "
                    "first row names the columns %(expected)s."
                )
                % {
                    "missing": ", ".join(f"“{header}”" for header in missing),
                    "expected": ", ".join(f"“{header}”" for header in self.headers),
                }
            )
        return [field for field in self.value_fields if field.column_name in headers]

    def is_required(self, attribute):
        field = self.model_field(attribute)
        return field is not None and not field.blank and not field.has_default()

    def read(self, table, fields, result, progress):
        records = []
        readers = [(field.column_name, field.attribute, Cells(field.widget)) for field in fields]
        for index, (number, cells) in enumerate(table.rows, start=1):
            row = dict(zip(table.headers, cells, strict=True))
            record = Record(number, row, {})
            for column, attribute, reader in readers:
                value = row.get(column)
                read, error = reader.read(value)
                if error is None:
                    record.values[attribute] = read
                else:
                    self.fail(result, record, column, value, error)
            records.append(record)
            if progress and index % PROGRESS_EVERY == 0:
                progress(index, len(table.rows))
        return records

    def resolve(self, records, result):
        for relation in self.relations:
            keys = {
                tuple(self.key_cell(record.cells.get(column)) for column in relation.columns)
                for record in records
            }
            found = relation.lookup(self.user, keys)
            found = {tuple(map(canonical, key)): value for key, value in found.items()}
            for record in records:
                key = tuple(self.key_cell(record.cells.get(column)) for column in relation.columns)
                value = found.get(tuple(map(canonical, key)))
                if value is AMBIGUOUS:
                    self.fail(
                        result,
                        record,
                        relation.columns[-1],
                        key[-1],
                        _("Several records match these codes; correct them in the admin first."),
                    )
                elif value is not None:
                    record.values[relation.attribute] = value
                else:
                    self.fail(
                        result,
                        record,
                        relation.columns[-1],
                        key[-1],
                        relation.message % {str(i): value for i, value in enumerate(key)},
                    )

    @staticmethod
    def key_cell(value):
        """A code as text (Excel turns “00115” typed into a number cell into 115.0)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value)

    def match(self, records, result, attributes):
        """Find each valid row's record, by its key, and say what the row does to it.
        Relations are compared by their ids, so no related record is read."""
        attributes = [*attributes, *self.relation_attributes]
        seen = {}
        candidates = []
        for record in records:
            if record.failed:
                continue
            key = self.key_of(record)
            if key in seen:
                self.fail(
                    result,
                    record,
                    self.key_header(),
                    self.key_text(record),
                    _("The same record as row %(row)s.") % {"row": seen[key]},
                )
                continue
            seen[key] = record.row
            candidates.append((key, record))
        existing = self.existing([key for key, _record in candidates])
        read_only = self.read_only(existing.values())
        for key, record in candidates:
            instance = existing.get(key)
            if instance is None:
                instance = self.new_instance(record)
                record.action = "new"
                if len(result.samples) < SAMPLES:
                    result.samples.append((record.row, "new", str(instance)))
            else:
                for attribute in self.key:
                    # A code read as 7 names the stored “07”: keep the stored one.
                    if not self.model_field(attribute).is_relation:
                        record.values[attribute] = getattr(instance, attribute)
                changed = [
                    attribute
                    for attribute in attributes
                    if comparable(getattr(instance, self.attname(attribute)))
                    != comparable(plain(record.values[attribute]))
                ]
                # What the row changes in records of its record's (`related_changes`).
                related = self.related_changes(record)
                if (changed or related) and len(result.samples) < SAMPLES:
                    described = [self.changes(instance, record, changed)] if changed else []
                    result.samples.append((record.row, "changed", "; ".join(described + related)))
                if changed or related:
                    record.before = copy.copy(instance)
                for attribute in changed:
                    setattr(instance, attribute, record.values[attribute])
                record.action = "changed" if changed or related else "unchanged"
                if record.action == "changed" and instance.pk in read_only:
                    self.fail(
                        result,
                        record,
                        self.key_header(),
                        self.key_text(record),
                        _("This record is one you may read but not change."),
                    )
                    continue
            if record.action != "unchanged":
                record.instance = instance
                with self.stopwatch.step("validate"):
                    self.validate(record, result)
        with self.stopwatch.step("validate"):
            self.check_rows([r for _key, r in candidates if r.instance and not r.failed], result)
        for _key, record in candidates:
            if not record.failed:
                setattr(result, record.action, getattr(result, record.action) + 1)

    def key_of(self, record):
        """The row's key, as compared with the stored records' (`existing`)."""
        return tuple(canonical(plain(record.values[attribute])) for attribute in self.key)

    def key_text(self, record):
        """The row's key as a message shows it."""
        return ", ".join(str(record.values[attribute]) for attribute in self.key)

    def new_instance(self, record):
        """The record a row that names no stored one adds."""
        return self.model(**record.values)

    def related_changes(self, record):
        """What a row found in the file changes beyond its own record, described as
        `changes` does: nothing here (a member's person, in the members' import)."""
        return []

    def changes(self, instance, record, attributes):
        """What a row changes in its record: “Điện thoại: 0912 → 0987; …”."""
        return "; ".join(
            f"{self.header_of(attribute)}: {shown(getattr(instance, attribute)) or '–'} → "
            f"{shown(record.values[attribute]) or '–'}"
            for attribute in attributes
        )

    def attname(self, attribute):
        """The column behind an attribute: `team_id` for `team`."""
        return self.model._meta.get_field(attribute).attname

    def key_header(self):
        return " + ".join(
            self.resource.fields[name].column_name for name in self.resource.get_import_id_fields()
        )

    def existing(self, keys):
        """{key: instance} of the records named by `keys`, among those the user sees (one
        query, narrowed by the first part of the key)."""
        # A key naming a record this import adds (`plain`) names nothing stored.
        keys = [key for key in keys if not any(isinstance(part, tuple) for part in key)]
        if not keys:
            return {}
        attnames = [self.attname(attribute) for attribute in self.key]
        rows = self.resource.get_queryset().select_related(None)
        # In the resource's own order (a group's: the current one of a code last, so that it
        # is the one found), not in the model's: a member's ordering by ward, group and name
        # made PostgreSQL sort them through four joins, planned for a cursor (2.4 s, not
        # 0.4 s, for 30,000 members).
        rows = rows.order_by(*rows.query.order_by).filter(
            **{f"{attnames[0]}__in": code_variants(key[0] for key in keys)}
        )
        wanted = set(keys)
        found = {}
        for instance in rows.iterator(chunk_size=BATCH):
            key = tuple(canonical(getattr(instance, attname)) for attname in attnames)
            if key in wanted:
                found[key] = instance
        return found

    def read_only(self, instances):
        """The ids of `instances` (found among the records the user sees) that the user may
        not change: a predecessor's, or a unit's that a reorganisation ended."""
        ids = [instance.pk for instance in instances]
        if self.user is None or not ids:
            return set()
        managed = self.model._default_manager.managed_by(self.user).filter(pk__in=ids)
        return set(ids) - set(managed.values_list("pk", flat=True))

    def validate(self, record, result):
        """The model's own field validation, constraints and `clean_loaded()` (rules on the
        records already loaded), in Python (no query)."""
        instance = record.instance
        for name, messages in self.field_checks.errors(instance).items():
            self.fail(
                result,
                record,
                self.header_of(name),
                getattr(instance, name, ""),
                " ".join(messages),
            )
        for message in self.constraint_errors(instance):
            self.fail(result, record, "", "", message)
        # A model's rules that read only the records the row's relations loaded.
        clean_loaded = getattr(instance, "clean_loaded", None)
        for name, message in (clean_loaded() if clean_loaded else {}).items():
            self.fail(result, record, self.header_of(name), getattr(instance, name), message)

    def header_of(self, attribute):
        for field in self.resource.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def constraint_errors(self, instance):
        """The messages of the model's check constraints that `instance` breaks, evaluated
        in Python from the constraints' own conditions."""
        return [
            str(constraint.violation_error_message)
            for constraint in self.model._meta.constraints
            if isinstance(constraint, CheckConstraint)
            and not satisfies(constraint.condition, instance)
        ]

    def check_rows(self, records, result):
        """Rules across rows (one current leader per team); `records` are the valid ones."""

    def fail(self, result, record, column, value, message):
        record.failed = True
        result.errors.append(RowError(record.row, column, value, message))

    def write(self, records, result, attributes):
        new = [r.instance for r in records if r.action == "new"]
        changed = [r.instance for r in records if r.action == "changed"]
        derived = list(getattr(self.model, "derived_fields", ()))
        now = timezone.now()
        for instance in changed:
            instance.updated_at = now  # bulk updates skip auto_now
            if derived:
                instance.fill_derived_fields()
        # One notice of everything written, at the end (`signals.writes_batched`).
        with transaction.atomic(), writes_batched():
            # Updates first, in the order `update_batches` gives, so that a record that
            # gives up a unique place (a team's leader) does so before another takes it.
            for batch in self.update_batches(changed):
                bulk_update_with_history(
                    batch,
                    self.model,
                    [*attributes, *self.relation_attributes, *derived, "updated_at"],
                    batch_size=BATCH,
                    default_user=self.user,
                )
            notify_written(
                self.model,
                written=changed,
                previous=[r.before for r in records if r.action == "changed"],
            )
            insert_with_history(self.model, new, user=self.user)
        result.written = True

    def update_batches(self, changed):
        """The changed records, in the groups to update one after the other."""
        return [changed] if changed else []


class Stopwatch:
    """The seconds spent in each step of an import ({step: seconds}), a step inside another
    counted in its own only."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.inner = []  # the seconds of the steps inside each step under way

    def step(self, name):
        return _Step(self, name)


class _Step:
    def __init__(self, stopwatch, name):
        self.stopwatch, self.name = stopwatch, name

    def __enter__(self):
        self.stopwatch.inner.append(0.0)
        self.started = time.perf_counter()

    def __exit__(self, *exception):
        elapsed = time.perf_counter() - self.started
        stopwatch = self.stopwatch
        inner = stopwatch.inner.pop()
        stopwatch.seconds[self.name] = stopwatch.seconds.get(self.name, 0.0) + elapsed - inner
        if stopwatch.inner:
            stopwatch.inner[-1] += elapsed


class Cells:
    """A column's cells read by its widget: text as it is, other values (choices, dates,
    numbers, “Có/Không”) once per distinct cell, as a file repeats them row after row. The
    widgets of value columns read nothing but their cell."""

    def __init__(self, widget):
        self.widget = widget
        self.outcomes = None if type(widget) is widgets.CharWidget else {}

    def read(self, value):
        """(the value, None), or (None, why the cell is wrong)."""
        if self.outcomes is None:
            return self.widget.clean(value), None
        key = (type(value), value)
        outcome = self.outcomes.get(key)
        if outcome is None:
            try:
                outcome = (self.widget.clean(value), None)
            except ValueError as error:
                outcome = (None, str(error))
            self.outcomes[key] = outcome
        return outcome


class FieldChecks:
    """A model's field validation, as `Model.clean_fields` does it (without changing the
    instance: the values of a row are already those of the field's type), each distinct
    value of a field other than text and decimals checked once (1,5 and 1,50 are equal
    decimals, but only one of them has a single decimal place)."""

    UNREMEMBERED = (CharField, TextField, DecimalField)

    def __init__(self, model, *, exclude=()):
        self.fields = [
            field
            for field in model._meta.fields
            if field.name not in exclude and not field.generated
        ]
        self.outcomes = {}

    def errors(self, instance):
        """{field name: [messages]} of the fields whose value is not valid."""
        errors = {}
        for field in self.fields:
            value = getattr(instance, field.attname)
            if field.blank and value in field.empty_values:
                continue
            if isinstance(field, self.UNREMEMBERED):
                messages = self.check(field, value, instance)
            else:
                key = (field.attname, type(value), value)
                messages = self.outcomes.get(key)
                if messages is None:
                    messages = self.outcomes[key] = self.check(field, value, instance)
            if messages:
                errors[field.name] = messages
        return errors

    @staticmethod
    def check(field, value, instance):
        try:
            field.clean(value, instance)
        except ValidationError as error:
            return error.messages
        return ()


AMBIGUOUS = object()  # what a lookup gives for a key that several records share


def canonical(value):
    """A code compared as its number when it is only digits: “115” names “00115”."""
    if isinstance(value, str) and value.isdigit():
        return str(int(value))
    return value


def code_variants(codes):
    """The codes to look up for `codes`: a code of digits also with leading zeros, up to
    six digits, so that 115 finds 00115 in the database."""
    variants = set()
    for code in codes:
        variants.add(code)
        if isinstance(code, str) and code.isdigit():
            variants.update(str(int(code)).zfill(width) for width in range(1, 7))
    return variants


def comparable(value):
    """A value as compared with the file's: line ends as a spreadsheet keeps them."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def shown(value):
    """A cell as the job's JSON result can hold it."""
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def plain(value):
    """A value as its column holds it: a related record as its id; one the import itself
    adds (not yet saved) as itself, by its identity."""
    if isinstance(value, Model):
        return value.pk if value.pk is not None else ("new", id(value))
    return value


# Why nothing was written, when the rows could not be checked or written.
REFUSED_BY_THE_DATABASE = gettext_lazy(
    "The database refused the rows (a record of another ward may have the same key); nothing "
    "was written."
)
UNPROCESSED = gettext_lazy("The file could not be processed; nothing was written.")


def import_file(importer, file_name, data, *, commit, progress=None):
    """Read the file `file_name` (its bytes, `data`) and check it, or import it (`commit`), as
    the admin's job and the command line both do. An import asked for is logged (the
    security log, through `signals.import_finished`) whatever its outcome; a file that
    cannot be read raises `FileRefused`."""
    outcome = str(UNPROCESSED)
    try:
        started = time.perf_counter()
        table = read_table(file_name, data)
        read = time.perf_counter() - started
        result = importer.run(table, commit=commit, progress=progress)
        result.stages = {"read": read, **result.stages}
        result.seconds += read
        outcome = result.summary()
        return result
    except FileRefused as refusal:
        outcome = str(refusal)
        raise
    except DatabaseError:
        outcome = str(REFUSED_BY_THE_DATABASE)
        raise
    finally:
        if commit:
            import_finished.send(
                sender=type(importer), user=importer.user, detail=f"{file_name}: {outcome}"
            )


# The importers, by the name the command line and a job give them. Each app registers its own
# (`@register("member")` in its `imports.py`); the admin, the command line, the roles and the
# import pages all read this one list, through `importers()`.
_importers = {}
_discovered = False


def register(name):
    """Class decorator: `importer_class` is the importer of its model, called `name`."""

    def add(importer_class):
        model = importer_class.resource_class._meta.model
        if name in _importers or any(
            other.resource_class._meta.model is model for other in _importers.values()
        ):
            raise ImproperlyConfigured(f"A second importer {name} of {model._meta.label}")
        importer_class.name = name
        _importers[name] = importer_class
        return importer_class

    return add


def importers():
    """{name: importer class} of every app, found the first time it is asked for (once the
    models are loaded: the importers' modules import them)."""
    global _discovered
    if not _discovered:
        apps.check_models_ready()
        autodiscover_modules("imports")
        _discovered = True
    return _importers


def importer_for(model):
    """The importer of `model`, or None."""
    return next(
        (found for found in importers().values() if found.resource_class._meta.model is model),
        None,
    )


def importable_models():
    """The labels of the models with an importer ("teams.member", …)."""
    return [found.resource_class._meta.model._meta.label_lower for found in importers().values()]
