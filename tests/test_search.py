"""Accent-free search and the Vietnamese order of names, through stored derived columns that
every write path keeps up to date."""

import pytest

from core.tables import Table
from core.text import search_filter
from people.models import Person
from teams.imports import MemberImporter
from teams.models import Activity, CitizenFeedback
from tests.factories import (
    ActivityFactory,
    CitizenFeedbackFactory,
    PersonFactory,
    ResidentialGroupFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def found(model, query):
    return set(model.objects.filter(search_filter(query)).values_list("pk", flat=True))


def test_search_person_without_accents_finds_the_accented_name():
    an = PersonFactory(full_name="Nguyễn Văn An")
    duc = PersonFactory(full_name="Đặng Đức Dũng")
    PersonFactory(full_name="Trần Thị Bình")

    assert found(Person, "nguyen van") == {an.pk}
    assert found(Person, "NGUYỄN an") == {an.pk}
    assert found(Person, "dang duc") == {duc.pk}
    assert found(Person, "đức") == {duc.pk}
    assert found(Person, "van an dung") == set()


def test_search_matches_the_start_of_words_only():
    an = PersonFactory(full_name="Lê Văn An")
    lan = PersonFactory(full_name="Phạm Thị Lan")

    assert found(Person, "an") == {an.pk}
    assert found(Person, "la") == {lan.pk}


def test_search_person_by_phone_finds_no_one():
    """A phone is personal data: typing one finds nobody."""
    PersonFactory(full_name="Hồ Văn C", phone="0912 345 678")

    assert found(Person, "0912") == set()


def test_search_activity_and_feedback_by_words_of_their_text():
    activity = ActivityFactory(title="Ra quân vệ sinh môi trường ở Thượng Thanh")
    feedback = CitizenFeedbackFactory(summary="Đề nghị sửa đèn chiếu sáng ngõ")

    assert found(Activity, "thuong thanh") == {activity.pk}
    assert found(CitizenFeedback, "den chieu sang") == {feedback.pk}


def test_search_text_follows_an_edit_even_with_update_fields():
    person = PersonFactory(full_name="Vũ Văn D")

    person.full_name = "Vũ Văn Đông"
    person.save(update_fields=["full_name"])

    assert found(Person, "dong") == {person.pk}
    assert Person.objects.get(pk=person.pk).sort_name == person.sort_name


def test_search_text_is_filled_by_bulk_create():
    group = ResidentialGroupFactory()

    Person.objects.bulk_create([Person(residential_group=group, full_name="Ngô Thị Ế")])

    assert found(Person, "ngo thi e") == set(Person.objects.values_list("pk", flat=True))
    assert Person.objects.get().sort_name != ""


def test_search_text_is_filled_by_an_import():
    team = TeamFactory()
    group = team.residential_group
    cells = {
        "Mã phường": group.ward.code,
        "Mã tổ dân phố": group.code,
        "Họ và tên": "Đỗ Thị Hương",
        "Giới tính": "Nữ",
        "Năm sinh": "1975",
        "Đảng viên": "Có",
        "Đại diện tổ chức": "Chi hội Phụ nữ",
        "Vai trò": "Tổ viên",
    }

    result = MemberImporter().run(Table(list(cells), [(2, list(cells.values()))]), commit=True)

    assert result.errors == []
    assert found(Person, "do thi huong") == set(Person.objects.values_list("pk", flat=True))


def test_people_order_by_sort_name_the_vietnamese_way():
    for name in ["Trần Văn Đạt", "Lê Thị Ánh", "Phạm Văn Dũng", "Nguyễn Văn Anh", "Vũ Thị Ăn"]:
        PersonFactory(full_name=name)

    names = list(Person.objects.order_by("sort_name").values_list("full_name", flat=True))

    assert names == ["Nguyễn Văn Anh", "Lê Thị Ánh", "Vũ Thị Ăn", "Phạm Văn Dũng", "Trần Văn Đạt"]


def test_history_keeps_neither_the_derived_columns_nor_personal_data():
    person = PersonFactory(full_name="Bùi Văn E")

    fields = {field.name for field in person.history.model._meta.get_fields()}

    assert "full_name" in fields
    assert not {"search_text", "sort_name", "name_key", "phone", "id_number"} & fields
