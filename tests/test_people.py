"""People, not rows: one person in several roles, counted once as a person and once per seat;
found twice and merged with every role and the history of both; matched by the member form
and the import rather than recorded twice; their phone and identity number shown, exported
and logged for those who manage their ward only."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from core.tables import Table
from people.models import Person, PersonMerge, Position
from teams.imports import MemberImporter
from teams.models import Member, PrestigiousPerson
from teams.resources import MemberResource
from tests.factories import (
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
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    first = TeamFactory()
    second = TeamFactory(residential_group__ward=first.residential_group.ward)
    return first, second


@pytest.fixture
def ward(teams):
    return teams[0].residential_group.ward


def sign_in(client, role, ward):
    if role == Role.WARD_OFFICER:
        user = RoleUserFactory(role=role, wards=[ward])
    else:
        user = RoleUserFactory(role=role, district=ward.district)
    client.force_login(user)
    return user


# Counting


def test_dashboards_count_a_person_in_two_teams_once_as_a_person_twice_as_seats(
    client, teams, ward
):
    first, second = teams
    lan = MemberFactory(team=first, full_name="Nguyễn Thị Lan").person
    MemberFactory(team=second, person=lan)
    MemberFactory(team=second, full_name="Trần Văn Bình")
    sign_in(client, Role.DISTRICT_STAFF, ward)

    ward_page = client.get(reverse("reports:ward_dashboard", args=[ward.code]))
    overview = client.get(reverse("reports:overview"))

    for response in (ward_page, overview):
        figures = {figure.key: figure.value for figure in response.context["figures"]}
        assert (figures["people"], figures["members"]) == (2, 3)


# Merging


def test_merge_keeps_every_role_of_both_records_and_the_history_of_both(client, teams, ward):
    first, second = teams
    kept = MemberFactory(team=first, full_name="Lê Văn Hùng", birth_year=1958).person
    removed = MemberFactory(
        team=second, full_name="Lê Văn Hùng", birth_year=1958, phone="0987 000 111"
    ).person
    Position.objects.create(person=removed, kind=Position.Kind.GROUP_HEAD, organisation="Tổ 2")
    PrestigiousPersonFactory(person=removed, residential_group=second.residential_group)
    training = TrainingFactory(district=ward.district, attendees=[removed])
    model = ExemplaryModelFactory(ward=ward)
    model.people.add(removed)
    session = SeminarSessionFactory(seminar__district=ward.district, wards=[ward])
    speech = ContributionFactory(session=session, person=removed)
    removed_id = removed.pk
    user = sign_in(client, Role.WARD_OFFICER, ward)
    url = reverse("people:merge", args=[kept.pk, removed_id])

    preview = client.get(url)
    assert preview.context["plan"].moved == 6
    assert Person.objects.filter(pk=removed_id).exists()  # a preview changes nothing

    response = client.post(url)

    assert response.status_code == 302
    assert not Person.objects.filter(pk=removed_id).exists()
    assert sorted(
        kept.memberships.values_list("team__residential_group__code", flat=True)
    ) == sorted([first.residential_group.code, second.residential_group.code])
    assert list(kept.positions.values_list("organisation", flat=True)) == ["Tổ 2"]
    assert PrestigiousPerson.objects.get().person == kept
    assert list(training.attendees.all()) == [kept]
    assert list(model.people.all()) == [kept]
    speech.refresh_from_db()
    assert speech.person == kept
    merge = PersonMerge.objects.get()
    assert (merge.kept, merge.removed_id, merge.merged_by) == (kept, removed_id, user)
    assert merge.removed["full_name"] == "Lê Văn Hùng"
    assert merge.removed["phone"] == "0987 000 111"
    # The removed record's history is kept under its old id, to its deletion; the moved
    # membership's history records the move.
    assert list(
        Person.history.filter(id=removed_id)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    ) == ["+", "-"]
    moved = Member.objects.get(team=second)
    assert [h.person_id for h in moved.history.order_by("history_date")] == [removed_id, kept.pk]


def test_merge_of_two_current_seats_in_one_team_is_refused_with_a_message(client, teams, ward):
    first, _second = teams
    kept = MemberFactory(team=first, full_name="Đỗ Văn Tư").person
    removed = MemberFactory(team=first, full_name="Đỗ Văn Tư").person
    sign_in(client, Role.WARD_OFFICER, ward)

    response = client.post(reverse("people:merge", args=[kept.pk, removed.pk]), follow=True)

    assert "Người này đang là thành viên của tổ." in response.text
    assert Person.objects.filter(pk=removed.pk).exists()


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 403), ("other_officer", 404)])
def test_merge_by_a_viewer_or_another_wards_officer_is_refused(client, teams, ward, role, status):
    first, second = teams
    kept = MemberFactory(team=first).person
    removed = MemberFactory(team=second).person
    if role == "other_officer":
        client.force_login(
            RoleUserFactory(role=Role.WARD_OFFICER, wards=[TeamFactory().residential_group.ward])
        )
    else:
        sign_in(client, role, ward)

    response = client.post(reverse("people:merge", args=[kept.pk, removed.pk]))

    assert response.status_code == status
    assert Person.objects.count() == 2


def test_duplicates_page_lists_the_same_person_and_the_likely_one(client, teams, ward):
    first, second = teams
    PersonFactory(
        residential_group=first.residential_group,
        full_name="Phạm Thị Mai",
        birth_year=1970,
        phone="0911 111 111",
    )
    PersonFactory(
        residential_group=second.residential_group,
        full_name="Pham Thi Mai",
        birth_year=1970,
        phone="0911111111",
    )
    PersonFactory(
        residential_group=second.residential_group,
        full_name="Phạm Thị Mai",
        birth_year=1970,
        phone="",
    )
    PersonFactory(
        residential_group=first.residential_group, full_name="Phạm Thị Mai", birth_year=1971
    )
    sign_in(client, Role.WARD_OFFICER, ward)

    response = client.get(reverse("people:duplicates", args=[ward.code]))

    certain = [(a.phone, b.phone, same) for a, b, same in response.context["pairs"]]
    assert certain == [
        ("0911 111 111", "0911111111", True),
        ("0911 111 111", "", False),
        ("0911111111", "", True),  # the same group
    ]


# Matching


def member_data(team, **changes):
    return {
        "full_name": "Hoàng Văn Nam",
        "gender": "male",
        "birth_year": "1965",
        "phone": "0912 000 222",
        "id_number": "",
        "team": team.pk,
        "organisation": "veterans",
        "role": "member",
        "joined_on": "",
        "left_on": "",
        **changes,
    }


def test_member_add_of_the_same_person_in_another_team_links_the_person(client, teams, ward):
    first, second = teams
    person = MemberFactory(
        team=first, full_name="Hoàng Văn Nam", birth_year=1965, phone="0912 000 222"
    ).person
    sign_in(client, Role.WARD_OFFICER, ward)

    response = client.post(reverse("teams:member_add", args=[ward.code]), member_data(second))

    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert sorted(person.memberships.values_list("team", flat=True)) == sorted(
        [first.pk, second.pk]
    )


def test_member_add_of_a_likely_duplicate_asks_then_links_or_records_another(client, teams, ward):
    first, second = teams
    person = MemberFactory(
        team=first, full_name="Hoàng Văn Nam", birth_year=1965, phone="0900 000 000"
    ).person
    sign_in(client, Role.WARD_OFFICER, ward)
    url = reverse("teams:member_add", args=[ward.code])

    asked = client.post(url, member_data(second))
    assert asked.status_code == 200
    assert list(asked.context["form"].errors) == ["person"]
    assert Person.objects.count() == 1

    client.post(url, member_data(second, person=person.pk))
    assert Person.objects.count() == 1
    assert person.memberships.count() == 2

    client.post(
        url,
        member_data(
            second, new_person="on", full_name="Hoàng Văn Nam", phone="0933 333 333", role="deputy"
        ),
    )
    assert Person.objects.count() == 2


def import_members(user, *rows):
    headers = list(rows[0])
    table = Table(headers, [(index + 2, list(row.values())) for index, row in enumerate(rows)])
    return MemberImporter(user=user).run(table, commit=True)


def member_row(team, **cells):
    group = team.residential_group
    return {
        "Mã phường": group.ward.code,
        "Mã tổ dân phố": group.code,
        "Họ và tên": "Vũ Thị Hoa",
        "Giới tính": "Nữ",
        "Năm sinh": "1972",
        "Điện thoại": "0913 456 789",
        "Đại diện tổ chức": "Chi hội Phụ nữ",
        "Vai trò": "Tổ viên",
        **cells,
    }


def test_import_links_the_same_person_creates_a_new_one_and_refuses_a_likely_duplicate(
    teams, ward
):
    first, second = teams
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    import_members(officer, member_row(first))
    assert Person.objects.count() == 1

    linked = import_members(officer, member_row(second))  # same name, year and phone
    assert (linked.new, linked.errors) == (1, [])
    assert Person.objects.count() == 1

    refused = import_members(
        officer,
        member_row(
            second,
            **{
                "Điện thoại": "0999 999 999",
                "Mã tổ dân phố": second.residential_group.code,
                "Vai trò": "Tổ phó",
            },
        ),
    )
    # Same name and year, another phone, and the group of a seat but not of the person.
    assert [(e.row, e.column) for e in refused.errors] == [(2, "Họ và tên")]
    assert "Có thể trùng với Vũ Thị Hoa (1972," in refused.errors[0].message
    assert Person.objects.count() == 1


# Personal data


def test_viewer_sees_and_exports_no_phone_and_no_identity_number(client, teams, ward):
    member = MemberFactory(team=teams[0], phone="0912 345 678")
    member.person.id_number = "001070012345"
    member.person.save()
    sign_in(client, Role.VIEWER, ward)

    person_page = client.get(reverse("people:person_detail", args=[member.person_id]))
    listed = client.get(reverse("teams:member_list", args=[ward.code]))
    team_page = client.get(reverse("teams:team_detail", args=[teams[0].pk]))
    exported = client.get(reverse("teams:member_list", args=[ward.code]), {"format": "xlsx"})

    for page in (person_page, listed, team_page):
        assert "0912 345 678" not in page.text and "001070012345" not in page.text
    assert exported.status_code == 403  # a viewer exports nothing
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA).exists()


def test_officer_sees_and_exports_them_and_the_log_says_so(client, teams, ward):
    ward.name = "Ngọc Thụy"
    ward.save()
    member = MemberFactory(team=teams[0], phone="0912 345 678")
    officer = sign_in(client, Role.WARD_OFFICER, ward)

    person_page = client.get(reverse("people:person_detail", args=[member.person_id]))
    exported = client.get(reverse("teams:member_list", args=[ward.code]), {"format": "xlsx"})

    assert "0912 345 678" in person_page.text
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert "Điện thoại" in [cell.value for cell in sheet[1]]
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA, user=officer)
    assert sorted(events.values_list("detail", flat=True)) == sorted(
        [f"people.person {member.person_id}", "thanh-vien-ngoc-thuy.xlsx"]
    )


def test_admin_person_page_of_a_viewer_has_no_phone_field(client, teams, ward):
    person = MemberFactory(team=teams[0], phone="0912 345 678").person
    sign_in(client, Role.VIEWER, ward)

    response = client.get(reverse("admin:people_person_change", args=[person.pk]))

    assert response.status_code == 200
    assert "0912 345 678" not in response.text


def test_person_page_lists_every_role(client, teams, ward):
    first, _second = teams
    person = MemberFactory(team=first, full_name="Ngô Văn Sáu", role="leader").person
    Position.objects.create(
        person=person,
        kind=Position.Kind.BRANCH_HEAD,
        organisation="Chi hội Cựu chiến binh tổ 1",
        started_on=datetime.date(2020, 1, 1),
    )
    PrestigiousPersonFactory(
        person=person, residential_group=first.residential_group, standing="Trưởng họ Ngô"
    )
    TrainingFactory(district=ward.district, attendees=[person], title="Tập huấn kỹ năng dân vận")
    sign_in(client, Role.VIEWER, ward)

    response = client.get(reverse("people:person_detail", args=[person.pk]))

    for text in (
        "Tổ trưởng",
        "Chi hội Cựu chiến binh tổ 1",
        "Trưởng họ Ngô",
        "Tập huấn kỹ năng dân vận",
    ):
        assert text in response.text


def test_member_export_without_the_right_leaves_personal_columns_out(teams):
    MemberFactory(team=teams[0], phone="0912 345 678")

    with_right = MemberResource(personal=True).export()
    without = MemberResource(personal=False).export()

    assert "Điện thoại" in with_right.headers and "Số định danh" in with_right.headers
    assert without.headers == [
        "Mã phường",
        "Mã tổ dân phố",
        "Tên tổ dân phố",
        "Họ và tên",
        "Giới tính",
        "Năm sinh",
        "Đảng viên",
        "Đại diện tổ chức",
        "Vai trò",
        "Ngày vào",
        "Ngày ra",
    ]
    assert "0912 345 678" not in str(without.dict)


# What a review found


def test_officer_sees_no_phone_of_a_seat_holder_living_in_another_ward_nor_edits_them(
    client, teams, ward
):
    stranger = PersonFactory(full_name="Cao Văn Lạ", phone="0977 000 111")  # another ward
    member = MemberFactory(team=teams[0], person=stranger)
    sign_in(client, Role.WARD_OFFICER, ward)

    listed = client.get(reverse("teams:member_list", args=[ward.code]))
    team_page = client.get(reverse("teams:team_detail", args=[teams[0].pk]))
    exported = client.get(reverse("teams:member_list", args=[ward.code]), {"format": "xlsx"})
    edit = reverse("teams:member_edit", args=[member.pk])
    form = client.get(edit).context["form"]
    client.post(edit, {**member_data(teams[0], full_name="Tên khác"), "role": "deputy"})

    for page in (listed, team_page):
        assert "0977 000 111" not in page.text and "Cao Văn Lạ" in page.text
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert "0977 000 111" not in [cell.value for row in sheet.iter_rows() for cell in row]
    assert "phone" not in form.fields and form.fields["full_name"].disabled
    stranger.refresh_from_db()
    member.refresh_from_db()
    assert (stranger.full_name, stranger.phone, member.role) == (
        "Cao Văn Lạ",
        "0977 000 111",
        "deputy",
    )


def test_merge_gives_the_kept_record_the_identity_number_of_the_removed_one(client, teams, ward):
    first, second = teams
    kept = MemberFactory(team=first, full_name="Mai Văn Tâm", birth_year=1960).person
    removed = PersonFactory(
        residential_group=second.residential_group,
        full_name="Mai Văn Tâm",
        birth_year=1960,
        id_number="001060012345",
        birth_date=datetime.date(1961, 2, 3),  # not in the kept record's year: not taken
    )
    sign_in(client, Role.WARD_OFFICER, ward)

    response = client.post(reverse("people:merge", args=[kept.pk, removed.pk]))

    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.id_number, kept.birth_date) == ("001060012345", None)


def test_member_add_of_the_same_name_without_a_year_asks_rather_than_links(client, teams, ward):
    first, second = teams
    MemberFactory(team=first, full_name="Hồ Văn Tư", birth_year=None, phone="")
    sign_in(client, Role.WARD_OFFICER, ward)

    asked = client.post(
        reverse("teams:member_add", args=[ward.code]),
        member_data(second, full_name="Hồ Văn Tư", birth_year="", phone=""),
    )

    assert list(asked.context["form"].errors) == ["person"]


def test_import_of_rows_without_a_year_twice_changes_nothing(teams, ward):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward])
    row = member_row(teams[0], **{"Năm sinh": "", "Điện thoại": ""})

    first = import_members(officer, row, member_row(teams[1], **{"Họ và tên": "Lý Thị Ba"}))
    again = import_members(officer, row)

    assert (first.new, again.unchanged, again.errors) == (2, 1, [])
    assert Person.objects.count() == 2


def test_attendance_with_tampered_ids_or_another_wards_people_adds_nothing(client, teams, ward):
    training = TrainingFactory(district=ward.district, ward=ward, organiser_level="ward")
    elsewhere = MemberFactory(team=TeamFactory(residential_group__ward__district=ward.district))
    sign_in(client, Role.DISTRICT_STAFF, ward)
    url = reverse("teams:training_detail", args=[training.pk])

    response = client.post(url, {"add": ["abc", "1 OR 1=1", str(elsewhere.person_id)]})

    assert response.status_code == 302
    assert not training.attendees.exists()


def test_person_page_lists_no_seat_of_a_ward_the_reader_does_not_see(client, teams, ward):
    person = MemberFactory(team=teams[0], full_name="Kiều Văn Hai").person
    other_team = TeamFactory(residential_group__name="Tổ dân phố Xa Lạ")
    MemberFactory(team=other_team, person=person)
    sign_in(client, Role.WARD_OFFICER, ward)

    response = client.get(reverse("people:person_detail", args=[person.pk]))

    assert "Xa Lạ" not in response.text
    assert len(response.context["memberships"]) == 1


def test_officer_records_a_post_and_a_prestigious_standing_from_the_persons_page(
    client, teams, ward
):
    person = MemberFactory(team=teams[0], full_name="Đàm Thị Yến").person
    sign_in(client, Role.WARD_OFFICER, ward)

    client.post(
        reverse("people:position_add", args=[person.pk]),
        {"kind": "branch_head", "organisation": "Chi hội Phụ nữ tổ 1", "started_on": "01/01/2024"},
    )
    client.post(
        reverse("teams:prestige_add", args=[person.pk]),
        {"residential_group": teams[1].residential_group.pk, "standing": "Giáo viên nghỉ hưu"},
    )

    assert list(person.positions.values_list("kind", "organisation", "started_on")) == [
        ("branch_head", "Chi hội Phụ nữ tổ 1", datetime.date(2024, 1, 1))
    ]
    assert list(person.prestigious_roles.values_list("residential_group", "standing")) == [
        (teams[1].residential_group.pk, "Giáo viên nghỉ hưu")
    ]


@pytest.mark.parametrize("name", ["people:position_add", "teams:prestige_add"])
def test_roles_of_a_person_are_refused_to_a_viewer_and_hidden_from_another_ward(
    client, teams, ward, name
):
    person = MemberFactory(team=teams[0]).person
    url = reverse(name, args=[person.pk])
    sign_in(client, Role.VIEWER, ward)
    assert client.post(url, {"kind": "group_head", "standing": "x"}).status_code == 403
    client.force_login(
        RoleUserFactory(role=Role.WARD_OFFICER, wards=[TeamFactory().residential_group.ward])
    )
    assert client.get(url).status_code == 404
    assert not person.positions.exists() and not person.prestigious_roles.exists()


# Speakers and the people of a “Dân vận khéo” model


def test_person_page_lists_their_speeches_and_models_and_the_officer_ticks_a_model(
    client, teams, ward
):
    person = MemberFactory(team=teams[0], full_name="Ngô Thị Yến").person
    session = SeminarSessionFactory(
        seminar__district=ward.district,
        seminar__title="Tọa đàm tổ dân vận",
        wards=[ward],
        date=datetime.date(2026, 10, 9),
    )
    ContributionFactory(session=session, person=person)
    this_year = datetime.date.today().year
    carried = ExemplaryModelFactory(ward=ward, name="Ngõ phố văn minh", year=this_year)
    other = ExemplaryModelFactory(ward=ward, name="Chợ văn minh", year=this_year)
    elsewhere = ExemplaryModelFactory(name="Mô hình phường khác", year=this_year)
    sign_in(client, Role.WARD_OFFICER, ward)
    url = reverse("awards:person_models", args=[person.pk])

    offered = client.get(url)
    tampered = client.post(url, {"models": [str(elsewhere.pk)]})
    ticked = client.post(url, {"models": [str(carried.pk)]})
    page = client.get(reverse("people:person_detail", args=[person.pk]))
    model_page = client.get(reverse("awards:model_detail", args=[carried.pk]))

    assert [choice[1] for choice in offered.context["form"].fields["models"].choices] == [
        f"Chợ văn minh ({this_year})",
        f"Ngõ phố văn minh ({this_year})",
    ]
    assert tampered.status_code == 200 and tampered.context["form"].errors["models"]
    assert ticked.status_code == 302
    assert list(person.exemplary_models.all()) == [carried]
    assert not other.people.exists() and not elsewhere.people.exists()
    text = " ".join(strip_tags(page.text).split())
    assert "Phát biểu · Tọa đàm tổ dân vận · 09/10/2026" in text
    assert f"Tham gia mô hình “Dân vận khéo” Ngõ phố văn minh · {this_year} · Đã đăng ký" in text
    assert "Ngô Thị Yến" in model_page.text


def test_people_list_filters_speakers_and_the_people_of_models(client, teams, ward):
    speaker = MemberFactory(team=teams[0], full_name="An Văn Nói").person
    carrier = MemberFactory(team=teams[0], full_name="Bùi Thị Làm").person
    MemberFactory(team=teams[0], full_name="Cao Văn Khác")
    session = SeminarSessionFactory(seminar__district=ward.district, wards=[ward])
    ContributionFactory(session=session, person=speaker)
    ExemplaryModelFactory(ward=ward).people.add(carrier)
    sign_in(client, Role.VIEWER, ward)
    url = reverse("people:person_list", args=[ward.code])

    speakers = client.get(url, {"role": "speaker"})
    carriers = client.get(url, {"role": "model"})

    assert [p.full_name for p in speakers.context["page_obj"]] == ["An Văn Nói"]
    assert [p.full_name for p in carriers.context["page_obj"]] == ["Bùi Thị Làm"]
