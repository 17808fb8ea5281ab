"""Upgrades keep the data: the import job moved from `wards` to `core` keeps its table, its
rows, its content type (and so its permissions), and its jobs name their importer as the
registry does."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import ImportJob

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
