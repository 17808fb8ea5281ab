from django.db import migrations


def fill_sort_names(apps, schema_editor):
    """The Vietnamese sort key of every ward's and managing unit's name (`text.name_sort_key`),
    in its own migration: PostgreSQL refuses to change a table with pending trigger events."""
    from core.text import name_sort_key

    for name in ("District", "Ward"):
        model = apps.get_model("wards", name)
        units = list(model.objects.only("pk", "name"))
        for unit in units:
            unit.sort_name = name_sort_key(unit.name)
        model.objects.bulk_update(units, ["sort_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("wards", "0012_unit_sort_names")]

    operations = [migrations.RunPython(fill_sort_names, migrations.RunPython.noop)]
