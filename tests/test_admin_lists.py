"""The admin's lists at national scale: a capped count, search through the folded column,
filters whose choices come from the user's scope, and a year filter instead of the date
hierarchy's scan of every row."""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.text import search_filter
from people.models import Person
from teams.models import Activity
from tests.factories import (
    ActivityFactory,
    DistrictFactory,
    MemberFactory,
    RoleUserFactory,
    TeamFactory,
    WardFactory,
)
from wards import admin_filters
from wards.admin_base import CappedPaginator
from wards.models import Ward
from wards.roles import Role

pytestmark = pytest.mark.django_db

ACTIVITIES = reverse("admin:teams_activity_changelist")
WARD_PARAM = "ward__id__exact"
DISTRICT_PARAM = "ward__district__id__exact"


def filter_choices(response, title):
    """The labels a list filter offers (its "all" choice left out)."""
    for spec in response.context["cl"].filter_specs:
        if str(spec.title) == title:
            return [str(choice["display"]) for choice in spec.choices(response.context["cl"])][1:]
    return None


def test_count_above_the_cap_reads_more_than_and_stops_counting_superuser(
    admin_client, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    ActivityFactory.create_batch(5)

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(ACTIVITIES)

    assert response.context["cl"].result_count == 3
    assert response.context["cl"].paginator.capped
    assert "hơn 3 hoạt động" in response.content.decode()
    counts = [q["sql"] for q in queries if "COUNT(*)" in q["sql"] and "teams_activity" in q["sql"]]
    assert len(counts) == 1 and "LIMIT 4" in counts[0]


def test_count_below_the_cap_is_exact_superuser(admin_client):
    ActivityFactory.create_batch(5)

    response = admin_client.get(ACTIVITIES)

    assert response.context["cl"].result_count == 5
    assert not response.context["cl"].paginator.capped
    assert "5 hoạt động" in response.content.decode()


def test_search_finds_without_accents_through_the_folded_column_superuser(admin_client):
    MemberFactory(full_name="Nguyễn Văn An")
    MemberFactory(full_name="Trần Thị Bình")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse("admin:teams_member_changelist"), {"q": "nguyen an"})

    assert [str(m) for m in response.context["cl"].result_list] == ["Nguyễn Văn An"]
    assert any("search_text" in q["sql"] for q in queries)


@pytest.mark.parametrize(
    ("cap", "by_ids"),
    [(3, True), (1, False)],  # two found: named by their ids up to the cap, searched above it
)
def test_search_lists_what_it_found_by_ids_when_few_in_the_lists_order_superuser(
    admin_client, monkeypatch, cap, by_ids
):
    monkeypatch.setattr(CappedPaginator, "cap", cap)
    found = [ActivityFactory(title=f"Dọn vệ sinh ngõ {n}") for n in (7, 8)]
    ActivityFactory(title="Họp tổ")
    found[0].date = datetime.date(2025, 9, 30)
    found[0].save()

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(ACTIVITIES, {"q": "ve sinh"})

    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Dọn vệ sinh ngõ 7", "Dọn vệ sinh ngõ 8"]  # the newest first
    listed = [q["sql"] for q in queries if 'SELECT "teams_activity"."id", ' in q["sql"]]
    named = re.search(r'"teams_activity"\."id" IN \((\d+), (\d+)\)', listed[-1])
    by_found_ids = bool(named) and {int(pk) for pk in named.groups()} == {a.pk for a in found}
    assert (by_found_ids, " LIKE " in listed[-1]) == (by_ids, not by_ids)


def test_search_finding_nothing_reads_no_list_superuser(admin_client):
    ActivityFactory(title="Họp tổ")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(ACTIVITIES, {"q": "ve sinh"})

    assert list(response.context["cl"].result_list) == []
    assert [q for q in queries if 'SELECT "teams_activity"."id", ' in q["sql"]] == []


