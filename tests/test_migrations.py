"""Upgrades keep the data: the import job moved from `wards` to `core` keeps its table, its
rows, its content type (and so its permissions); its jobs name their importer as the registry
does, and a task queued before the upgrade still finds its function. The downgrade undoes it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

from core.models import ImportJob
from meetings.models import Directive, DirectiveTask
from tests.factories import DirectiveTaskFactory, SeminarFactory

BEFORE = [("wards", "0005_group_search_and_ward_name_index"), ("core", None)]


@pytest.mark.django_db(transaction=True)
def test_import_jobs_keep_their_rows_when_the_model_moves_to_core():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    user = old.get_model("wards", "User").objects.create(username="nguoi_nhap")
    old.get_model("wards", "ImportJob").objects.create(
        importer="teams.imports.MemberImporter",
        file_name="thanh-vien.xlsx",
        user_id=user.pk,
        status="imported",
    )
    # A check queued for the worker before the upgrade, by the task's old path (and nothing
    # else: not the daily reminders' run that `migrate` enqueued for the tests' database).
    DBTaskResult.objects.all().delete()
    DBTaskResult.objects.create(
        task_path="wards.tasks.run_import",
        args_kwargs={"args": ["00000000-0000-0000-0000-000000000001", False], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=0,
    )
    # Migrating back gave the content type back to `wards`, as it was before the move.
    content_type = ContentType.objects.get(model="importjob")
    assert content_type.app_label == "wards"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    assert list(ImportJob.objects.values_list("importer", "file_name", "user__username")) == [
        ("member", "thanh-vien.xlsx", "nguoi_nhap")
    ]
    content_type.refresh_from_db()
    assert (content_type.app_label, content_type.model) == ("core", "importjob")
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "core.tasks.run_import"
    ]

    # And back: the downgrade gives `wards` its model, its content type and its paths.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    assert list(
        old.get_model("wards", "ImportJob").objects.values_list("importer", flat=True)
    ) == ["teams.imports.MemberImporter"]
    content_type.refresh_from_db()
    assert content_type.app_label == "wards"
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "wards.tasks.run_import"
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(after)


@pytest.mark.django_db(transaction=True)
def test_meetings_migrations_move_a_seminars_tasks_to_its_conclusion_and_back():
    seminar = SeminarFactory(title="Tọa đàm cũ")
    DirectiveTaskFactory(seminar=seminar, number=1)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("meetings", "0006_task_carried_over")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        tasks = old.get_model("meetings", "DirectiveTask").objects
        assert list(tasks.values_list("seminar__title", "number")) == [("Tọa đàm cũ", 1)]

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        assert list(DirectiveTask.objects.values_list("directive__seminar__title", "number")) == [
            ("Tọa đàm cũ", 1)
        ]
        assert Directive.objects.get().kind == "conclusion"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
