"""The register of outgoing documents: each issue takes the next number of its unit, kind and
year, never the same twice, even when two are issued at the same moment."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from registry.models import DocumentKind, IssuedDocument, document_symbol
from registry.services import document_issue
from tests.factories import (
    DistrictFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
)
from wards.roles import Role

DAY = datetime.date(2026, 11, 30)


@pytest.mark.django_db
def test_document_issue_numbers_follow_each_other_per_unit_kind_and_year():
    long_bien = DistrictFactory(office_symbol="BDVQU")
    city = DistrictFactory(office_symbol="BTGDVTU")

    def issue(district, kind, day=DAY):
        return document_issue(district=district, kind=kind, title="Báo cáo", day=day, user=None)

    symbols = [
        issue(long_bien, DocumentKind.REPORT).symbol,
        issue(long_bien, DocumentKind.REPORT).symbol,
        issue(long_bien, DocumentKind.NOTICE).symbol,
        issue(city, DocumentKind.REPORT).symbol,
        issue(long_bien, DocumentKind.REPORT, datetime.date(2027, 1, 2)).symbol,
    ]

    assert symbols == ["1-BC/BDVQU", "2-BC/BDVQU", "1-TB/BDVQU", "1-BC/BTGDVTU", "1-BC/BDVQU"]


@pytest.mark.django_db
def test_document_issue_a_number_withdrawn_is_not_given_again():
    district = DistrictFactory(office_symbol="BDVQU")
    first = document_issue(district=district, kind="BC", title="Một", day=DAY, user=None)
    first.delete()

    second = document_issue(district=district, kind="BC", title="Hai", day=DAY, user=None)

    assert second.symbol == "2-BC/BDVQU"


def test_document_symbol_of_a_draft_leaves_the_number_blank():
    assert document_symbol("BC", "BDVQU") == "…/BC-BDVQU"
    assert document_symbol("BC", "") == "…/BC"
    assert document_symbol("TB", "", 7) == "7-TB"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_document_issue_two_at_once_get_two_numbers():
    district = DistrictFactory(office_symbol="BDVQU")
    start = threading.Barrier(4)
    failures = []

    def issue():
        try:
            start.wait()
            document_issue(district=district, kind="BC", title="Cùng lúc", day=DAY, user=None)
        except Exception as error:  # reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


# A seminar's documents


@pytest.fixture
def seminar():
    district = DistrictFactory(office_symbol="BDVQU")
    seminar = SeminarFactory(district=district, title="Tọa đàm dân vận khéo")
    SeminarSessionFactory(seminar=seminar, number=1, date=datetime.date(2026, 8, 2))
    return seminar


@pytest.mark.django_db
def test_seminar_number_staff_takes_the_next_number_once(client, seminar):
    document_issue(
        district=seminar.district, kind="BC", title="Trước", day=DAY, user=None, number=45
    )
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=seminar.district))
    url = reverse("meetings:seminar_number_report", args=[seminar.pk])

    first = client.post(url)
    again = client.post(url, follow=True)

    seminar.refresh_from_db()
    assert first.status_code == 302
    assert seminar.report_number == "46-BC/BDVQU"
    assert "Văn bản này đã có số: 46-BC/BDVQU." in again.content.decode()
    assert list(IssuedDocument.objects.order_by("number").values_list("symbol", "issued_on")) == [
        ("45-BC/BDVQU", DAY),
        ("46-BC/BDVQU", datetime.date(2026, 8, 2)),
    ]


@pytest.mark.django_db
def test_seminar_number_other_roles_may_not(client, seminar):
    url = reverse("meetings:seminar_number_notice", args=[seminar.pk])
    other_unit = RoleUserFactory(role=Role.DISTRICT_STAFF, district=DistrictFactory())
    statuses = []
    for user in (
        RoleUserFactory(role=Role.VIEWER, district=seminar.district),
        other_unit,
    ):
        client.force_login(user)
        statuses.append(client.post(url).status_code)

    assert statuses == [403, 404]
    assert IssuedDocument.objects.count() == 0


@pytest.mark.django_db
def test_document_issue_a_number_given_on_paper_is_refused_twice():
    district = DistrictFactory(office_symbol="BDVQU")
    document_issue(district=district, kind="BC", title="Một", day=DAY, user=None, number=3)

    with pytest.raises(ValidationError) as refused:
        document_issue(district=district, kind="BC", title="Hai", day=DAY, user=None, number=3)

    assert refused.value.messages == ["Số 3 đã được cấp."]
    assert document_issue(district=district, kind="BC", title="Ba", day=DAY, user=None).number == 4


@pytest.mark.django_db
def test_register_page_lists_the_units_documents_only(client):
    own = DistrictFactory(office_symbol="BDVQU")
    other = DistrictFactory(office_symbol="BDVHU")
    for district, kind in ((own, "BC"), (own, "TB"), (other, "BC")):
        document_issue(district=district, kind=kind, title="Báo cáo", day=DAY, user=None)
    client.force_login(RoleUserFactory(role=Role.VIEWER, district=own))

    every = client.get(reverse("registry:register"))
    notices = client.get(reverse("registry:register"), {"kind": "TB", "year": "2026"})
    odd = client.get(reverse("registry:register"), {"kind": "XX", "year": "99999"})
    superscript = client.get(reverse("registry:register"), {"year": "²²²²"})

    def symbols(response):
        return [document.symbol for document in response.context["page_obj"]]

    assert symbols(every) == ["1-TB/BDVQU", "1-BC/BDVQU"]
    assert symbols(notices) == ["1-TB/BDVQU"]
    assert symbols(odd) == ["1-TB/BDVQU", "1-BC/BDVQU"]
    assert symbols(superscript) == ["1-TB/BDVQU", "1-BC/BDVQU"]


@pytest.mark.django_db
def test_register_page_ward_officer_is_refused(client):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER))

    assert client.get(reverse("registry:register")).status_code == 403
