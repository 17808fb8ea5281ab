from django.db import migrations

BATCH = 2000


def people_from_records(apps, schema_editor):
    """A person for each member and each prestigious person, with the details they held (a
    member in two teams becomes two people: the duplicates page finds them, to be merged);
    the attendees of trainings become the people of the members who attended."""
    from core.text import fold, sort_key

    Person = apps.get_model("people", "Person")
    Member = apps.get_model("teams", "Member")
    PrestigiousPerson = apps.get_model("teams", "PrestigiousPerson")
    Training = apps.get_model("teams", "Training")

    def person(full_name, group_id, **details):
        return Person(
            full_name=full_name,
            residential_group_id=group_id,
            search_text=(" " + fold(full_name))[:1000],
            sort_name=sort_key(full_name),
            name_key=fold(full_name)[:100],
            **details,
        )

    for model, details in (
        (Member, ("gender", "birth_year", "phone")),
        (PrestigiousPerson, ("phone",)),
    ):
        group = "team__residential_group_id" if model is Member else "residential_group_id"
        rows = model.objects.filter(person__isnull=True).order_by("pk")
        while True:
            batch = list(rows.values("pk", "full_name", group, *details)[:BATCH])
            if not batch:
                break
            people = Person.objects.bulk_create(
                [
                    person(
                        row["full_name"],
                        row[group],
                        **{name: row[name] for name in details if row[name] is not None},
                    )
                    for row in batch
                ]
            )
            records = [
                model(pk=row["pk"], person_id=made.pk)
                for row, made in zip(batch, people, strict=True)
            ]
            model.objects.bulk_update(records, ["person_id"])
    Through = Training.people_attended.through
    Attended = Training.attendees.through
    persons = dict(Member.objects.values_list("pk", "person_id"))
    Through.objects.bulk_create(
        [
            Through(training_id=training, person_id=persons[member])
            for training, member in Attended.objects.values_list("training_id", "member_id")
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    """Apart from the schema's changes around it: PostgreSQL alters no table with writes of
    this transaction still to check."""

    dependencies = [("teams", "0007_people_in_roles")]

    operations = [
        migrations.RunPython(people_from_records, migrations.RunPython.noop),
    ]
