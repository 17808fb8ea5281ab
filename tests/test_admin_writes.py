"""The admin's writes across two managing units: a record belongs to the unit that manages it,
and seeing it (a seminar of another unit that one of your wards attends) does not make it
yours to change.

Two units: Long Biên (D1: wards A and B) and Gia Lâm (D2: ward C). Gia Lâm's seminar has a
cluster of A and C and a task given to both, so D1's staff, administrator and A's officer see
it and its parts, read-only. Every other record of the matrix is ward C's, which D1 does not
see. For every scoped admin model, D1's roles post the record's change form (as the
superuser's page shows it, edited, the seminar moved to D1), its deletion, the list's
"delete" action and an addition under it; each answer is pinned in `EXPECTED`, and nothing in
the database may change. The control: the superuser's same requests do write.
"""

import dataclasses
import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    AttendeeFactory,
    CitizenFeedbackFactory,
    ContributionFactory,
    DirectivePointFactory,
    DirectiveTaskFactory,
    DistrictFactory,
    ExemplaryModelFactory,
    MemberFactory,
    PersonFactory,
    PositionFactory,
    PrestigiousPersonFactory,
    ProgressReportFactory,
    ResidentialGroupFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TaskAssignmentFactory,
    TeamFactory,
    TrainingFactory,
    UserFactory,
    WardFactory,
)
from tests.html_forms import posted_form
from tests.shared import admin_url, module_records
from wards.admin_base import ScopedModelAdmin
from wards.models import Reorganisation, SecurityEvent, User
from wards.roles import Role

pytestmark = pytest.mark.django_db

PERSONAS = ["staff_d1", "administrator_d1", "officer_a"]
OPERATIONS = ["change", "delete_page", "delete", "action", "add"]


@dataclasses.dataclass
class World:
    users: dict
    records: dict  # label → D2's record that the matrix requests
    # label → {field: D2's record} naming the parents of an addition under D2's records
    parents: dict
    ward_a: object
    district_d1: object
    own: dict  # label → D1's own record of each part of a seminar
    pages: dict = dataclasses.field(default_factory=dict)


