"""Bulk writers: rows COPYed into a table, and records inserted with their history rows
(COPY on PostgreSQL, `bulk_create` elsewhere)."""

from operator import attrgetter

from django.db import connection
from django.db.backends.utils import debug_transaction
from django.db.models import Field
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .signals import notify_written

BATCH = 2000


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
    # The fields that set their value when saved (auto_now(_add) dates).
    setting = [field for field in fields if type(field).pre_save is not Field.pre_save]
    for instance in objects:
        if hasattr(instance, "fill_derived_fields"):
            instance.fill_derived_fields()
        for field in setting:
            field.pre_save(instance, add=True)
    values = attrgetter(*(field.attname for field in fields))
    copy_rows(model, fields, map(values, objects))
    notify_written(model, written=objects)
    history = model.history.model
    tracked = [field.attname for field in history.tracked_fields]
    extra = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_user_id": user and user.pk,
        "history_change_reason": None,
    }
    # A history row: the record's tracked values, then the history's own.
    columns = {field.attname: field for field in history._meta.concrete_fields}
    recorded = attrgetter(*tracked)
    own = tuple(extra.values())
    copy_rows(
        history,
        [columns[name] for name in [*tracked, *extra]],
        (recorded(instance) + own for instance in objects),
    )


def copy_rows(model, fields, rows):
    """COPY `rows` (lists of column values, in the order of `fields`) into `model`'s table.
    Logged as Django logs its queries (DEBUG, a test's count of queries): a statement too."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    # psycopg's own errors, as Django's (IntegrityError, …), like any other query's.
    with (
        debug_transaction(connection, sql),
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)
