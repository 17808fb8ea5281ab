"""Bulk import of a table (`tables.read_table`), all or nothing, keyed on natural keys.

The columns and the way each cell is read are those of the model's export resource
(`resources.py`): one definition of the file format for both directions. What a resource
does row by row with a query per relation and per row, an importer does in bulk:

1. every cell is read by its column's widget (dates dd/mm/yyyy or Excel dates, “Có/Không”,
   choices by their Vietnamese label, whole numbers); an unreadable cell is a row error that
   names the row, the column and the value;
2. the relations (a team named by its ward and group codes, …) are resolved with one query
   for the whole file, among the records the user sees: a row of another ward is an error;
3. the records the rows name are read with one query, and each row is new, changed or
   unchanged; the model's field validation and its constraints run in Python per row;
4. with no error and `commit`, new rows are inserted and changed ones updated in batches, in
   one transaction, with their history.

A row error anywhere means nothing is written.
"""

import copy
import dataclasses
import io
import time
from collections.abc import Callable

import openpyxl
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, transaction
from django.db.models import CheckConstraint, F, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.widgets import ForeignKeyWidget
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import District, Ward
from .resources import (
    DISTRICT_CODE,
    WARD_CODE,
    ChoiceLabelWidget,
    DateWidget,
    ResidentialGroupResource,
    WardResource,
    WholeNumberWidget,
    YesNoWidget,
    managed,
    scoped,
)
from .signals import notify_written, writes_batched
from .tables import FileRefused

