"""Residential groups get a folded search column (accent-free, trigram-indexed on
PostgreSQL), filled here for the groups already stored; wards an index on their name, the
order of the country's lists of groups and teams."""

from django.db import migrations, models

from core.text import fold
from core.trigram import trigram_indexes


def fill_search_text(apps, schema_editor):
    groups = apps.get_model("wards", "ResidentialGroup")
    batch = []
    for group in groups.objects.only("code", "name").iterator(chunk_size=2000):
        group.search_text = (" " + fold(f"{group.code} {group.name}"))[:1000]
        batch.append(group)
        if len(batch) == 2000:
            groups.objects.bulk_update(batch, ["search_text"])
            batch = []
    groups.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("wards", "0004_import_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="residentialgroup",
            name="search_text",
            field=models.CharField(
                blank=True, editable=False, max_length=1000, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(*trigram_indexes("wards_residentialgroup")),
        migrations.AddIndex(
            model_name="ward",
            index=models.Index(fields=["name"], name="ward_name_idx"),
        ),
    ]