def make_world():
    d1 = DistrictFactory(name="Long Biên")
    d2 = DistrictFactory(name="Gia Lâm")
    ward_a = WardFactory(district=d1, name="Phường A")
    ward_c = WardFactory(district=d2, name="Phường C")
    officer_c = RoleUserFactory(username="officer_c", role=Role.WARD_OFFICER, wards=[ward_c])
    users = {
        "staff_d1": RoleUserFactory(role=Role.DISTRICT_STAFF, district=d1),
        "administrator_d1": RoleUserFactory(role=Role.ADMINISTRATOR, district=d1),
        "officer_a": RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward_a]),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    group = ResidentialGroupFactory(ward=ward_c)
    team = TeamFactory(residential_group=group)
    member = MemberFactory(team=team)
    spare_person = PersonFactory(residential_group=group)  # in no team, of no role
    seminar = SeminarFactory(district=d2, title="Tọa đàm của Gia Lâm")
    session = SeminarSessionFactory(seminar=seminar, number=1, wards=[ward_a, ward_c])
    attendee = AttendeeFactory(seminar=seminar, session=session, role="chair")
    task = DirectiveTaskFactory(seminar=seminar, number=1)
    assignments = {ward: TaskAssignmentFactory(task=task, ward=ward) for ward in (ward_a, ward_c)}
    ProgressReportFactory(assignment=assignments[ward_a])
    records = {
        "wards.district": d2,
        "wards.ward": ward_c,
        "wards.residentialgroup": group,
        "wards.user": officer_c,
        "wards.securityevent": SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.LOGIN, user=officer_c, username=officer_c.username
        ),
        "teams.team": team,
        "teams.member": member,
        "teams.activity": ActivityFactory(team=team),
        "teams.citizenfeedback": CitizenFeedbackFactory(team=team),
        "teams.exemplarymodel": ExemplaryModelFactory(ward=ward_c, team=team),
        "teams.training": TrainingFactory(
            district=d2, ward=ward_c, organiser_level="ward", attendees=[member.person]
        ),
        "teams.prestigiousperson": PrestigiousPersonFactory(residential_group=group),
        "people.person": member.person,
        "people.position": PositionFactory(person=member.person),
        "meetings.seminar": seminar,
        "meetings.seminarsession": session,
        "meetings.attendee": attendee,
        "meetings.contribution": ContributionFactory(session=session, order=1, ward=ward_c),
        "meetings.directivepoint": DirectivePointFactory(
            seminar=seminar, session=session, speaker=attendee, number=1
        ),
        "meetings.directive": task.directive,
        "meetings.directivetask": task,
        # Given to ward A: D1 sees it, and it is still the seminar's, Gia Lâm's, to change.
        "meetings.taskassignment": assignments[ward_a],
        "meetings.progressreport": ProgressReportFactory(assignment=assignments[ward_c]),
        "wards.reorganisation": Reorganisation.objects.create(
            kind=Reorganisation.Kind.DECISION,
            number="7/QĐ-UBND",
            signed_on=datetime.date(2026, 6, 1),
            issuer="Ủy ban nhân dân thành phố",
            title="Sáp nhập tổ dân phố",
            effective_on=datetime.date(2026, 7, 1),
        ),
    }
    spare_task = DirectiveTaskFactory(seminar=seminar, number=2)  # given to no ward yet
    parents = {
        "wards.ward": {"district": d2},
        "wards.residentialgroup": {"ward": ward_c},
        "wards.user": {"district": d2},
        "teams.team": {"residential_group": ResidentialGroupFactory(ward=ward_c)},
        "teams.member": {"team": team, "person": spare_person},
        "teams.activity": {"team": team},
        "teams.citizenfeedback": {"team": team},
        "teams.exemplarymodel": {"ward": ward_c},
        "teams.training": {"district": d2, "ward": ward_c},
        "teams.prestigiousperson": {"residential_group": group, "person": spare_person},
        "people.person": {"residential_group": group},
        "people.position": {"person": member.person},
        "meetings.seminar": {"district": d2},
        "meetings.seminarsession": {"seminar": seminar},
        "meetings.attendee": {"seminar": seminar},
        "meetings.contribution": {"session": session},
        "meetings.directivepoint": {"seminar": seminar},
        "meetings.directive": {"district": d2},
        "meetings.directivetask": {"directive": task.directive},
        # D2's task given to D1's ward.
        "meetings.taskassignment": {"task": spare_task, "ward": ward_a},
        "meetings.progressreport": {"assignment": assignments[ward_c]},
    }
    own_seminar = SeminarFactory(district=d1, title="Tọa đàm của Long Biên")
    own_session = SeminarSessionFactory(seminar=own_seminar, number=1, wards=[ward_a])
    own_attendee = AttendeeFactory(seminar=own_seminar, session=own_session)
    own_task = DirectiveTaskFactory(seminar=own_seminar, number=1)
    own = {
        "meetings.seminar": own_seminar,
        "meetings.seminarsession": own_session,
        "meetings.attendee": own_attendee,
        "meetings.contribution": ContributionFactory(session=own_session, order=1, ward=ward_a),
        "meetings.directivepoint": DirectivePointFactory(seminar=own_seminar, number=1),
        "meetings.directive": own_task.directive,
        "meetings.directivetask": own_task,
        "meetings.taskassignment": TaskAssignmentFactory(task=own_task, ward=ward_a),
    }
    return World(users, records, parents, ward_a, d1, own)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_records(django_db_blocker, make_world) as world:
        yield world


