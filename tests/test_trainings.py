"""Trainings planned and held, on the site's pages: who may plan one where, and attendance
recorded from a phone once it is held — people, members of a team or not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import Training
from tests.factories import (
    MemberFactory,
    PersonFactory,
    RoleUserFactory,
    TeamFactory,
    TrainingFactory,
)
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def ward(team):
    return team.residential_group.ward


@pytest.fixture
def officer(client, ward):
    user = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    client.force_login(user)
    return user


def plan(**changes):
    return {
        "title": "Tập huấn kỹ năng vận động quần chúng",
        "status": "planned",
        "date": "15/12/2026",
        "place": "Hội trường phường",
        "hours": "4",
        "organiser": "Đảng ủy phường",
        "organiser_level": "ward",
        "content": "Kỹ năng dân vận khéo.",
        **changes,
    }


def test_training_add_ward_officer_plans_a_training_of_their_ward(client, officer, ward):
    response = client.post(reverse("teams:training_add"), plan(ward=ward.pk))

    training = Training.objects.get()
    assert response.url == reverse("teams:training_detail", args=[training.pk])
    assert (training.status, training.ward, training.district, str(training.hours)) == (
        "planned",
        ward,
        ward.district,
        "4.0",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organiser_level": "district"}, "organiser_level"),  # above the ward: not offered
        ({"status": "held", "date": "15/12/2099"}, "date"),  # held in the future
        ({"hours": "-2"}, "hours"),
    ],
)
def test_training_add_ward_officer_with_a_wrong_value_gets_it_beside_the_field(
    client, officer, ward, changes, field
):
    response = client.post(reverse("teams:training_add"), plan(ward=ward.pk, **changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Training.objects.exists()


def test_attendance_ward_officer_adds_a_member_and_a_resident_found_by_search(
    client, officer, team, ward
):
    member = MemberFactory(team=team, full_name="Nguyễn Thị Hồng")
    resident = PersonFactory(residential_group=team.residential_group, full_name="Nguyễn Văn Hòa")
    elsewhere = PersonFactory(full_name="Nguyễn Văn Hùng")  # another ward's
    training = TrainingFactory(district=ward.district, ward=ward, organiser_level="ward")
    url = reverse("teams:training_detail", args=[training.pk])

    found = client.get(url, {"q": "nguyen"})
    assert {person.full_name for person in found.context["found"]} == {
        "Nguyễn Thị Hồng",
        "Nguyễn Văn Hòa",
    }
    client.post(url, {"add": [member.person_id, resident.pk, elsewhere.pk]})
    assert set(training.attendees.all()) == {member.person, resident}

    client.post(url, {"remove": [resident.pk]})
    assert list(training.attendees.all()) == [member.person]


def test_attendance_of_a_planned_training_is_refused_with_a_message(client, officer, team, ward):
    person = PersonFactory(residential_group=team.residential_group)
    training = TrainingFactory(
        district=ward.district, ward=ward, organiser_level="ward", status="planned"
    )

    response = client.post(
        reverse("teams:training_detail", args=[training.pk]), {"add": [person.pk]}, follow=True
    )

    assert "Chỉ ghi danh sách tham dự khi buổi tập huấn đã diễn ra." in response.text
    assert not training.attendees.exists()


def test_training_of_another_ward_or_of_the_unit_is_404_to_a_ward_officer(client, officer, ward):
    other_ward = TeamFactory().residential_group.ward
    other = TrainingFactory(district=other_ward.district, ward=other_ward, organiser_level="ward")
    units = TrainingFactory(district=ward.district, organiser_level="district")

    for training in (other, units):
        url = reverse("teams:training_detail", args=[training.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"add": []}).status_code == 404


def test_unit_training_is_changed_by_its_staff_and_read_by_its_viewers(client, ward):
    units = TrainingFactory(district=ward.district, organiser_level="district")
    url = reverse("teams:training_detail", args=[units.pk])

    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=ward.district))
    assert client.get(url).context["can_record"] is True
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward.district))
    assert client.get(url).context["can_change"] is False
    assert client.post(url, {"add": []}).status_code == 403


def test_training_list_shows_planned_and_held_with_their_attendees(client, officer, team, ward):
    held = TrainingFactory(
        district=ward.district, ward=ward, organiser_level="ward", title="Đã tổ chức"
    )
    held.attendees.add(MemberFactory(team=team).person)
    TrainingFactory(
        district=ward.district,
        ward=ward,
        organiser_level="ward",
        title="Dự kiến",
        status="planned",
        date=timezone.localdate() + datetime.timedelta(days=30),
    )

    response = client.get(reverse("teams:training_list"))

    rows = [(t.title, t.status, t.attendee_count) for t in response.context["page_obj"]]
    assert rows == [("Dự kiến", "planned", 0), ("Đã tổ chức", "held", 1)]
