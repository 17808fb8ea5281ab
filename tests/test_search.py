"""Accent-free search and the Vietnamese order of names, through stored derived columns that
every write path keeps up to date."""

import pytest
import tablib

from core.text import search_filter
from teams.models import Activity, CitizenFeedback, Member
from teams.resources import MemberResource
from tests.factories import ActivityFactory, CitizenFeedbackFactory, MemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


def found(model, query):
    return set(model.objects.filter(search_filter(query)).values_list("pk", flat=True))


def test_search_member_without_accents_finds_the_accented_name():
    an = MemberFactory(full_name="Nguyễn Văn An")
    duc = MemberFactory(full_name="Đặng Đức Dũng")
    MemberFactory(full_name="Trần Thị Bình")

    assert found(Member, "nguyen van") == {an.pk}
    assert found(Member, "NGUYỄN an") == {an.pk}
    assert found(Member, "dang duc") == {duc.pk}
    assert found(Member, "đức") == {duc.pk}
    assert found(Member, "van an dung") == set()


def test_search_matches_the_start_of_words_only():
    an = MemberFactory(full_name="Lê Văn An")
    lan = MemberFactory(full_name="Phạm Thị Lan")

    assert found(Member, "an") == {an.pk}
    assert found(Member, "la") == {lan.pk}


def test_search_member_by_phone_digits():
    member = MemberFactory(full_name="Hồ Văn C", phone="0912 345 678")

    assert found(Member, "0912") == {member.pk}


def test_search_activity_and_feedback_by_words_of_their_text():
    activity = ActivityFactory(title="Ra quân vệ sinh môi trường ở Thượng Thanh")
    feedback = CitizenFeedbackFactory(summary="Đề nghị sửa đèn chiếu sáng ngõ")

    assert found(Activity, "thuong thanh") == {activity.pk}
    assert found(CitizenFeedback, "den chieu sang") == {feedback.pk}


def test_search_text_follows_an_edit_even_with_update_fields():
    member = MemberFactory(full_name="Vũ Văn D")

    member.full_name = "Vũ Văn Đông"
    member.save(update_fields=["full_name"])

    assert found(Member, "dong") == {member.pk}
    assert Member.objects.get(pk=member.pk).sort_name == member.sort_name


def test_search_text_is_filled_by_bulk_create():
    team = TeamFactory()

    Member.objects.bulk_create(
        [Member(team=team, full_name="Ngô Thị Ế", gender="female", organisation="women")]
    )

    assert found(Member, "ngo thi e") == set(Member.objects.values_list("pk", flat=True))
    assert Member.objects.get().sort_name != ""


def test_search_text_is_filled_by_an_import():
    team = TeamFactory()
    group = team.residential_group
    data = tablib.Dataset(
        [group.ward.code, group.code, "Đỗ Thị Hương", "female", "1975", "Có", "women", "member"],
        headers=[
            "Mã phường",
            "Mã tổ dân phố",
            "Họ và tên",
            "Giới tính",
            "Năm sinh",
            "Đảng viên",
            "Đại diện tổ chức",
            "Vai trò",
        ],
    )

    result = MemberResource().import_data(data, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert found(Member, "do thi huong") == set(Member.objects.values_list("pk", flat=True))


def test_members_order_by_sort_name_the_vietnamese_way():
    team = TeamFactory()
    for name in ["Trần Văn Đạt", "Lê Thị Ánh", "Phạm Văn Dũng", "Nguyễn Văn Anh", "Vũ Thị Ăn"]:
        MemberFactory(team=team, full_name=name)

    names = list(Member.objects.order_by("sort_name").values_list("full_name", flat=True))

    assert names == ["Nguyễn Văn Anh", "Lê Thị Ánh", "Vũ Thị Ăn", "Phạm Văn Dũng", "Trần Văn Đạt"]


def test_history_does_not_keep_the_derived_columns():
    member = MemberFactory(full_name="Bùi Văn E")

    fields = {field.name for field in member.history.model._meta.get_fields()}

    assert "full_name" in fields
    assert not {"search_text", "sort_name"} & fields