BATCH = 2000
PROGRESS_EVERY = 5000
SAMPLES = 20


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

    @property
    def error_rows(self):
        return len({error.row for error in self.errors})

    def as_dict(self, *, max_errors=500):
        return {
            "rows": self.rows,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "error_rows": self.error_rows,
            "written": self.written,
            "seconds": round(self.seconds, 2),
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


class Importer:
    """The bulk import of one model, in the format of its export resource."""

    resource_class = None
    relations: tuple[Relation, ...] = ()

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
        sheet.append([self.example.get(header, "") for header in self.headers])
        for index, header in enumerate(self.headers, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(14, len(header) + 4)
            sheet[f"{letter}1"].font = Font(bold=True)
            for row in range(2, 1002):
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
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

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
            % {
                "record": self.model._meta.get_field(
                    relation.attribute
                ).related_model._meta.verbose_name
            }
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
        fields = self.columns_of(table.headers)
        records = self.read(table, fields, result, progress)
        self.resolve(records, result)
        self.match(records, result, [field.attribute for field in fields])
        if commit and not result.errors:
            self.write(records, result, [field.attribute for field in fields])
        result.seconds = time.perf_counter() - started
        return result

    def columns_of(self, headers):
        """The value columns of the file; it must have those the records need."""
        required = [
            field.column_name
            for field in self.value_fields
            if field.attribute in self.key or self.is_required(field.attribute)
        ] + [column for relation in self.relations for column in relation.columns]
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
        for index, (number, cells) in enumerate(table.rows, start=1):
            row = dict(zip(table.headers, cells, strict=True))
            record = Record(number, row, {})
            for field in fields:
                value = row.get(field.column_name)
                try:
                    record.values[field.attribute] = field.widget.clean(value, row=row)
                except ValueError as error:
                    self.fail(result, record, field.column_name, value, str(error))
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
            key = tuple(canonical(plain(record.values[attribute])) for attribute in self.key)
            if key in seen:
                self.fail(
                    result,
                    record,
                    self.key_header(),
                    ", ".join(str(record.values[attribute]) for attribute in self.key),
                    _("The same record as row %(row)s.") % {"row": seen[key]},
                )
                continue
            seen[key] = record.row
            candidates.append((key, record))
        existing = self.existing([key for key, _record in candidates])
        for key, record in candidates:
            instance = existing.get(key)
            if instance is None:
                instance = self.model(**record.values)
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
                if changed and len(result.samples) < SAMPLES:
                    result.samples.append(
                        (record.row, "changed", self.changes(instance, record, changed))
                    )
                if changed:
                    record.before = copy.copy(instance)
                for attribute in changed:
                    setattr(instance, attribute, record.values[attribute])
                record.action = "changed" if changed else "unchanged"
            if record.action != "unchanged":
                record.instance = instance
                self.validate(record, result)
        self.check_rows([r for _key, r in candidates if r.instance and not r.failed], result)
        for _key, record in candidates:
            if not record.failed:
                setattr(result, record.action, getattr(result, record.action) + 1)

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
        if not keys:
            return {}
        attnames = [self.attname(attribute) for attribute in self.key]
        rows = (
            self.resource.get_queryset()
            .select_related(None)
            .filter(**{f"{attnames[0]}__in": code_variants(key[0] for key in keys)})
        )
        wanted = set(keys)
        found = {}
        for instance in rows.iterator(chunk_size=BATCH):
            key = tuple(canonical(getattr(instance, attname)) for attname in attnames)
            if key in wanted:
                found[key] = instance
        return found

    def validate(self, record, result):
        """The model's own field validation and constraints, in Python (no query)."""
        instance = record.instance
        try:
            # Relations are checked by their lookups; validating them would read each one.
            instance.clean_fields(
                exclude={field.name for field in self.model._meta.fields if field.is_relation}
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.fail(
                    result,
                    record,
                    self.header_of(name),
                    getattr(instance, name, ""),
                    " ".join(messages),
                )
        for message in self.constraint_errors(instance):
            self.fail(result, record, "", "", message)

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


def insert_with_history(model, objects, *, user):
    """Insert `objects` and a “created” history row for each: with COPY on PostgreSQL (ten
    times Django's bulk_create), with bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        bulk_create_with_history(objects, model, batch_size=BATCH, default_user=user)
        return
    if not objects:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objects)],
        )
        for instance, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = pk
    fields = model._meta.concrete_fields
    for instance in objects:
        if hasattr(instance, "fill_derived_fields"):
            instance.fill_derived_fields()
        for field in fields:
            field.pre_save(instance, add=True)  # auto_now(_add) dates
    copy_rows(model, fields, ([getattr(o, f.attname) for f in fields] for o in objects))
    notify_written(model, written=objects)
    history = model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    extra = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_user_id": user and user.pk,
    }
    extra["history_change_reason"] = None
    history_fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    copy_rows(
        history,
        history_fields,
        (
            [
                getattr(o, f.attname) if f.attname in tracked else extra[f.attname]
                for f in history_fields
            ]
            for o in objects
        ),
    )


def copy_rows(model, fields, rows):
    """COPY `rows` (lists of column values, in the order of `fields`) into `model`'s table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # psycopg's own errors, as Django's (IntegrityError, …), like any other query's.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


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
    """A value as its column holds it: a related record as its id."""
    return value.pk if isinstance(value, Model) else value


def _compare(operator):
    def compare(value, other):
        if value is None or other is None:
            return None  # SQL's unknown: a check constraint passes on it
        return operator(value, other)

    return compare


LOOKUPS = {
    "exact": _compare(lambda value, other: value == other),
    "isnull": lambda value, other: (value is None) == other,
    "gte": _compare(lambda value, other: value >= other),
    "lte": _compare(lambda value, other: value <= other),
    "gt": _compare(lambda value, other: value > other),
    "lt": _compare(lambda value, other: value < other),
    "range": _compare(lambda value, other: other[0] <= value <= other[1]),
}


def satisfies(condition, instance):
    """Whether `instance` meets a check constraint's condition (a Q of the lookups above on
    its own fields, values or F() of other fields), as the database would judge it: the
    check fails only when the condition is false, not when it is unknown (NULL)."""
    return _evaluate(condition, instance) is not False


def _evaluate(condition, instance):
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, instance))
            continue
        lookup, other = child
        name, _, kind = lookup.partition("__")
        if isinstance(other, F):
            other = getattr(instance, other.name)
        attribute = instance._meta.get_field(name).attname
        results.append(LOOKUPS[kind or "exact"](getattr(instance, attribute), other))
    if condition.connector == Q.AND:
        met = False if False in results else (None if None in results else True)
    else:
        met = True if True in results else (None if None in results else False)
    return met if met is None or not condition.negated else not met


# The units' importers


def wards_by_code(user, keys):
    codes = {code for (code,) in keys}
    wards = Ward.objects.filter(code__in=code_variants(codes))
    return {(w.code,): w for w in scoped(wards, user)}


def districts_by_code(user, keys):
    codes = {code for (code,) in keys}
    districts = District.objects.filter(code__in=code_variants(codes))
    return {(d.code,): d for d in managed(districts, user)}


WARD = Relation(
    "ward",
    (WARD_CODE,),
    wards_by_code,
    gettext_lazy("No ward you may change has the code “%(0)s”."),
)


class WardImporter(Importer):
    resource_class = WardResource
    example = {
        DISTRICT_CODE: "004",
        WARD_CODE: "00115",
        "Tên phường": "Thượng Thanh",
        "Loại": "Phường",
        "Đang hoạt động": "Có",
    }
    relations = (
        Relation(
            "district",
            (DISTRICT_CODE,),
            districts_by_code,
            gettext_lazy("No managing unit you may change has the code “%(0)s”."),
        ),
    )


class ResidentialGroupImporter(Importer):
    resource_class = ResidentialGroupResource
    example = {
        WARD_CODE: "00115",
        "Mã tổ dân phố": "07",
        "Tên tổ dân phố": "Tổ dân phố số 7",
        "Số hộ": 245,
        "Số nhân khẩu": 890,
        "Đang hoạt động": "Có",
    }
    relations = (WARD,)