# What D1's roles get for Gia Lâm's record of each model. 403: the record is seen, and is not
# theirs to change (or their role may not); 404: the record is not seen. The list's action
# on a record not seen finds no row to act on (302, back to the list); an addition under a
# parent the user may not choose is the form again with its error (200).
SEEN_READ_ONLY = {
    "change": 403,
    "delete_page": 403,
    "delete": 403,
    "action": 403,
    "add": 200,
}
NOT_SEEN = {"change": 404, "delete_page": 404, "delete": 404, "action": 302, "add": 200}
# A ward officer may not add or delete any part of a seminar, nor see the action.
OFFICER_ON_SEMINAR_PARTS = {
    "change": 403,
    "delete_page": 403,
    "delete": 403,
    "action": 200,
    "add": 403,
}
FORBIDDEN = dict.fromkeys(("change", "delete_page", "delete", "action", "add"), 403)
SEMINAR_PARTS = [
    "meetings.seminar",
    "meetings.directive",
    "meetings.seminarsession",
    "meetings.attendee",
    "meetings.contribution",
    "meetings.directivepoint",
    "meetings.directivetask",
    "meetings.taskassignment",
]
WARD_RECORDS = [
    "wards.ward",
    "wards.residentialgroup",
    "teams.team",
    "teams.member",
    "teams.activity",
    "teams.citizenfeedback",
    "teams.exemplarymodel",
    "teams.training",
    "teams.prestigiousperson",
    "people.person",
    "people.position",
    "meetings.progressreport",
]
EXPECTED = {
    **{
        (label, persona): SEEN_READ_ONLY
        for label in SEMINAR_PARTS
        for persona in ("staff_d1", "administrator_d1")
    },
    **{(label, "officer_a"): OFFICER_ON_SEMINAR_PARTS for label in SEMINAR_PARTS},
    **{(label, persona): NOT_SEEN for label in WARD_RECORDS for persona in PERSONAS},
    # Units are added by a superuser only; staff and officers may not change them.
    ("wards.district", "staff_d1"): {**NOT_SEEN, "action": 200, "add": 403},
    ("wards.district", "administrator_d1"): {**NOT_SEEN, "action": 200, "add": 403},
    ("wards.district", "officer_a"): {**NOT_SEEN, "action": 200, "add": 403},
    # Wards and groups: read-only to staff and officers but for groups.
    ("wards.ward", "staff_d1"): {**NOT_SEEN, "action": 200, "add": 403},
    ("wards.ward", "officer_a"): {**NOT_SEEN, "action": 200, "add": 403},
    # Accounts are the administrators' (C's officer is no account of D1's).
    ("wards.user", "staff_d1"): {**NOT_SEEN, "action": 403, "add": 403},
    ("wards.user", "administrator_d1"): NOT_SEEN,
    ("wards.user", "officer_a"): {**NOT_SEEN, "action": 403, "add": 403},
    # The security log is the administrators' to read, nobody's to write.
    **{
        ("wards.securityevent", persona): {**NOT_SEEN, "action": 403, "add": 403}
        for persona in ("staff_d1", "officer_a")
    },
    ("wards.securityevent", "administrator_d1"): {**NOT_SEEN, "action": 200, "add": 403},
    # Reorganisations are recorded by a superuser only.
    **{("wards.reorganisation", persona): FORBIDDEN for persona in PERSONAS},
}


def scoped_admin_labels():
    return sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedModelAdmin)
    )


def test_every_scoped_admin_model_is_in_the_write_matrix():
    assert {label for label, _ in EXPECTED} == set(scoped_admin_labels())


def snapshot():
    """Every row of the project's records, accounts and groups; history tables follow their
    records, the security log is appended to by refusals."""
    models = [Group]
    for app_label in ("wards", "teams", "meetings", "people"):
        models += [
            model
            for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
            if model is not SecurityEvent and not model.__name__.startswith("Historical")
        ]
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in models
    }


EDITED = {"name", "title", "full_name", "first_name", "summary", "text", "venue"}
EDITED |= {"narrative", "standing", "organiser", "code", "households_reached"}


def superuser_page(world, url):
    """The form of `url` as the superuser's browser posts it back (read once per address:
    the records are the same in every test)."""
    if url not in world.pages:
        client = Client()
        client.force_login(world.users["superuser"])
        page = client.get(url)
        assert page.status_code == 200, url
        world.pages[url] = posted_form(page.text, submit="_save")
    return {name: list(values) for name, values in world.pages[url].items()}


def request_of(world, label, operation, records=None):
    """The URL and data of `operation` on D2's record of `label` (or on one of `records`)."""
    obj = (records or world.records)[label]
    if operation == "change":
        url = admin_url(label, "change", obj.pk)
        data = superuser_page(world, url)
        for name in EDITED & set(data):
            data[name] = [f"{data[name][0]}9"]
        data |= MOVES.get(label, lambda world: {})(world)
        return "post", url, data
    if operation == "delete_page":
        return "get", admin_url(label, "delete", obj.pk), {}
    if operation == "delete":
        return "post", admin_url(label, "delete", obj.pk), {"post": "yes"}
    if operation == "action":
        data = {"action": "delete_selected", "_selected_action": [obj.pk], "index": 0}
        return "post", admin_url(label, "changelist"), data | {"post": "yes"}
    # An addition under D2's record: the superuser's add form, with the parent named.
    url = admin_url(label, "add")
    if label == "wards.securityevent":
        return "post", url, {"username": "ai_do"}  # nobody adds to the log: no form
    parents = {field: str(parent.pk) for field, parent in world.parents.get(label, {}).items()}
    data = superuser_page(world, url + "?" + "&".join(f"{f}={pk}" for f, pk in parents.items()))
    return "post", url, data | parents | ADDITIONS.get(label, {})


# What the change forms also change: the seminar taken over, D2's ward dropped from the
# cluster.
MOVES = {
    "meetings.seminar": lambda world: {"district": str(world.district_d1.pk)},
    "meetings.seminarsession": lambda world: {"wards": [str(world.ward_a.pk)]},
}


