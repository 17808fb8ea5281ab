"""Every admin page opens for a superuser, and a list costs the same queries for 2 rows or 8."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendee, ProgressReport
from teams.models import CitizenFeedback, Member, Training
from tests.factories import (
    ActivityFactory,
    AttendeeFactory,
    CitizenFeedbackFactory,
    ContributionFactory,
    DirectivePointFactory,
    DirectiveTaskFactory,
    ExemplaryModelFactory,
    MemberFactory,
    PositionFactory,
    PrestigiousPersonFactory,
    ProgressReportFactory,
    ResidentialGroupFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TaskAssignmentFactory,
    TeamFactory,
    TrainingFactory,
    UserFactory,
    WardFactory,
)
from wards.models import Reorganisation, SecurityEvent, WardSuccession

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
MODEL_IDS = [model._meta.label for model in MODELS]
# The models whose rows the tests make (django-axes' logs have none).
MODELS_WITH_ROWS = [model for model in MODELS if model._meta.app_label != "axes"]


def add_rows_of_every_model(count):
    """`count` rows of every registered model, each in its own ward, team and seminar.

    Every row has the related rows its list shows or counts: members, attendees of
    trainings, wards and contributions of sessions, progress reports of assignments.
    """
    for _ in range(count):
        member = MemberFactory(role=Member.Role.LEADER)
        MemberFactory(team=member.team, left_on=datetime.date(2025, 1, 1))
        team = member.team
        group = team.residential_group
        ward = group.ward
        ActivityFactory(team=team)
        CitizenFeedbackFactory(
            team=team, status=CitizenFeedback.Status.FORWARDED, forwarded_to="UBND phường"
        )
        ExemplaryModelFactory(ward=ward, team=team)
        PrestigiousPersonFactory(residential_group=group)
        PositionFactory(person=member.person)
        TrainingFactory(
            district=ward.district,
            ward=ward,
            organiser_level=Training.Level.WARD,
            attendees=[member.person],
        )

        session = SeminarSessionFactory(seminar__district=ward.district, wards=[ward])
        seminar = session.seminar
        chair = AttendeeFactory(seminar=seminar, session=session, role=Attendee.Role.CHAIR)
        ContributionFactory(session=session, ward=ward)
        ContributionFactory(session=session, unit="Quận đoàn")
        DirectivePointFactory(seminar=seminar, session=session, speaker=chair)
        task = DirectiveTaskFactory(seminar=seminar)
        assignment = TaskAssignmentFactory(task=task, ward=ward)
        ProgressReportFactory(assignment=assignment, reported_by=UserFactory())
        ProgressReportFactory(
            assignment=assignment,
            period_start=datetime.date(2025, 10, 1),
            period_end=datetime.date(2025, 12, 31),
            status=ProgressReport.Status.COMPLETED,
            percent=100,
        )
        Group.objects.create(name=f"Nhóm {ward.code}")
        # A decision that ended the ward into a new one (the change page lists it).
        reorganisation = Reorganisation.objects.create(
            kind=Reorganisation.Kind.DECISION,
            number=f"{ward.code}/QĐ-UBND",
            signed_on=datetime.date(2025, 6, 16),
            issuer="Ủy ban nhân dân thành phố",
            title="Sáp nhập phường",
            effective_on=datetime.date(2025, 7, 1),
        )
        WardSuccession.objects.create(
            reorganisation=reorganisation, predecessor=ward, successor=WardFactory()
        )


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


@pytest.mark.parametrize("model", [pytest.param(model, id=model._meta.label) for model in MODELS])
def test_changelist_queries_do_not_grow_with_rows_superuser(admin_client, model):
    url = admin_url(model, "changelist")
    add_rows_of_every_model(2)
    count_queries(admin_client, url)  # the first request fills per-process caches
    with_few_rows = count_queries(admin_client, url)

    add_rows_of_every_model(6)
    with_more_rows = count_queries(admin_client, url)

    assert with_more_rows == with_few_rows, (
        f"The {model._meta.label} list makes {with_few_rows} queries for 2 rows of each model "
        f"but {with_more_rows} for 8: a query per row (N+1)."
    )


@pytest.mark.parametrize(
    "model", [pytest.param(model, id=model._meta.label) for model in MODELS_WITH_ROWS]
)
def test_changelist_lists_every_row_superuser(admin_client, model):
    add_rows_of_every_model(2)
    rows = model._default_manager.count()

    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == rows > 0


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_changelist_search_works_superuser(admin_client, model):
    add_rows_of_every_model(1)

    response = admin_client.get(admin_url(model, "changelist"), {"q": "x"})

    assert response.status_code == 200
    assert 'id="searchbar"' in response.text
    assert response.context["cl"].query == "x"


# Logs are written by the system, never through the admin.
READ_ONLY_MODELS = [model for model in MODELS if model._meta.label.startswith("axes.")] + [
    SecurityEvent
]


@pytest.mark.parametrize("model", MODELS, ids=MODEL_IDS)
def test_add_page_opens_superuser(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))

    if model in READ_ONLY_MODELS:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert response.context["adminform"].form.instance.pk is None


@pytest.mark.parametrize(
    "model", [pytest.param(model, id=model._meta.label) for model in MODELS_WITH_ROWS]
)
def test_change_page_opens_superuser(admin_client, model):
    add_rows_of_every_model(1)
    obj = model._default_manager.order_by("-pk").first()

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.instance == obj


def test_admin_index_is_in_vietnamese_superuser(admin_client):
    response = admin_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert '<html lang="vi"' in response.text


def test_admin_login_page_is_in_vietnamese_anonymous(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))
    assert '<html lang="vi"' in response.text


def add_seminar_rows(seminar):
    session = SeminarSessionFactory(seminar=seminar, wards=[WardFactory()])
    speaker = AttendeeFactory(seminar=seminar, session=session)
    DirectivePointFactory(seminar=seminar, session=session, speaker=speaker)
    DirectiveTaskFactory(seminar=seminar)


INLINE_ROWS = [
    pytest.param(
        WardFactory,
        lambda ward: ResidentialGroupFactory(ward=ward),
        id="wards.Ward",
    ),
    pytest.param(TeamFactory, lambda team: MemberFactory(team=team), id="teams.Team"),
    pytest.param(
        TrainingFactory,
        lambda training: training.attendees.add(MemberFactory().person),
        id="teams.Training",
    ),
    pytest.param(
        SeminarFactory,
        add_seminar_rows,
        id="meetings.Seminar",
    ),
    pytest.param(
        SeminarSessionFactory,
        lambda session: ContributionFactory(session=session, ward=WardFactory()),
        id="meetings.SeminarSession",
    ),
    pytest.param(
        DirectiveTaskFactory,
        lambda task: TaskAssignmentFactory(task=task),
        id="meetings.DirectiveTask",
    ),
]


@pytest.mark.parametrize(("make_parent", "add_inline_row"), INLINE_ROWS)
def test_change_page_queries_do_not_grow_with_inline_rows_superuser(
    admin_client, make_parent, add_inline_row
):
    parent = make_parent()
    add_inline_row(parent)
    url = admin_url(type(parent), "change", parent.pk)
    count_queries(admin_client, url)  # the first request fills per-process caches
    with_one_row = count_queries(admin_client, url)

    for _ in range(5):
        add_inline_row(parent)
    with_six_rows = count_queries(admin_client, url)

    assert with_six_rows == with_one_row, (
        f"The {parent._meta.label} change page makes {with_one_row} queries with one row "
        f"in each inline but {with_six_rows} with six."
    )