@pytest.mark.parametrize(("cap", "counted"), [(1_000, (2, False)), (1, (1, True))])
def test_search_read_through_a_join_that_repeats_rows_counts_each_once(
    rf, monkeypatch, cap, counted
):
    monkeypatch.setattr(CappedPaginator, "cap", cap)
    twice = MemberFactory(full_name="Nguyễn Văn An").person
    MemberFactory(person=twice)
    MemberFactory(full_name="Lê Thị An")
    people = admin.site.get_model_admin(Person)
    request = rf.get("/")
    members = Person.objects.filter(memberships__isnull=False)  # a row for each membership

    found = people.found(request, members, members.filter(search_filter("an"))).distinct()
    paginator = people.get_paginator(request, found, 50)

    assert sorted(person.full_name for person in found) == ["Lê Thị An", "Nguyễn Văn An"]
    assert (paginator.count, paginator.capped) == counted


def test_a_lookup_no_filter_of_the_list_makes_is_refused_superuser(admin_client):
    ActivityFactory(description="Ra quân")

    for lookup in (
        "description__icontains",
        "participants__gt",
        "team__residential_group__ward__name__regex",
        "field__regex",
    ):
        refused = admin_client.get(ACTIVITIES, {lookup: "x"})
        assert refused.status_code == 400, lookup
        assert "một bộ lọc mà danh sách này không có" in refused.content.decode(), lookup
    for lookup, value in (
        ("field__exact", "environment"),
        ("id__exact", "1"),
        (WARD_PARAM, "1"),
        (DISTRICT_PARAM, "1"),
    ):
        assert admin_client.get(ACTIVITIES, {lookup: value}).status_code == 200, lookup


def test_facets_asked_for_in_the_address_are_never_counted_superuser(admin_client):
    ActivityFactory()

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(ACTIVITIES, {"_facets": "True"})

    assert response.status_code == 200
    assert [q["sql"] for q in queries if "FILTER (WHERE" in q["sql"]] == []
    allowing = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model_admin.show_facets != admin.ShowFacets.NEVER
    }
    assert allowing == {"auth.Group"}  # a few roles


def test_ward_filter_waits_for_a_district_in_a_large_scope_superuser(admin_client, monkeypatch):
    monkeypatch.setattr(admin_filters, "WARD_CHOICES_MAX", 2)
    first, second = DistrictFactory(name="Long Biên"), DistrictFactory(name="Gia Lâm")
    for name in ("Bồ Đề", "Gia Thụy"):
        ActivityFactory(
            team=TeamFactory(residential_group__ward=WardFactory(name=name, district=first))
        )
    ActivityFactory(
        team=TeamFactory(residential_group__ward=WardFactory(name="Trâu Quỳ", district=second))
    )

    response = admin_client.get(ACTIVITIES)
    assert filter_choices(response, "phường") is None  # nothing to choose yet
    assert {"Quận Long Biên", "Quận Gia Lâm"} <= set(filter_choices(response, "đơn vị quản lý"))

    response = admin_client.get(ACTIVITIES, {DISTRICT_PARAM: first.pk})
    assert filter_choices(response, "phường") == ["Phường Bồ Đề", "Phường Gia Thụy"]
    assert len(response.context["cl"].result_list) == 2

    # A ward asked for without its district (a link from a dashboard) still filters.
    trau_quy = second.wards.get()
    response = admin_client.get(ACTIVITIES, {WARD_PARAM: trau_quy.pk})
    assert filter_choices(response, "phường") == ["Phường Trâu Quỳ"]
    assert [a.team.residential_group.ward for a in response.context["cl"].result_list] == [
        trau_quy
    ]

    response = admin_client.get(ACTIVITIES, {DISTRICT_PARAM: "x"})
    assert response.status_code == 302 and response["Location"].endswith(
        "?e=1"
    )  # Django: bad filter