# What a new record needs besides its parent (required fields, unique keys).
ADDITIONS = {
    "wards.district": {
        "code": "QX",
        "name": "Mới",
        "kind": "ward",
        "province": "Hà Nội",
        "party_committee": "Đảng ủy phường Mới",
    },
    "wards.ward": {"code": "99999", "name": "Phường mới", "kind": "ward"},
    "wards.residentialgroup": {"code": "99", "name": "Tổ mới"},
    "wards.user": {
        "username": "tai_khoan_moi",
        "usable_password": "true",
        "password1": "Mat-khau-moi-rat-dai-2025",
        "password2": "Mat-khau-moi-rat-dai-2025",
    },
    "teams.team": {"founded_on": "01/01/2020"},
    "teams.member": {"organisation": "other"},
    "teams.activity": {"date": "01/10/2025", "field": "environment", "title": "Mới"},
    "teams.citizenfeedback": {
        "received_on": "01/10/2025",
        "field": "environment",
        "summary": "Mới",
    },
    "teams.exemplarymodel": {"name": "Mới", "field": "environment", "year": "2025"},
    "teams.training": {"date": "01/10/2025", "title": "Mới", "organiser_level": "ward"},
    "teams.prestigiousperson": {"standing": "Trưởng họ"},
    "people.person": {"full_name": "Người mới", "gender": "male"},
    "people.position": {"kind": "branch_head", "organisation": "Chi hội mới"},
    "meetings.seminar": {"title": "Mới", "organiser": "Ban Dân vận"},
    "meetings.seminarsession": {"number": "9", "date": "01/10/2025", "venue": "Hội trường"},
    "meetings.attendee": {"full_name": "Người mới"},
    "meetings.contribution": {"order": "9", "speaker": "Người mới"},
    "meetings.directivepoint": {"number": "9", "text": "Điểm mới"},
    "meetings.directive": {"kind": "plan", "issuer": "Ban Thường vụ", "title": "Kế hoạch mới"},
    "meetings.directivetask": {
        "number": "9",
        "category": "other",
        "text": "Việc mới",
        "rhythm": "once",
    },
    "wards.reorganisation": {
        "kind": "decision",
        "number": "8/QĐ-UBND",
        "signed_on": "01/06/2026",
        "issuer": "Ủy ban nhân dân thành phố",
        "title": "Sáp nhập tổ dân phố",
        "effective_on": "01/07/2026",
    },
    "meetings.progressreport": {
        "period_start": "01/01/2026",
        "period_end": "31/03/2026",
        "status": "in_progress",
        "percent": "10",
    },
}


