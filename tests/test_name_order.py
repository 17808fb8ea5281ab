"""Ward names in Vietnamese order on every list that shows them, on SQLite as on PostgreSQL:
Đức Giang after Dương Xá, Phúc Đồng before Phúc Lợi, Thạch Bàn before Thượng Thanh (one
rule, `core.text.name_sort_key`, kept in `Ward.sort_name`)."""

import pytest
from django.urls import reverse

from tests.factories import (
    DirectiveTaskFactory,
    DistrictFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TaskAssignmentFactory,
    WardFactory,
)
from wards.models import Ward
from wards.roles import Role

pytestmark = pytest.mark.django_db

# As a byte-wise sort (the database's) lists them.
NAMES = ["Dương Xá", "Phúc Lợi", "Phúc Đồng", "Thượng Thanh", "Thạch Bàn", "Đức Giang"]
VIETNAMESE = ["Dương Xá", "Đức Giang", "Phúc Đồng", "Phúc Lợi", "Thạch Bàn", "Thượng Thanh"]


@pytest.fixture
def wards():
    district = DistrictFactory(name="Long Biên")
    return [WardFactory(district=district, name=name) for name in NAMES]


@pytest.fixture
def staff_client(client, wards):
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=wards[0].district))
    return client


def test_wards_are_stored_with_their_vietnamese_order(wards):
    assert list(Ward.objects.values_list("name", flat=True)) == VIETNAMESE


def test_a_ward_renamed_takes_its_new_place(wards):
    ward = Ward.objects.get(name="Dương Xá")
    ward.name = "Việt Hưng"
    ward.save()

    assert list(Ward.objects.values_list("name", flat=True)) == [*VIETNAMESE[1:], "Việt Hưng"]


def test_overview_seminar_page_and_progress_matrix_list_wards_in_vietnamese_order(
    staff_client, wards
):
    seminar = SeminarFactory(district=wards[0].district)
    SeminarSessionFactory(seminar=seminar, wards=wards)
    task = DirectiveTaskFactory(seminar=seminar)
    for ward in wards:
        TaskAssignmentFactory(task=task, ward=ward)

    overview = staff_client.get(reverse("reports:overview"))
    seminar_page = staff_client.get(reverse("meetings:seminar_detail", args=[seminar.pk]))
    matrix = staff_client.get(reverse("reports:overview"), {"directive": task.directive_id})

    assert [row[0].name for row in overview.context["ward_rows"]] == VIETNAMESE
    assert [w.name for w in seminar_page.context["facts"].sessions[0].wards] == VIETNAMESE
    assert [row.ward.name for row in matrix.context["matrix"]] == VIETNAMESE