def test_many_units_are_a_list_to_choose_from_that_keeps_the_other_filters_superuser(
    admin_client, monkeypatch
):
    monkeypatch.setattr(admin_filters, "LINKS_MAX", 2)
    long_bien, gia_lam = DistrictFactory(name="Long Biên"), DistrictFactory(name="Gia Lâm")
    dong_anh = DistrictFactory(name="Đông Anh")
    for district, field in (
        (long_bien, "environment"),
        (long_bien, "security"),
        (gia_lam, "environment"),
    ):
        ActivityFactory(team=TeamFactory(residential_group__ward__district=district), field=field)

    page = admin_client.get(ACTIVITIES, {"field__exact": "environment", "q": "vệ sinh"})

    html = page.content.decode()
    form = html[html.index('<form method="get" class="filter-list">') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="field__exact" value="environment">' in form
    assert '<input type="hidden" name="q" value="vệ sinh">' in form
    assert f'<select id="filter-{DISTRICT_PARAM}" name="{DISTRICT_PARAM}">' in form
    options = [line.strip() for line in form.splitlines() if "<option" in line]
    assert options == [  # in Vietnamese order: Đ after D
        '<option value="">Tất cả</option>',
        f'<option value="{dong_anh.pk}">Quận Đông Anh</option>',
        f'<option value="{gia_lam.pk}">Quận Gia Lâm</option>',
        f'<option value="{long_bien.pk}">Quận Long Biên</option>',
    ]

    chosen = admin_client.get(
        ACTIVITIES, {"field__exact": "environment", DISTRICT_PARAM: gia_lam.pk}
    )
    assert (
        f'<option value="{gia_lam.pk}" selected>Quận Gia Lâm</option>' in chosen.content.decode()
    )
    assert [a.team.residential_group.ward.district for a in chosen.context["cl"].result_list] == [
        gia_lam
    ]
    # “All” sends the parameter empty: the list of every unit.
    every = admin_client.get(ACTIVITIES, {"field__exact": "environment", DISTRICT_PARAM: ""})
    assert every.status_code == 200
    assert len(every.context["cl"].result_list) == 2


def test_ward_filter_lists_only_the_users_wards_staff(client):
    ward = WardFactory(name="Bồ Đề")
    WardFactory(name="Gia Thụy", district=ward.district)
    WardFactory(name="Trâu Quỳ")  # another district
    ActivityFactory(team=TeamFactory(residential_group__ward=ward))
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=ward.district))

    response = client.get(ACTIVITIES)

    assert filter_choices(response, "phường") == ["Phường Bồ Đề", "Phường Gia Thụy"]
    assert filter_choices(response, "đơn vị quản lý") is None  # a single district: no choice