def send(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(("label", "persona"), sorted(EXPECTED))
def test_admin_write_d1_roles_on_d2_records_is_refused_and_writes_nothing(
    client, world, label, persona, operation
):
    method, url, data = request_of(world, label, operation)
    client.force_login(world.users[persona])
    before = snapshot()

    response = send(client, method, url, data)

    expected = EXPECTED[label, persona][operation]
    assert response.status_code == expected, url
    assert snapshot() == before, f"{method} {url} as {persona} wrote"
    if response.status_code == 200 and operation == "add":
        # The form again: the parent is not among the choices, or a field of scope refused.
        assert response.context["adminform"].form.errors


# The control: the superuser's same changes and additions go through, so the payloads above
# are valid and their refusals come from the scope.
CONTROL = sorted(
    {label for label, _ in EXPECTED} - {"wards.securityevent"},
)


@pytest.mark.parametrize("operation", ["change", "add"])
@pytest.mark.parametrize("label", CONTROL)
def test_admin_write_superuser_on_d2_records_writes(client, world, label, operation):
    method, url, data = request_of(world, label, operation)
    client.force_login(world.users["superuser"])
    before = snapshot()

    response = send(client, method, url, data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    assert snapshot() != before


def test_user_add_administrator_d1_adds_an_officer_of_ward_a(client, world):
    """An officer is in the administrator's scope through the wards given in the same form:
    the scope is checked once those are saved."""
    url = admin_url("wards.user", "add")
    client.force_login(world.users["administrator_d1"])
    officer_role = Group.objects.get(name=Role.WARD_OFFICER.value)
    data = superuser_page(world, url) | ADDITIONS["wards.user"]
    data |= {"groups": [str(officer_role.pk)], "wards": [str(world.ward_a.pk)]}

    response = client.post(url, data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    added = User.objects.get(username="tai_khoan_moi")
    assert list(added.wards.all()) == [world.ward_a]
    assert added.district is None


@pytest.fixture
def shared_officer(world):
    """An officer of ward A (D1) who also serves ward C (D2)."""
    officer = User.objects.get(username="officer_c")
    officer.wards.add(world.ward_a)
    return officer


def test_shared_officer_administrator_d1_may_read_but_not_change_or_reset_it(
    client, world, shared_officer
):
    """Either unit's administrator could otherwise give the account a role or a password
    and act in the other unit: a shared account is the superuser's to change."""
    client.force_login(world.users["administrator_d1"])
    change = admin_url("wards.user", "change", shared_officer.pk)
    password = reverse("admin:auth_user_password_change", args=[shared_officer.pk])
    data = superuser_page(world, change)
    before = snapshot()

    page = client.get(change)
    answers = [
        client.post(change, data | {"groups": [str(Group.objects.get(name="Quản trị viên").pk)]}),
        client.post(
            password, {"password1": "Mat-khau-moi-2025!", "password2": "Mat-khau-moi-2025!"}
        ),
    ]

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert [answer.status_code for answer in answers] == [403, 403]
    assert snapshot() == before


def test_officer_of_own_ward_administrator_d1_changes_it(client, world):
    """The control: an account of D1's own wards is D1's administrator's to change."""
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[world.ward_a])
    url = admin_url("wards.user", "change", officer.pk)
    client.force_login(world.users["administrator_d1"])
    data = posted_form(client.get(url).text, submit="_save") | {"first_name": ["Hoa"]}

    response = client.post(url, data)

    assert response.status_code == 302
    assert User.objects.get(pk=officer.pk).first_name == "Hoa"


def test_account_emptied_of_its_scope_administrator_d1_is_told_why(client, world):
    officer = RoleUserFactory(role=Role.WARD_OFFICER, wards=[world.ward_a])
    url = admin_url("wards.user", "change", officer.pk)
    client.force_login(world.users["administrator_d1"])
    data = posted_form(client.get(url).text, submit="_save")
    del data["groups"], data["wards"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["district"] == [
        "Hãy chọn đơn vị quản lý hoặc các phường của tài khoản này: thiếu cả hai, tài khoản sẽ "
        "ra khỏi phạm vi của bạn."
    ]


def test_action_sent_from_the_second_action_form_staff_d1_is_refused_and_writes_nothing(
    client, world
):
    """Django runs the action of the form whose button was pressed (`index`): the check is on
    the rows the action is given, whichever form names it."""
    seminar = world.records["meetings.seminar"]
    client.force_login(world.users["staff_d1"])
    before = snapshot()

    response = client.post(
        admin_url("meetings.seminar", "changelist"),
        {
            "action": ["delete_selected", ""],
            "index": "0",
            "_selected_action": [seminar.pk],
            "post": "yes",
        },
    )

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("label", SEMINAR_PARTS)
def test_admin_write_staff_d1_on_own_seminar_parts_writes(client, world, label):
    """The control of the matrix for the unit's own records: its staff change each part of
    its own seminar, and delete it."""
    client.force_login(world.users["staff_d1"])
    before = snapshot()

    changed = send(client, *request_of(world, label, "change", world.own))
    after_change = snapshot()
    deleted = send(client, *request_of(world, label, "delete", world.own))

    assert changed.status_code == 302, changed.context and changed.context["adminform"].form.errors
    assert after_change != before
    assert deleted.status_code == 302
    assert not type(world.own[label]).objects.filter(pk=world.own[label].pk).exists()


def test_account_with_a_permission_beyond_the_roles_administrator_d1_cannot_reset_it(
    client, world
):
    """Its password would give the administrator what no role gives."""
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=world.district_d1)
    staff.user_permissions.add(Permission.objects.get(codename="add_district"))
    password = reverse("admin:auth_user_password_change", args=[staff.pk])
    client.force_login(world.users["administrator_d1"])

    response = client.post(
        password, {"password1": "Mat-khau-moi-2025!", "password2": "Mat-khau-moi-2025!"}
    )

    assert response.status_code == 403
    assert User.objects.get(pk=staff.pk).check_password("mat-khau-thu-nghiem")


def test_account_given_two_roles_administrator_d1_is_told_to_give_one(client, world):
    url = admin_url("wards.user", "add")
    client.force_login(world.users["administrator_d1"])
    roles = Group.objects.filter(name__in=[Role.WARD_OFFICER.value, Role.ADMINISTRATOR.value])
    data = superuser_page(world, url) | ADDITIONS["wards.user"]
    data |= {"groups": [str(group.pk) for group in roles], "wards": [str(world.ward_a.pk)]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"] == [
        "Hãy giao một vai trò: mỗi vai trò quyết định người giữ nó xem được gì."
    ]
    assert not User.objects.filter(username="tai_khoan_moi").exists()
