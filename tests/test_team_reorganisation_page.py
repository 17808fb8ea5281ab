"""The page of kiện toàn tổ dân vận (`teams:team_reorganise`): after Ngọc Lâm's groups 01
and 02 merged into group 01 of the new ward Bồ Đề (10001) on 1/7/2025, its officer sees the
old teams' members with their roles in the new team, chooses the leader and makes the team;
everyone else is refused, and nothing is written but by the one apply."""

import datetime
import re

import pytest
from django.urls import reverse

from people.models import Person
from teams.models import Member, Team
from tests.factories import (
    DistrictFactory,
    MemberFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import Reorganisation, ResidentialGroup, Ward
from wards.reorganisations import Move, NewGroup, NewWard, Plan, apply
from wards.roles import Role

pytestmark = pytest.mark.django_db

REFORM = datetime.date(2025, 7, 1)


MEMBERS = [  # Ngọc Lâm's: (group, name, role)
    ("01", "Lê Văn An", Member.Role.LEADER),
    ("01", "Phạm Thị Bình", Member.Role.MEMBER),
    ("02", "Trần Thị Cúc", Member.Role.LEADER),
    ("02", "Đỗ Văn Dũng", Member.Role.DEPUTY),
]


def reform(members=MEMBERS, extra_members=0):
    """Quận Long Biên's Ngọc Lâm (groups 01, 02, each with a team of `members`) and Bồ Đề
    (group 01) become the city's ward Bồ Đề (10001): Ngọc Lâm's two groups merge into its
    group 01. `extra_members` more members join Ngọc Lâm 02's team."""
    district = DistrictFactory(code="004", name="Long Biên")
    ngoc_lam = WardFactory(district=district, code="00133", name="Ngọc Lâm")
    bo_de = WardFactory(district=district, code="00139", name="Bồ Đề")
    teams = {}
    for ward, code in ((ngoc_lam, "01"), (ngoc_lam, "02"), (bo_de, "01")):
        group = ResidentialGroupFactory(ward=ward, code=code, name=f"Tổ {code} {ward.name}")
        teams[ward.code, code] = TeamFactory(residential_group=group)
    for code, name, role in members:
        MemberFactory(team=teams["00133", code], full_name=name, role=role)
    for number in range(extra_members):
        MemberFactory(team=teams["00133", "02"], full_name=f"Vũ Văn {number}")
    # One who left before the reform is not carried.
    MemberFactory(
        team=teams["00133", "01"], full_name="Hoàng Văn Cũ", left_on=datetime.date(2020, 1, 1)
    )
    city = DistrictFactory(code="01", name="Hà Nội", kind="city")
    reorganisation = Reorganisation.objects.create(
        kind=Reorganisation.Kind.RESOLUTION,
        number="1656/NQ-UBTVQH15",
        signed_on=datetime.date(2025, 6, 16),
        issuer="Ủy ban Thường vụ Quốc hội",
        title="Sắp xếp các đơn vị hành chính cấp xã của thành phố Hà Nội năm 2025",
        effective_on=REFORM,
    )
    plan = Plan(
        wards=[NewWard("10001", "Bồ Đề", city)],
        groups=[
            NewGroup("10001", "01", "Tổ dân phố số 1"),
            NewGroup("10001", "02", "Tổ dân phố số 2"),
        ],
        moves=[
            Move("00133", "01", "10001", "01"),
            Move("00133", "02", "10001", "01"),
            Move("00139", "01", "10001", "02"),
        ],
        ends=["00133", "00139"],
        ended_districts=["004"],
    )
    apply(reorganisation, plan, user=None)
    return city


@pytest.fixture
def city():
    return reform()


def new_group():
    return ResidentialGroup.objects.get(ward__code="10001", code="01")


def page_url(group=None):
    return reverse("teams:team_reorganise", args=[(group or new_group()).pk])


def member_id(full_name):
    return Member.objects.get(person__full_name=full_name, left_on__isnull=True).pk


@pytest.fixture
def officer_client(client, city):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[Ward.objects.get(code="10001")])
    client.force_login(officer)
    return client


