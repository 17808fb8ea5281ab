"""A form saved unchanged changes nothing, even where it links records the user cannot see.

Long Biên (D1: wards A and B) holds a seminar whose cluster has A and Gia Lâm's ward C (D2),
with a contribution from C's speaker (one of C's people) and a task given to A and C; an
officer of A is also in a group that is no role; a ward-level training of A has an attendee
from B and one from C.
Each page that edits such a link is opened as the user, posted back exactly as a browser would
(`html_forms`), and the database must be as before, but for the times of the save.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from meetings.models import Contribution, SeminarSession, TaskAssignment
from teams.models import Training
from tests.factories import (
    ContributionFactory,
    DirectiveTaskFactory,
    DistrictFactory,
    MemberFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TaskAssignmentFactory,
    TrainingFactory,
    WardFactory,
)
from tests.html_forms import posted_form
from wards.models import SecurityEvent
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def links():
    d1, d2 = DistrictFactory(name="Long Biên"), DistrictFactory(name="Gia Lâm")
    ward_a, ward_b = WardFactory(district=d1), WardFactory(district=d1)
    ward_c = WardFactory(district=d2)
    seminar = SeminarFactory(district=d1)
    session = SeminarSessionFactory(seminar=seminar, number=1, wards=[ward_a, ward_c])
    task = DirectiveTaskFactory(seminar=seminar, number=1)
    for ward in (ward_a, ward_c):
        TaskAssignmentFactory(task=task, ward=ward)
    # An officer of A who is also in a group that is no role, which administrators do not see.
    officer_a2 = RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward_a])
    officer_a2.groups.add(Group.objects.create(name="Nhóm đọc báo cáo"))
    member_a, member_b, member_c = (
        MemberFactory(team__residential_group__ward=ward) for ward in (ward_a, ward_b, ward_c)
    )
    # C's speaker, recorded among C's people: Long Biên's staff do not see them.
    ContributionFactory(session=session, order=1, ward=ward_c, person=member_c.person)
    training = TrainingFactory(
        district=d1,
        ward=ward_a,
        organiser_level="ward",
        attendees=[member_a.person, member_b.person, member_c.person],
    )
    return {
        "seminar": seminar,
        "session": session,
        "contribution": Contribution.objects.get(),
        "officer_a2": officer_a2,
        "training": training,
        "users": {
            "staff_d1": RoleUserFactory(role=Role.DISTRICT_STAFF, district=d1),
            "administrator_d1": RoleUserFactory(role=Role.ADMINISTRATOR, district=d1),
            "officer_a": RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward_a]),
        },
        "wards": {"A": ward_a, "B": ward_b, "C": ward_c},
        "members": {"A": member_a, "B": member_b, "C": member_c},
    }


def admin_change(label, key):
    return lambda links: reverse(f"admin:{label.replace('.', '_')}_change", args=[links[key].pk])


def site_part(part):
    return lambda links: reverse(f"meetings:seminar_{part}", args=[links["seminar"].pk])


# Every page that edits a link the user may not see all of: (page, persona) → the URL, and
# the button the form is sent with.
PAGES = {
    ("clusters (site)", "staff_d1"): (site_part("sessions"), None),
    ("contributions (site)", "staff_d1"): (site_part("contributions"), None),
    ("seminar (admin, clusters inline)", "staff_d1"): (
        admin_change("meetings.seminar", "seminar"),
        "_save",
    ),
    ("cluster (admin, contributions inline)", "staff_d1"): (
        admin_change("meetings.seminarsession", "session"),
        "_save",
    ),
    ("contribution (admin)", "staff_d1"): (
        admin_change("meetings.contribution", "contribution"),
        "_save",
    ),
    ("training (admin)", "officer_a"): (admin_change("teams.training", "training"), "_save"),
    ("training (admin)", "staff_d1"): (admin_change("teams.training", "training"), "_save"),
}

# The editable many-to-many fields of the admin's pages (inlines included), each covered by
# a page above, but for the permissions a superuser alone sees.
MANY_TO_MANY = {
    ("meetings.seminarsession", "wards"): "clusters (site), seminar (admin), cluster (admin)",
    ("teams.training", "attendees"): "training (admin)",
    # The Front and the associations are the same for every unit: none is out of scope.
    ("meetings.directivetask", "bodies"): "not scoped: no body is hidden from anyone",
    # An account linked outside an administrator's scope (another unit's ward, a group that
    # is no role) is read-only to them (below, and test_admin_writes.py).
    ("wards.user", "groups"): "read-only when linked outside the scope",
    ("wards.user", "wards"): "read-only when linked outside the scope",
    ("wards.user", "user_permissions"): "shown to superusers only, who see every record",
    ("auth.group", "permissions"): "the superuser's",
    # What a prestigious person helped with: excluded from the admin's form, ticked on the
    # activity's and the feedback's own forms (of the ward's prestigious people); a model's
    # people, ticked on the person's page (of the person's ward's models).
    ("teams.exemplarymodel", "people"): "not on the admin's form",
    ("teams.prestigiousperson", "activities"): "not on the admin's form",
    ("teams.prestigiousperson", "feedback"): "not on the admin's form",
}


def test_every_many_to_many_field_of_the_admin_is_covered():
    found = set()
    for model, model_admin in admin.site._registry.items():
        for shown in [model, *(inline.model for inline in model_admin.inlines)]:
            found |= {
                (shown._meta.label_lower, field.name)
                for field in shown._meta.many_to_many
                if field.editable
            }

    assert found == set(MANY_TO_MANY)


def snapshot():
    """Every row of the project's records and their links, but for the times of the save,
    the history and the security log."""
    tables = {}
    for app_label in ("auth", "wards", "teams", "meetings", "people"):
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            if model is SecurityEvent or model.__name__.startswith("Historical"):
                continue
            columns = [
                field.attname
                for field in model._meta.concrete_fields
                if field.name not in ("updated_at", "last_login")
            ]
            tables[model._meta.label] = list(
                model._base_manager.order_by("pk").values_list(*columns)
            )
    return tables


@pytest.mark.parametrize(("page", "persona"), sorted(PAGES))
def test_save_unchanged_changes_nothing(client, links, page, persona):
    url_of, submit = PAGES[page, persona]
    url = url_of(links)
    client.force_login(links["users"][persona])
    before = snapshot()

    shown = client.get(url)
    response = client.post(url, posted_form(shown.text, submit=submit))

    assert shown.status_code == 200
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert snapshot() == before


def test_save_unchanged_clusters_keep_the_other_units_ward_and_its_task(client, links):
    """The example of the issue, by its facts."""
    staff = links["users"]["staff_d1"]
    url = reverse("meetings:seminar_sessions", args=[links["seminar"].pk])
    client.force_login(staff)

    client.post(url, posted_form(client.get(url).text))

    ward_a, ward_c = links["wards"]["A"], links["wards"]["C"]
    assert set(SeminarSession.objects.get().wards.all()) == {ward_a, ward_c}
    assert set(TaskAssignment.objects.values_list("ward", flat=True)) == {ward_a.pk, ward_c.pk}


def test_clusters_page_staff_unticking_their_own_ward_keeps_the_other_units_ward(client, links):
    url = reverse("meetings:seminar_sessions", args=[links["seminar"].pk])
    client.force_login(links["users"]["staff_d1"])
    data = posted_form(client.get(url).text)
    assert data["sessions-0-wards"] == [str(links["wards"]["A"].pk)]
    del data["sessions-0-wards"]

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(SeminarSession.objects.get().wards.all()) == [links["wards"]["C"]]


def test_contribution_page_shows_a_hidden_ward_without_naming_it(client, links):
    contribution = links["contribution"]
    client.force_login(links["users"]["staff_d1"])

    response = client.get(reverse("admin:meetings_contribution_change", args=[contribution.pk]))

    assert "(một bản ghi ngoài phạm vi của bạn)" in response.text
    assert links["wards"]["C"].name not in response.text


def test_account_in_a_group_that_is_no_role_administrator_may_read_but_not_save(client, links):
    officer = links["officer_a2"]
    url = reverse("admin:wards_user_change", args=[officer.pk])
    client.force_login(links["users"]["administrator_d1"])
    before = snapshot()

    response = client.post(url, posted_form(client.get(url).text, submit="_save"))

    assert response.status_code == 403
    assert snapshot() == before


def test_training_save_unchanged_by_ward_a_officer_keeps_b_and_c_attendees(client, links):
    training = links["training"]
    url = reverse("admin:teams_training_change", args=[training.pk])
    client.force_login(links["users"]["officer_a"])

    client.post(url, posted_form(client.get(url).text, submit="_save"))

    members = links["members"]
    assert set(Training.objects.get().attendees.all()) == {m.person for m in members.values()}
