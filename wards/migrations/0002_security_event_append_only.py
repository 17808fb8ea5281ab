"""The security log is append-only: the database refuses to update or delete its rows."""

from django.db import migrations

SQLITE = [
    f"""
    CREATE TRIGGER wards_securityevent_no_{event.lower()}
    BEFORE {event} ON wards_securityevent
    BEGIN
        SELECT RAISE(ABORT, 'the security log is append-only');
    END;
    """
    for event in ("UPDATE", "DELETE")
]

POSTGRESQL = [
    """
    CREATE FUNCTION wards_securityevent_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the security log is append-only';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER wards_securityevent_append_only
    BEFORE UPDATE OR DELETE ON wards_securityevent
    FOR EACH ROW EXECUTE FUNCTION wards_securityevent_append_only();
    """,
]

DROP = {
    "sqlite": [
        "DROP TRIGGER wards_securityevent_no_update;",
        "DROP TRIGGER wards_securityevent_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER wards_securityevent_append_only ON wards_securityevent;",
        "DROP FUNCTION wards_securityevent_append_only();",
    ],
}


def create_triggers(apps, schema_editor):
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("wards", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
