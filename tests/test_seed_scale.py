"""`seed_scale` fills the database with consistent synthetic data of the counts asked for."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from meetings.models import ProgressReport, Seminar, TaskAssignment
from teams.models import Activity, CitizenFeedback, Member, Team
from tests.factories import RoleUserFactory
from wards.models import District, ResidentialGroup, Ward
from wards.roles import Role

pytestmark = pytest.mark.django_db

SMALL = {
    "--districts": 2,
    "--wards": 6,
    "--groups": 18,
    "--members": 60,
    "--activities": 500,
    "--feedback": 90,
    "--seminars": 2,
}


def test_seed_scale_writes_the_counts_asked_for():
    args = [str(part) for pair in SMALL.items() for part in pair]

    call_command("seed_scale", "district", *args, stdout=io.StringIO())

    assert [
        District.objects.count(),
        Ward.objects.count(),
        ResidentialGroup.objects.count(),
        Team.objects.count(),
        Member.objects.count(),
        Activity.objects.count(),
        CitizenFeedback.objects.count(),
        Seminar.objects.count(),
    ] == [2, 6, 18, 18, 60, 500, 90, 2]
    # Every team has exactly one current leader; each seminar gives 6 tasks to its wards.
    assert Member.objects.filter(role="leader").count() == 18
    assert TaskAssignment.objects.count() == 6 * 6
    assert ProgressReport.objects.exists()
    assert not Activity.objects.filter(search_text="").exists()


def test_seed_scale_data_opens_in_the_dashboards(client):
    args = [str(part) for pair in SMALL.items() for part in pair]
    call_command("seed_scale", "district", *args, stdout=io.StringIO())
    district = District.objects.order_by("pk").first()
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))

    response = client.get(reverse("reports:overview"))

    assert response.status_code == 200
    figures = {figure.key: figure.value for figure in response.context["figures"]}
    assert figures["wards"] == 3 and figures["groups"] == 9
    assert len(response.context["matrix"]) == 3