def test_year_filter_offers_the_span_of_years_and_filters_superuser(admin_client):
    ActivityFactory(date=datetime.date(2024, 3, 1), title="Năm 2024")
    ActivityFactory(date=datetime.date(2026, 5, 1), title="Năm 2026")

    response = admin_client.get(ACTIVITIES)
    assert filter_choices(response, "năm") == ["2026", "2025", "2024"]

    response = admin_client.get(ACTIVITIES, {"date__year": "2024"})
    assert [a.title for a in response.context["cl"].result_list] == ["Năm 2024"]

    response = admin_client.get(ACTIVITIES, {"date__year": "abc"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_groups_and_teams_are_searched_without_accents_superuser(admin_client):
    TeamFactory(residential_group__name="Tổ dân phố số 5", residential_group__code="05")
    TeamFactory(residential_group__name="Tổ dân phố Đồng Dầu", residential_group__code="07")

    groups = admin_client.get(
        reverse("admin:wards_residentialgroup_changelist"), {"q": "dong dau"}
    )
    teams = admin_client.get(reverse("admin:teams_team_changelist"), {"q": "so 5"})

    assert [g.name for g in groups.context["cl"].result_list] == ["Tổ dân phố Đồng Dầu"]
    assert [t.residential_group.code for t in teams.context["cl"].result_list] == ["05"]


@pytest.mark.parametrize("year", ["0", "99999", "²"])
def test_a_year_no_record_can_have_gives_an_empty_list_superuser(admin_client, year):
    ActivityFactory()

    response = admin_client.get(ACTIVITIES, {"date__year": year})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("query", [{DISTRICT_PARAM: "²"}, {WARD_PARAM: "²", DISTRICT_PARAM: "1"}])
def test_a_unit_that_cannot_be_is_refused_as_django_refuses_a_bad_filter_superuser(
    admin_client, query
):
    ActivityFactory()

    response = admin_client.get(ACTIVITIES, query)

    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_an_action_on_more_rows_than_are_counted_is_refused_superuser(admin_client, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    ActivityFactory.create_batch(5)
    some = Activity.objects.order_by("pk")[:2]

    refused = admin_client.post(
        ACTIVITIES,
        {"action": "delete_selected", "select_across": "1", "_selected_action": [some[0].pk]},
        follow=True,
    )
    assert "tối đa 3 bản ghi" in refused.content.decode()
    assert Activity.objects.count() == 5

    admin_client.post(
        ACTIVITIES,
        {"action": "delete_selected", "post": "yes", "_selected_action": [a.pk for a in some]},
    )
    assert Activity.objects.count() == 3


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Bảo vệ môi trường", "Cờ thi đua", "An ninh"]),  # the model's order: latest first
        ("?o=1", ["An ninh", "Cờ thi đua", "Bảo vệ môi trường"]),  # the date, offered
        ("?o=-1", ["Bảo vệ môi trường", "Cờ thi đua", "An ninh"]),
        ("?o=2", ["Bảo vệ môi trường", "Cờ thi đua", "An ninh"]),  # the title: not offered
        ("?o=-2.5", ["Bảo vệ môi trường", "Cờ thi đua", "An ninh"]),
        ("?o=2.1", ["An ninh", "Cờ thi đua", "Bảo vệ môi trường"]),  # the date part only
    ],
)
def test_a_sort_not_offered_is_ignored_when_typed_superuser(admin_client, query, titles):
    # Made out of date order, so that the order they were made in is not the list's.
    for title, day in [("Cờ thi đua", 2), ("Bảo vệ môi trường", 3), ("An ninh", 1)]:
        ActivityFactory(title=title, date=datetime.date(2025, 3, day))

    response = admin_client.get(ACTIVITIES + query)

    assert response.status_code == 200
    assert [activity.title for activity in response.context["cl"].result_list] == titles


def test_a_rows_checkbox_is_djangos_own_html_superuser(admin_client):
    """Written by `ScopedModelAdmin.action_checkbox` rather than through the widget's
    templates: the same input, its label naming the row."""
    ward = WardFactory(name="Bồ Đề & Gia Thụy")

    html = admin_client.get(reverse("admin:wards_ward_changelist")).content.decode()

    assert (
        f'<td class="action-checkbox"><input type="checkbox" name="_selected_action" '
        f'value="{ward.pk}" class="action-select" aria-label="Chọn đối tượng này để thực hiện '
        'hành động - Phường Bồ Đề &amp; Gia Thụy"></td>'
    ) in html
    # And Django's own, whatever its version writes.
    model_admin = admin.site._registry[Ward]
    assert model_admin.action_checkbox(ward) == admin.ModelAdmin.action_checkbox(model_admin, ward)


def test_every_admin_list_offers_its_unit_and_ward_filters_as_labelled_lists_superuser(
    admin_client, monkeypatch
):
    """Every admin list, with each filter of units or wards in its list form (as at national
    scale): the page answers, and each list has its label and keeps the list's parameters."""
    monkeypatch.setattr(admin_filters, "LINKS_MAX", 0)
    for name in ("Long Biên", "Gia Lâm"):
        ActivityFactory(
            team=TeamFactory(residential_group__ward__district=DistrictFactory(name=name))
        )

    lists = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = admin_client.get(url, {"q": "a"})
        assert page.status_code == 200, url
        html = page.content.decode()
        selects = re.findall(r'<select id="filter-([^"]+)"', html)
        for name in selects:
            assert f'<label class="visually-hidden" for="filter-{name}">' in html, url
        assert html.count('<input type="hidden" name="q" value="a">') == len(selects), url
        if selects:
            lists[model._meta.label] = selects

    assert lists["teams.Activity"] == [DISTRICT_PARAM, WARD_PARAM]
    assert lists["wards.Ward"] == ["district__id__exact"]


def test_every_choice_of_every_admin_lists_filters_is_a_lookup_it_allows_superuser(admin_client):
    """The lookups a list reads are those its filters make (`CheckedListMixin`): each
    choice each filter offers answers with the list, not with a refusal."""
    ActivityFactory(team=TeamFactory(residential_group__ward__district=DistrictFactory()))

    asked = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = admin_client.get(url)
        assert page.status_code == 200, url
        for spec in page.context["cl"].filter_specs:
            for choice in list(spec.choices(page.context["cl"]))[:4]:
                response = admin_client.get(url + choice["query_string"])
                assert response.status_code == 200, (url, choice["query_string"])
                asked += 1

    assert asked == 142  # the choices offered, up to four a filter
