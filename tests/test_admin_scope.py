"""The admin's own guards beyond list scoping: read-only history, ward-level writes of
officers, consistent role links, Vietnamese import errors, and the security log's scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tables import Table
from meetings.models import Seminar
from teams.imports import MemberImporter
from teams.models import Member, Training
from tests.factories import (
    AttendeeFactory,
    ContributionFactory,
    DirectivePointFactory,
    DistrictFactory,
    MemberFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db


def form_data(response):
    """The values an admin change form would post back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_history_version_post_viewer_is_refused_and_changes_nothing(client):
    member = MemberFactory(full_name="Phạm Văn E")
    member.full_name = "Phạm Văn Ê"
    member.save()
    viewer = RoleUserFactory(
        role=Role.VIEWER, district=member.team.residential_group.ward.district
    )
    client.force_login(viewer)
    first = member.history.earliest()
    url = reverse("admin:teams_member_simple_history", args=[member.pk, first.history_id])

    assert client.get(url).status_code == 200
    response = client.post(url, {"full_name": "Phạm Văn E", "_change_history": "1"})

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Phạm Văn Ê"
    assert SecurityEvent.objects.filter(kind="permission_denied", user=viewer).exists()


def test_training_add_ward_officer_must_name_their_ward(client):
    team = TeamFactory()
    ward = team.residential_group.ward
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    client.force_login(officer)
    data = {
        "district": ward.district_id,
        "status": Training.Status.HELD,
        "date": "15/03/2025",
        "title": "Tập huấn kỹ năng vận động quần chúng",
        "organiser_level": Training.Level.CITY,
    }

    refused = client.post(reverse("admin:teams_training_add"), data)
    accepted = client.post(
        reverse("admin:teams_training_add"),
        {**data, "organiser_level": Training.Level.WARD, "ward": ward.pk},
    )

    assert refused.status_code == 200
    assert set(refused.context["adminform"].form.errors) == {"ward", "organiser_level"}
    assert accepted.status_code == 302
    assert list(Training.objects.values_list("ward", "organiser_level")) == [(ward.pk, "ward")]


def test_user_change_ward_officer_given_a_managing_unit_is_refused(admin_client):
    ward = WardFactory()
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    url = reverse("admin:wards_user_change", args=[officer.pk])
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "district": ward.district_id})

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.district is None


def test_user_change_district_staff_without_a_managing_unit_is_refused(admin_client):
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=DistrictFactory())
    url = reverse("admin:wards_user_change", args=[staff.pk])
    data = form_data(admin_client.get(url))
    del data["district"]

    response = admin_client.post(url, data)

    assert "district" in response.context["adminform"].form.errors


def test_user_role_change_is_kept_in_history(admin_client):
    ward = WardFactory()
    user = RoleUserFactory(wards=[ward])
    url = reverse("admin:wards_user_change", args=[user.pk])
    data = form_data(admin_client.get(url))
    officer_group = user.groups.model.objects.get(name=Role.WARD_OFFICER.value)

    admin_client.post(url, {**data, "groups": [officer_group.pk]})

    latest = user.history.latest()
    assert [row.group_id for row in latest.groups.all()] == [officer_group.pk]


def test_member_import_matching_a_person_recorded_twice_gives_a_vietnamese_row_error():
    team = TeamFactory()
    MemberFactory.create_batch(2, team=team, full_name="Đỗ Văn G", birth_year=None)
    group = team.residential_group
    cells = {
        "Mã phường": group.ward.code,
        "Mã tổ dân phố": group.code,
        "Họ và tên": "Đỗ Văn G",
        "Giới tính": "Nam",
        "Năm sinh": "",
        "Đảng viên": "Không",
        "Đại diện tổ chức": "Khác",
        "Vai trò": "Tổ viên",
    }

    result = MemberImporter().run(Table(list(cells), [(2, list(cells.values()))]), commit=True)

    [error] = result.errors
    assert error.message.startswith("Có nhiều người đã có hồ sơ khớp với dòng này: Đỗ Văn G")
    assert Member.objects.filter(person__full_name="Đỗ Văn G").count() == 2


def test_security_log_administrator_sees_their_units_events_only(client):
    ward = WardFactory()
    administrator = RoleUserFactory(role=Role.ADMINISTRATOR, district=ward.district)
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    outsider = RoleUserFactory(role=Role.WARD_OFFICER, wards=[WardFactory()])
    for user in (officer, outsider):
        client.post(reverse("login"), {"username": user.username, "password": "sai-mat-khau"})
    client.force_login(administrator)

    response = client.get(reverse("admin:wards_securityevent_changelist"))

    shown = {event.username for event in response.context["cl"].result_list}
    assert officer.username in shown
    assert outsider.username not in shown
    other = SecurityEvent.objects.get(username=outsider.username)
    assert (
        client.get(reverse("admin:wards_securityevent_change", args=[other.pk])).status_code == 404
    )


def seminar_page_queries(client, seminar):
    url = reverse("admin:meetings_seminar_change", args=[seminar.pk])
    client.get(url)  # fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_seminar_rows(seminar, ward):
    session = SeminarSessionFactory(seminar=seminar, wards=[ward])
    speaker = AttendeeFactory(seminar=seminar, session=session)
    DirectivePointFactory(seminar=seminar, session=session, speaker=speaker)
    ContributionFactory(session=session, ward=ward)


def test_seminar_read_only_page_viewer_queries_do_not_grow_with_rows(client):
    ward = WardFactory()
    seminar = SeminarFactory(district=ward.district)
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=ward.district))
    add_seminar_rows(seminar, ward)
    few = seminar_page_queries(client, seminar)

    for _ in range(5):
        add_seminar_rows(seminar, ward)

    assert seminar_page_queries(client, seminar) == few
    assert Seminar.objects.get().sessions.count() == 6
