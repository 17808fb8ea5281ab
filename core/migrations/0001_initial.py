# The import job moved from `wards` to `core`: its table stays `wards_importjob`, with its rows;
# only Django's record of the model changes app (with its content type, and so its permissions).
# Its jobs name their importer as the registry does, and the tasks queued for the worker name
# the task's new module.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The importers as jobs named them before (their class's path), and as they are named now.
IMPORTER_NAMES = {
    "wards.imports.WardImporter": "ward",
    "wards.imports.ResidentialGroupImporter": "group",
    "teams.imports.TeamImporter": "team",
    "teams.imports.MemberImporter": "member",
    "teams.imports.ActivityImporter": "activity",
    "teams.imports.FeedbackImporter": "feedback",
    "teams.imports.ExemplaryModelImporter": "exemplary",
    "meetings.imports.ProgressReportImporter": "progress",
}
OLD_TASK, NEW_TASK = "wards.tasks.run_import", "core.tasks.run_import"


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="importjob").exists():
        ContentType.objects.filter(app_label="wards", model="importjob").update(app_label="core")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="wards", model="importjob").exists():
        ContentType.objects.filter(app_label="core", model="importjob").update(app_label="wards")


def move_queued_tasks(apps, schema_editor):
    # The background worker finds a queued task by the path of its function.
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=OLD_TASK).update(task_path=NEW_TASK)


def move_queued_tasks_back(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=NEW_TASK).update(task_path=OLD_TASK)


def name_importers(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    for path, name in IMPORTER_NAMES.items():
        ImportJob.objects.filter(importer=path).update(importer=name)


def path_importers(apps, schema_editor):
    ImportJob = apps.get_model("core", "ImportJob")
    for path, name in IMPORTER_NAMES.items():
        ImportJob.objects.filter(importer=name).update(importer=path)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0001_initial"),
        ("wards", "0005_group_search_and_ward_name_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                                verbose_name="import number",
                            ),
                        ),
                        ("importer", models.CharField(max_length=200, verbose_name="importer")),
                        (
                            "file",
                            models.FileField(upload_to="imports/%Y/%m/", verbose_name="file"),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("checking", "Being checked"),
                                    ("checked", "Checked"),
                                    ("importing", "Being imported"),
                                    ("imported", "Imported"),
                                    ("failed", "Failed"),
                                ],
                                default="checking",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "rows_done",
                            models.PositiveIntegerField(default=0, verbose_name="rows done"),
                        ),
                        ("rows_total", models.PositiveIntegerField(default=0, verbose_name="rows")),
                        ("result", models.JSONField(blank=True, null=True, verbose_name="result")),
                        ("message", models.TextField(blank=True, verbose_name="message")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="import_jobs",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "db_table": "wards_importjob",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.RunPython(name_importers, path_importers),
        migrations.RunPython(move_queued_tasks, move_queued_tasks_back),
    ]
