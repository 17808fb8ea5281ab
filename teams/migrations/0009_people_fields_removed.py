import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("teams", "0008_people_from_records")]

    operations = [
        migrations.RemoveConstraint(
            model_name="member",
            name="member_birth_year_plausible",
        ),
        migrations.RemoveIndex(
            model_name="member",
            name="member_sort_name_idx",
        ),
        migrations.RemoveField(
            model_name="historicalmember",
            name="birth_year",
        ),
        migrations.RemoveField(
            model_name="historicalmember",
            name="full_name",
        ),
        migrations.RemoveField(
            model_name="historicalmember",
            name="gender",
        ),
        migrations.RemoveField(
            model_name="historicalmember",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="historicalprestigiousperson",
            name="full_name",
        ),
        migrations.RemoveField(
            model_name="historicalprestigiousperson",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="historicaltraining_attendees",
            name="member",
        ),
        migrations.RemoveField(
            model_name="member",
            name="birth_year",
        ),
        migrations.RemoveField(
            model_name="member",
            name="full_name",
        ),
        migrations.RemoveField(
            model_name="member",
            name="gender",
        ),
        migrations.RemoveField(
            model_name="member",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="member",
            name="search_text",
        ),
        migrations.RemoveField(
            model_name="member",
            name="sort_name",
        ),
        migrations.RemoveField(
            model_name="prestigiousperson",
            name="full_name",
        ),
        migrations.RemoveField(
            model_name="prestigiousperson",
            name="phone",
        ),
        migrations.RemoveField(
            model_name="training",
            name="attendees",
        ),
        migrations.RenameField(
            model_name="training",
            old_name="people_attended",
            new_name="attendees",
        ),
        migrations.AlterField(
            model_name="training",
            name="attendees",
            field=models.ManyToManyField(
                blank=True, related_name="trainings", to="people.person", verbose_name="attendees"
            ),
        ),
        migrations.AlterField(
            model_name="member",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="people.person",
                verbose_name="person",
            ),
        ),
        migrations.AlterField(
            model_name="prestigiousperson",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="prestigious_roles",
                to="people.person",
                verbose_name="person",
            ),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True)),
                fields=("team", "person"),
                name="member_one_current_seat_per_person",
                violation_error_message="This person is already a current member of the team.",
            ),
        ),
        migrations.AddConstraint(
            model_name="prestigiousperson",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("until__isnull", True),
                    ("since__isnull", True),
                    ("until__gte", models.F("since")),
                    _connector="OR",
                ),
                name="prestigious_until_after_since",
                violation_error_message="The end cannot be before the start.",
            ),
        ),
    ]
