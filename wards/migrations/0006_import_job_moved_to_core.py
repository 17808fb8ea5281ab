# The import job is `core.ImportJob` now (see core's 0001): its table and rows stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("wards", "0005_group_search_and_ward_name_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
        ),
    ]
