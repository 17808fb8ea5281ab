"""The security log is append-only: the database refuses to update its rows."""

from django.db import migrations

SQLITE = """
CREATE TRIGGER wards_securityevent_append_only
BEFORE UPDATE ON wards_securityevent
BEGIN
    SELECT RAISE(ABORT, 'the security log is append-only');
END;
"""

POSTGRESQL = """
CREATE FUNCTION wards_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the security log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER wards_securityevent_append_only
BEFORE UPDATE ON wards_securityevent
FOR EACH ROW EXECUTE FUNCTION wards_securityevent_append_only();
"""

DROP = {
    "sqlite": "DROP TRIGGER wards_securityevent_append_only;",
    "postgresql": "DROP TRIGGER wards_securityevent_append_only ON wards_securityevent; "
    "DROP FUNCTION wards_securityevent_append_only();",
}


def create_trigger(apps, schema_editor):
    sql = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    schema_editor.execute(sql)


def drop_trigger(apps, schema_editor):
    schema_editor.execute(DROP[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [("wards", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