def rows_written():
    """What a write would change: the teams, and each membership with its end."""
    return (
        Team.objects.count(),
        list(Member.objects.order_by("pk").values_list("pk", "team", "role", "left_on")),
    )


# Rows of the preview: name, old team, role in the old team, role in the new team, as the
# page prints them (Vietnamese).
DEFAULT_ROWS = [
    ("Lê Văn An", "Tổ 01 Ngọc Lâm", "Tổ trưởng", "Tổ trưởng"),
    ("Phạm Thị Bình", "Tổ 01 Ngọc Lâm", "Tổ viên", "Tổ viên"),
    ("Trần Thị Cúc", "Tổ 02 Ngọc Lâm", "Tổ trưởng", "Tổ viên"),
    ("Đỗ Văn Dũng", "Tổ 02 Ngọc Lâm", "Tổ phó", "Tổ phó"),
]


def preview_rows(response):
    return [
        (member.person.full_name, old_group.name, member.get_role_display(), str(role))
        for member, old_group, role in response.context["rows"]
    ]


def test_preview_officer_of_the_new_ward_sees_the_members_and_their_new_roles(officer_client):
    before = rows_written()

    response = officer_client.get(page_url())

    assert response.status_code == 200
    assert preview_rows(response) == DEFAULT_ROWS
    html = response.text
    for name, old_group, _old_role, new_role in DEFAULT_ROWS:
        assert f'<th scope="row" data-label="Họ và tên">{name}</th>' in html
        assert old_group in html
        assert f"<strong>{new_role}</strong>" in html
    assert "Hoàng Văn Cũ" not in html  # left in 2020: not carried
    assert "30/06/2025" in html and "01/07/2025" in html
    assert "Ngọc Lâm" in html  # the old teams' ward
    # The leader chosen by default is selected in the form.
    assert f'<option value="{member_id("Lê Văn An")}" selected>' in html
    # The Content-Security-Policy allows no inline script or event handler.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert rows_written() == before


def test_preview_officer_choosing_another_leader_changes_the_preview_and_writes_nothing(
    officer_client,
):
    before = rows_written()

    response = officer_client.post(
        page_url(), {"leader": member_id("Trần Thị Cúc"), "action": "preview"}
    )

    assert response.status_code == 200
    assert preview_rows(response) == [
        ("Lê Văn An", "Tổ 01 Ngọc Lâm", "Tổ trưởng", "Tổ viên"),
        ("Phạm Thị Bình", "Tổ 01 Ngọc Lâm", "Tổ viên", "Tổ viên"),
        ("Trần Thị Cúc", "Tổ 02 Ngọc Lâm", "Tổ trưởng", "Tổ trưởng"),
        ("Đỗ Văn Dũng", "Tổ 02 Ngọc Lâm", "Tổ phó", "Tổ phó"),
    ]
    assert "Tổ trưởng: <strong>Trần Thị Cúc</strong>" in response.text
    assert rows_written() == before
    # Teams, members, memberships ended: the three old teams, their five members, one of
    # whom left in 2020.
    assert (
        Team.objects.count(),
        Member.objects.count(),
        Member.objects.filter(left_on__isnull=False).count(),
    ) == (3, 5, 1)


