"""The queries of the pages of people, trainings, “Dân vận khéo” and a feedback's follow-up:
the same number for 5 rows as for 50 (a person's roles, a model's people, a training's
attendees…)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Evaluation, Evidence
from people.models import Position
from teams.models import FeedbackStep
from tests.factories import (
    CitizenFeedbackFactory,
    ContributionFactory,
    ExemplaryModelFactory,
    MemberFactory,
    PersonFactory,
    PrestigiousPersonFactory,
    RoleUserFactory,
    SeminarSessionFactory,
    TeamFactory,
    TrainingFactory,
)
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team = TeamFactory()
    ward = team.residential_group.ward
    return {
        "team": team,
        "ward": ward,
        "person": MemberFactory(team=team).person,
        "training": TrainingFactory(district=ward.district, ward=ward, organiser_level="ward"),
        "feedback": CitizenFeedbackFactory(team=team, received_on=datetime.date(2025, 1, 2)),
        "model": ExemplaryModelFactory(ward=ward, year=2026),
        "session": SeminarSessionFactory(seminar__district=ward.district, wards=[ward]),
    }


def fill(world, count):
    """`count` more of every row the pages list."""
    team, ward, person = world["team"], world["ward"], world["person"]
    group = team.residential_group
    for _ in range(count):
        other = MemberFactory(team=team).person
        PersonFactory(residential_group=group, full_name=other.full_name)  # recorded twice
        world["training"].attendees.add(other)
        training = TrainingFactory(district=ward.district, ward=ward, organiser_level="ward")
        training.attendees.add(person)
        Position.objects.create(person=person, kind=Position.Kind.BRANCH_HEAD)
        PrestigiousPersonFactory(person=person, residential_group=group)
        FeedbackStep.objects.create(
            feedback=world["feedback"], kind="replied", date=datetime.date(2025, 1, 3)
        )
        ExemplaryModelFactory(ward=ward, year=2026).people.add(person)
        world["model"].people.add(other)
        ContributionFactory(session=world["session"], person=person)
        Evidence.objects.create(
            exemplary_model=world["model"],
            file="evidence/x.pdf",
            name="x.pdf",
            kind="pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        Evaluation.objects.create(
            exemplary_model=world["model"],
            level="district",
            scores={},
            total=80,
            comment="Tốt",
            recommended=True,
            evaluated_on=datetime.date(2026, 5, 1),
        )


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = {
    "people:person_list": lambda w: [w["ward"].code],
    "people:duplicates": lambda w: [w["ward"].code],
    "people:person_detail": lambda w: [w["person"].pk],
    "teams:training_list": lambda w: [],
    "teams:training_detail": lambda w: [w["training"].pk],
    "teams:feedback_detail": lambda w: [w["feedback"].pk],
    "awards:model_list": lambda w: [],
    "awards:model_detail": lambda w: [w["model"].pk],
}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("people:person_list", 9),
        ("people:duplicates", 9),
        ("people:person_detail", 14),
        ("teams:training_list", 8),
        ("teams:training_detail", 7),
        ("teams:feedback_detail", 7),
        ("awards:model_list", 8),
        ("awards:model_detail", 9),
    ],
)
def test_page_queries_ward_officer_are_the_same_for_5_and_50_rows(client, world, name, expected):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[world["ward"]]))
    url = reverse(name, args=PAGES[name](world))
    if name == "awards:model_list":
        url += "?year=2026"
    fill(world, 5)
    with_5 = queries(client, url)

    fill(world, 45)

    assert (with_5, queries(client, url)) == (expected, expected)
