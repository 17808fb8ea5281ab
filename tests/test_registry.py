"""The register of outgoing documents: each issue takes the next number of its unit, kind and
year, never the same twice, even when two are issued at the same moment."""

import datetime
import threading

import pytest
from django.db import connection

from registry.models import DocumentKind, IssuedDocument, document_symbol
from registry.services import document_issue
from tests.factories import DistrictFactory

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
