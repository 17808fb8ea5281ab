"""Activities' (date, field) index covers the dashboards' counts (households, team, id).

On PostgreSQL the new index is built CONCURRENTLY beside the old one, which is then dropped
CONCURRENTLY: the table of millions of activities stays open to reads and writes meanwhile.
SQLite builds the index without its covering columns (`models.W040`, silenced in the
settings)."""

from django.db import migrations, models

OLD = models.Index(fields=["date", "field"], name="activity_date_field_idx")
NEW = models.Index(
    fields=["date", "field"],
    include=["households_reached", "team", "id"],
    name="activity_date_field_idx",
)
BUILDING = "activity_date_field_new_idx"


def replace(apps, schema_editor, *, old, new):
    activity = apps.get_model("teams", "Activity")
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.remove_index(activity, old)
        schema_editor.add_index(activity, new)
        return
    columns = "(date, field)" + (
        " INCLUDE (households_reached, team_id, id)" if new.include else ""
    )
    for sql in (
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {BUILDING} ON teams_activity {columns}",
        f"DROP INDEX CONCURRENTLY IF EXISTS {old.name}",
        f"ALTER INDEX {BUILDING} RENAME TO {new.name}",
    ):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    replace(apps, schema_editor, old=OLD, new=NEW)


def backwards(apps, schema_editor):
    replace(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("teams", "0013_ward_names_in_vietnamese_order"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="activity", name="activity_date_field_idx"),
                migrations.AddIndex(model_name="activity", index=NEW),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
