"""Every export read as tuples of stored values (`NaturalKeyResource.export`) writes what the
library writes from model instances, cell for cell, on the demo's records."""

import io

import pytest
from django.core.management import call_command
from import_export import resources

from core.resources import NaturalKeyResource
from teams.models import Activity
from teams.resources import ActivityResource, MemberResource
from tests.factories import ActivityFactory
from tests.shared import module_records
from wards.models import User


def every_resource(base=NaturalKeyResource):
    for resource in base.__subclasses__():
        if resource._meta.model is not None:
            yield resource
        yield from every_resource(resource)


RESOURCES = sorted(set(every_resource()), key=lambda resource: resource.__name__)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with module_records(
        django_db_blocker, lambda: call_command("load_demo", stdout=io.StringIO())
    ):
        yield


def by_rows(resource):
    """The library's own export: each row's model instance, cell by cell."""
    return resources.ModelResource.export(resource)


def columns_read(resource):
    queryset = resource.filter_export(resource.get_queryset())
    return [
        resource.column_of(field, queryset) is not None for field in resource.get_export_fields()
    ]


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda resource: resource.__name__)
def test_export_as_tuples_writes_what_the_library_writes(demo, db, resource_class):
    resource = resource_class()
    tuples = resource.export()

    assert tuples.headers == by_rows(resource_class()).headers
    assert tuples.dict == by_rows(resource_class()).dict
    assert len(tuples) > 0


def test_export_reads_tuples_when_every_column_is_a_stored_value(demo, db):
    read = {resource.__name__: all(columns_read(resource())) for resource in RESOURCES}

    assert read == {
        "ActivityResource": True,
        "ExemplaryModelResource": True,
        "FeedbackResource": True,
        "MemberResource": True,
        "PersonResource": True,
        "PositionResource": True,
        "PrestigiousPersonResource": True,
        "ProgressReportResource": True,
        "ResidentialGroupResource": True,
        "TeamResource": True,
        "TrainingResource": True,
        "WardResource": True,
    }


def test_export_with_personal_cells_left_out_row_by_row_is_read_from_instances():
    # Staff may export the phones of the people of their wards only: cell by cell.
    staff = User(username="can.bo")

    assert MemberResource(user=staff, personal=True).exports_columns is False
    assert MemberResource(user=staff, personal=False).exports_columns is True
    assert MemberResource(user=User(is_superuser=True), personal=True).exports_columns is True
    assert MemberResource(personal=True).exports_columns is True


def test_export_of_a_distinct_list_keeps_a_row_for_each_record(db):
    # As tuples, two records with the same cells would be one distinct row.
    first = ActivityFactory(title="Tổng vệ sinh")
    ActivityFactory(team=first.team, title="Tổng vệ sinh")
    activities = Activity.objects.filter(team=first.team).distinct()

    exported = ActivityResource().export(queryset=activities)

    assert [row[5] for row in exported] == ["Tổng vệ sinh", "Tổng vệ sinh"]
    assert len(ActivityResource().export(queryset=activities.order_by().distinct())) == 2


def test_export_of_a_list_of_records_reads_them_as_the_library_does(db):
    activity = ActivityFactory(title="Tổng vệ sinh")

    exported = ActivityResource().export(queryset=[activity])

    assert [row[5] for row in exported] == ["Tổng vệ sinh"]


def test_a_resource_writing_its_cells_its_own_way_is_read_from_instances():
    class Shouting(ActivityResource):
        def export_field(self, field, instance, **kwargs):
            return str(super().export_field(field, instance, **kwargs)).upper()

    assert Shouting().exports_columns is False
    assert ActivityResource().exports_columns is True
