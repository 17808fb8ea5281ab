"""On PostgreSQL, trigram indexes make the accent-free "contains" search indexed
(`core.trigram`)."""

from django.db import migrations

from core.trigram import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [
        migrations.RunPython(
            *trigram_indexes("teams_member", "teams_activity", "teams_citizenfeedback")
        )
    ]