def test_apply_officer_makes_one_team_and_closes_the_old_memberships(officer_client):
    response = officer_client.post(
        page_url(), {"leader": member_id("Đỗ Văn Dũng"), "action": "apply"}
    )

    team = Team.objects.get(residential_group=new_group())
    assert response.status_code == 302
    assert response.url == reverse("teams:team_detail", args=[team.pk])
    assert team.founded_on == datetime.date(2025, 7, 1)
    assert sorted(
        team.members.values_list("person__full_name", "role", "joined_on", "left_on")
    ) == [
        ("Lê Văn An", "member", datetime.date(2025, 7, 1), None),
        ("Phạm Thị Bình", "member", datetime.date(2025, 7, 1), None),
        ("Trần Thị Cúc", "member", datetime.date(2025, 7, 1), None),
        ("Đỗ Văn Dũng", "leader", datetime.date(2025, 7, 1), None),
    ]
    # The old memberships end the day before the group began; none is overwritten.
    old = Member.objects.filter(team__residential_group__ward__code="00133")
    assert sorted(old.values_list("person__full_name", "role", "left_on")) == [
        ("Hoàng Văn Cũ", "member", datetime.date(2020, 1, 1)),
        ("Lê Văn An", "leader", datetime.date(2025, 6, 30)),
        ("Phạm Thị Bình", "member", datetime.date(2025, 6, 30)),
        ("Trần Thị Cúc", "leader", datetime.date(2025, 6, 30)),
        ("Đỗ Văn Dũng", "deputy", datetime.date(2025, 6, 30)),
    ]
    team_page = officer_client.get(response.url)
    assert "Đã lập tổ dân vận của Tổ dân phố số 1: chuyển sang 4 thành viên." in team_page.text
    # The same people, living in the new group now (the new ward's to manage); the one who
    # had left stays where they were.
    assert sorted(
        Person.objects.filter(residential_group=new_group()).values_list("full_name", flat=True)
    ) == ["Lê Văn An", "Phạm Thị Bình", "Trần Thị Cúc", "Đỗ Văn Dũng"]
    assert Person.objects.get(full_name="Hoàng Văn Cũ").residential_group.ward.code == "00133"


def test_apply_officer_submitting_twice_is_refused_the_second_time_and_writes_nothing(
    officer_client,
):
    data = {"leader": member_id("Lê Văn An"), "action": "apply"}
    assert officer_client.post(page_url(), data).status_code == 302
    officer_client.get(reverse("reports:ward_home", args=["10001"]))  # the success message read
    after_first = rows_written()

    response = officer_client.post(page_url(), data)

    assert response.status_code == 200
    assert "Tổ dân phố số 1 (Bồ Đề) đã có tổ dân vận." in response.text
    team = Team.objects.get(residential_group=new_group())
    assert reverse("teams:team_detail", args=[team.pk]) in response.text  # linked
    assert '<form method="post" novalidate>' not in response.text
    assert rows_written() == after_first
    assert after_first[0] == 4  # the three old teams and the new one


def test_page_officer_for_a_group_with_a_team_sees_the_refusal(officer_client):
    group = ResidentialGroup.objects.get(ward__code="10001", code="02")
    TeamFactory(residential_group=group)

    response = officer_client.get(page_url(group))

    assert response.status_code == 200
    assert "Tổ dân phố số 2 (Bồ Đề) đã có tổ dân vận." in response.text


def test_page_officer_for_a_group_that_ended_sees_the_refusal(officer_client):
    ended = ResidentialGroupFactory(
        ward=Ward.objects.get(code="10001"),
        code="09",
        name="Tổ dân phố số 9",
        valid_from=datetime.date(2025, 7, 1),
        valid_until=datetime.date(2025, 12, 31),
    )

    response = officer_client.get(page_url(ended))

    assert response.status_code == 200
    assert (
        "Tổ dân phố số 9 (Bồ Đề) đã kết thúc: không lập tổ dân vận mới cho tổ này."
        in response.text
    )
    assert "<form method" not in response.text.split("</header>")[1].split("<footer")[0]


