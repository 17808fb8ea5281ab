"""Each activity keeps its team's ward (`Activity.ward`), filled here from the teams.

The country's 5,000,000 activities are written once (on PostgreSQL, with their indexes: ten
minutes on a 2-core machine, the table locked meanwhile); the covering index of the
dashboards' counts then holds the ward instead of the team."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    activity, team = apps.get_model("teams", "Activity"), apps.get_model("teams", "Team")
    ward = team.objects.filter(pk=OuterRef("team_id")).values("residential_group__ward_id")
    activity.objects.update(ward_id=Subquery(ward[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0014_activity_counts_from_the_index"),
        ("wards", "0013_fill_unit_sort_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="ward",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wards.ward",
                verbose_name="ward",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="activity",
            name="ward",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wards.ward",
                verbose_name="ward",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["ward", "-date"], name="activity_ward_date_idx"),
        ),
        migrations.RemoveIndex(model_name="activity", name="activity_date_field_idx"),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["date", "field"],
                include=("households_reached", "ward", "id"),
                name="activity_date_field_idx",
            ),
        ),
    ]