@pytest.mark.parametrize(
    "leader",
    [
        pytest.param(lambda: member_id("Lê Văn An") + 1000, id="no-such-member"),
        # A current member, but of Bồ Đề's old team, which did not come to this group.
        pytest.param(
            lambda: MemberFactory(team=Team.objects.get(residential_group__ward__code="00139")).pk,
            id="member-of-another-team",
        ),
        pytest.param(lambda: "abc", id="not-a-number"),
        pytest.param(lambda: "9" * 25, id="beyond-64-bits"),
        pytest.param(lambda: "", id="empty"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "apply"])
def test_apply_officer_with_a_leader_not_offered_gets_a_form_error_and_nothing_written(
    officer_client, leader, action
):
    value = str(leader())
    before = rows_written()

    response = officer_client.post(page_url(), {"leader": value, "action": action})

    assert response.status_code == 200
    if value:
        expected = (
            f"Hãy chọn một lựa chọn hợp lệ. {value} không phải là một trong các lựa chọn khả thi."
        )
    else:
        expected = "Trường này là bắt buộc."
    assert response.context["form"].errors == {"leader": [expected]}
    assert rows_written() == before


# Who may open the page


def test_page_anonymous_is_sent_to_sign_in(client, city):
    url = page_url()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        # An officer of a ward elsewhere does not see the group.
        ("officer_elsewhere", 404),
        # The officer of Ngọc Lâm, which ended, does not see its successor's group.
        ("officer_of_the_old_ward", 404),
        # The city board's viewer sees the group and may not add a team.
        ("viewer", 403),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_page_other_personas_are_refused_and_write_nothing(client, city, persona, status, method):
    users = {
        "officer_elsewhere": lambda: RoleUserFactory(
            role=Role.WARD_OFFICER, wards=[WardFactory(name="Thạch Bàn")]
        ),
        "officer_of_the_old_ward": lambda: RoleUserFactory(
            role=Role.WARD_OFFICER, wards=[Ward.objects.get(code="00133")]
        ),
        "viewer": lambda: RoleUserFactory(role=Role.VIEWER, district=city),
    }
    client.force_login(users[persona]())
    before = rows_written()

    response = getattr(client, method)(
        page_url(), {"leader": member_id("Lê Văn An"), "action": "apply"}
    )

    assert response.status_code == status
    assert "Lê Văn An" not in response.text
    assert rows_written() == before


def test_page_officer_of_the_new_ward_for_an_old_group_is_403(officer_client):
    """The old groups are Bồ Đề's history: its officer reads them, and changes nothing."""
    old = ResidentialGroup.objects.get(ward__code="00133", code="01")

    assert officer_client.get(page_url(old)).status_code == 403


# Where the page is offered


def test_ward_home_officer_is_offered_the_page_for_the_new_group_only(officer_client):
    response = officer_client.get(reverse("reports:ward_home", args=["10001"]))

    new = ResidentialGroup.objects.get(ward__code="10001", code="02")
    assert page_url() in response.text
    assert page_url(new) in response.text  # its old team did not come with it: no team yet
    TeamFactory(residential_group=new)
    response = officer_client.get(reverse("reports:ward_home", args=["10001"]))
    assert page_url() in response.text
    assert page_url(new) not in response.text


def test_ward_home_viewer_is_not_offered_the_page(client, city):
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=city))

    response = client.get(reverse("reports:ward_home", args=["10001"]))

    assert response.status_code == 200
    assert page_url() not in response.text


# What the page costs


@pytest.mark.parametrize("extra_members", [0, 8], ids=["2-members", "10-members"])
def test_page_officer_reads_9_queries_whatever_the_number_of_members(
    client, django_assert_num_queries, extra_members
):
    """1-2 the session, the user (with the wards its own came from); 3 the wards they serve;
    4 the group and its ward, and whether the user may change it; 5-6 the user's permissions
    (its own, its groups'); 7 whether the group has a team; 8 the old teams, with their
    groups and wards; 9 their current members."""
    reform([MEMBERS[0], MEMBERS[2]], extra_members)  # the two leaders, and more
    client.force_login(
        RoleUserFactory(role=Role.WARD_OFFICER, wards=[Ward.objects.get(code="10001")])
    )
    url = page_url()
    client.get(url)

    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["rows"]) == 2 + extra_members
