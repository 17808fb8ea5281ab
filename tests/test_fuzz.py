"""Odd values wherever a user can type one, and never a 500.

On one record of every model, a crawler signed in as the superuser and as the ward's officer opens
the home pages and follows every link, keeping one address per URL pattern and noting the
query parameters its links and filter forms use. Then, for every pattern:

- each argument of its path is replaced by odd values (letters where a number goes, a
  number beyond 64 bits, a NUL, 5,000 characters…);
- each query parameter it was seen with is given each odd value in turn;
- each form it shows (add and change pages, the workspace's and the seminar editor's forms)
  is posted with every field set to each odd value.

The answer may be a page, a redirect, a refusal, a 400 or a 404, never a 500 (the test client
raises the server's exception, so the failure shows its traceback). A guard checks that the
crawl reached every URL pattern but those listed in `NOT_CRAWLED`.
"""

import dataclasses
import datetime
import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from awards.models import Evidence
from core.models import ImportJob
from core.periods import Period
from tests.factories import (
    ActivityFactory,
    AttendeeFactory,
    CitizenFeedbackFactory,
    ContributionFactory,
    DirectiveFactory,
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
from tests.shared import module_records
from wards.models import GroupSuccession, Reorganisation, SecurityEvent, User
from wards.roles import Role
from workreports.services import period_open

pytestmark = pytest.mark.django_db

# A NUL anywhere, a query value beyond 1,000 characters or a posted one beyond 200,000 are
# refused before any view (`danvan.middleware.BoundedRequestMiddleware`, tested in
# test_security.py); the values below reach the views.
FORM_VALUES = {
    "letters": "abc",
    "a number beyond 64 bits": "9" * 25,
    "5,000 characters": "x" * 5000,
}
QUERY_VALUES = ["abc", "9" * 25, "a " * 499]
PATH_VALUES = ["abc", "9" * 25, "-1", "x" * 5000, "1' OR '1'='1"]

PERSONAS = ["admin", "officer"]


def officer_route(route):
    """The officer's pages: the site's and the admin's lists (scoped filters); the rest of
    the admin runs the superuser's code with scoped choices (test_access.py)."""
    return not route.startswith("admin/") or re.fullmatch(r"admin/\w+/\w+/", route)


# Whose pages each persona fuzzes.
FUZZED = {"admin": lambda route: True, "officer": officer_route}
# Posted as the page gave them: the form's token and its formsets' counts.
KEPT_FIELDS = r"csrfmiddlewaretoken|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS"
SKIPPED_LINKS = ("/static/", "/media/", "/accounts/logout/", "/admin/logout/")

# URL patterns no link leads to, and why.
NOT_CRAWLED = {
    "accounts/logout/": "POST only",
    "admin/logout/": "POST only",
    "seminars/<int:pk>/number/report/": "POST only (tests/test_registry.py)",
    "seminars/<int:pk>/number/notice/": "POST only (tests/test_registry.py)",
    "work-reports/<int:pk>/issue/": "POST only (tests/test_workreports.py)",
    "directives/<int:pk>/carry-over/": "POST only (tests/test_directives.py)",
    "admin/wards/reorganisation/<int:pk>/plan/<uuid:job_id>/": (
        "a plan's check, reached by sending a file (tests/test_reorganisations.py)"
    ),
}


def make_world():
    """One record of every model, in one ward of one managing unit, with its officer, and a
    superuser: every page has something to show, and little to render."""
    ward = WardFactory(district=DistrictFactory(name="Long Biên"), name="Thượng Thanh")
    officer = RoleUserFactory(username="officer", role=Role.WARD_OFFICER, wards=[ward])
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    group = ResidentialGroupFactory(ward=ward)
    # A group a reorganisation made from it, without its team yet: the ward's home links to
    # the page that makes it (kiện toàn tổ dân vận).
    reform = datetime.date(2025, 7, 1)
    GroupSuccession.objects.create(
        reorganisation=Reorganisation.objects.create(
            kind=Reorganisation.Kind.DECISION,
            number="12/QĐ-UBND",
            signed_on=reform,
            issuer="UBND phường Thượng Thanh",
            title="Sáp nhập tổ dân phố",
            effective_on=reform,
        ),
        predecessor=group,
        successor=ResidentialGroupFactory(ward=ward, valid_from=reform),
    )
    team = TeamFactory(residential_group=group)
    member = MemberFactory(team=team)
    # Recorded twice: the page of duplicates links their merge.
    PersonFactory(
        residential_group=group,
        full_name=member.person.full_name,
        birth_year=member.person.birth_year,
    )
    # Of this month, so that the ward's home lists them with their links.
    ActivityFactory(team=team, date=timezone.localdate())
    CitizenFeedbackFactory(team=team, received_on=timezone.localdate())
    # Of this year, so that the year's list links its page; with a file (whose bytes this
    # world does not write: its link answers 404).
    exemplary_model = ExemplaryModelFactory(ward=ward, team=team, year=timezone.localdate().year)
    Evidence.objects.create(
        exemplary_model=exemplary_model,
        file="evidence/bien-ban.pdf",
        name="bien-ban.pdf",
        kind=Evidence.Kind.PDF,
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    TrainingFactory(
        district=ward.district, ward=ward, organiser_level="ward", attendees=[member.person]
    )
    PrestigiousPersonFactory(residential_group=group)
    PositionFactory(person=member.person)
    seminar = SeminarFactory(district=ward.district)
    session = SeminarSessionFactory(seminar=seminar, wards=[ward])
    attendee = AttendeeFactory(seminar=seminar, session=session)
    ContributionFactory(session=session, ward=ward)
    DirectivePointFactory(seminar=seminar, session=session, speaker=attendee)
    task = DirectiveTaskFactory(seminar=seminar)
    ProgressReportFactory(assignment=TaskAssignmentFactory(task=task, ward=ward))
    plan = DirectiveFactory(district=ward.district)
    TaskAssignmentFactory(task=DirectiveTaskFactory(directive=plan), ward=ward)
    # A period the unit asked its wards to report on: its page, the ward's report.
    period_open(
        district=ward.district, period=Period.month(2026, 10), deadline="2026-11-05", user=None
    )
    SecurityEvent.objects.create(kind="login", user=officer, username=officer.username)
    attempt = {"user_agent": "Firefox", "ip_address": "10.0.0.9", "username": "officer"}
    attempt |= {"http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt)
    AccessLog.objects.create(**attempt)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_records(django_db_blocker, make_world):
        yield


class _PageParser(HTMLParser):
    """The links of a page, the fields of its GET forms, and whether it has a form that
    posts (other than the header's sign-out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self.get_fields = set()
        self.posts = False
        self._method = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._method = attrs.get("method", "get").lower()
            if self._method == "get" and attrs.get("action"):
                self.links.append(attrs["action"])
            if self._method == "post" and "logout" not in attrs.get("action", ""):
                self.posts = True
        elif tag in ("input", "select", "textarea") and self._method == "get" and "name" in attrs:
            self.get_fields.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._method = None


@dataclasses.dataclass
class Crawl:
    urls: dict  # route → the first address found for it
    params: dict  # route → the query parameters seen with it
    post_forms: dict  # route → an address whose page has a form that posts


def route_of(path):
    try:
        return resolve(path).route
    except Resolver404:
        return None


def seeds():
    """Where the crawl starts: the home pages, and the addresses no link leads to (a past
    version's page, the address of a record without its view, the autocomplete, scripts,
    an import's pages)."""
    urls = ["/", "/admin/", "/admin/jsi18n/", "/accounts/login/", "/admin/login/"]
    urls += ["/accounts/password/done/", "/admin/password_change/done/", "/admin/x/y/"]
    urls += ["/i18n/setlang/?next=/"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            obj = model(pk=1)  # a record that does not exist: a 404 to begin with
        urls += [f"/admin/{info[0]}/{info[1]}/{obj.pk}/", f"/admin/r/1/{obj.pk}/"]
        urls += [
            reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk])
            for view in ("change", "delete", "history")
        ]
        if hasattr(model, "history") and obj._state.db:
            version = model.history.filter(**{model._meta.pk.attname: obj.pk}).first()
            if version:
                urls.append(
                    reverse(
                        "admin:{}_{}_simple_history".format(*info),
                        args=[obj.pk, version.history_id],
                    )
                )
        if getattr(model_admin, "importer_class", None):
            job = ImportJob.objects.create(
                importer=model_admin.importer_class.name,
                file=ContentFile(b"a,b\n1,2\n", name="f.csv"),
                file_name="f.csv",
                user=User.objects.get(username="admin"),
            )
            urls.append(reverse("admin:{}_{}_import_job".format(*info), args=[job.pk]))
            urls.append(reverse("admin:{}_{}_process_import".format(*info)))
    for model_admin in admin.site._registry.values():
        for field in model_admin.autocomplete_fields:
            info = (model_admin.opts.app_label, model_admin.opts.model_name, field)
            urls.append(
                "/admin/autocomplete/?app_label={}&model_name={}&field_name={}&term=a".format(
                    *info
                )
            )
    return urls


def crawl(client, starts, fuzzed):
    found = Crawl({}, defaultdict(set), {})
    queue = deque(start for start in starts if fuzzed(route_of(urlsplit(start).path)))
    while queue:
        url = queue.popleft()
        response = client.get(url)
        route = route_of(urlsplit(url).path)
        found.urls.setdefault(route, url)
        found.params[route] |= {key for key, _ in parse_qsl(urlsplit(url).query)}
        links = [response["Location"]] if response.status_code == 302 else []
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            parser = _PageParser()
            parser.feed(response.text)
            links = parser.links
            found.params[route] |= parser.get_fields
            if parser.posts and route not in found.post_forms:
                found.post_forms[route] = url
        for href in links:
            address = urljoin(url, href)
            parts = urlsplit(address)
            if parts.netloc or parts.scheme or address.startswith(SKIPPED_LINKS):
                continue
            target = route_of(parts.path)
            if target is None or not fuzzed(target):
                continue
            found.params[target] |= {key for key, _ in parse_qsl(parts.query)}
            if target not in found.urls:
                found.urls[target] = address
                queue.append(address)
    return found


@pytest.fixture(scope="module")
def crawls(world, django_db_blocker):
    with django_db_blocker.unblock():
        starts = seeds()
        return {
            persona: crawl(signed_in(persona), starts, FUZZED[persona]) for persona in PERSONAS
        }


def signed_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def all_routes():
    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            # A regular expression's "^" is left out of the routes, as `resolve` does.
            route = prefix + str(pattern.pattern).removeprefix("^")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            else:
                yield route

    return set(walk(get_resolver()))


class Failures(list):
    """The requests that failed (a 500, or the exception the test client raises for it),
    collected so that one run names them all."""

    def request(self, client, method, url, data=None, *, what):
        try:
            response = getattr(client, method)(url, data)
        except Exception as error:  # the server's error, re-raised by the test client
            self.append(f"{what}: {type(error).__name__}: {str(error)[:200]}")
            return
        if response.status_code >= 500:
            self.append(f"{what}: {response.status_code}")


def test_crawl_reaches_every_url_pattern(crawls):
    reached = set().union(*(crawl.urls for crawl in crawls.values()))

    missing = all_routes() - reached - set(NOT_CRAWLED)

    assert not missing, f"URL patterns no link leads to: {sorted(missing)}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzz_odd_values_in_the_path_never_500(crawls, persona):
    client, failures = signed_in(persona), Failures()
    for route, url in sorted(crawls[persona].urls.items()):
        path = urlsplit(url).path
        match = resolve(path)
        for argument in [*match.args, *match.kwargs.values()]:
            for value in PATH_VALUES:
                odd = path.replace(f"/{quote(str(argument))}/", f"/{quote(value, safe='')}/", 1)
                failures.request(client, "get", odd, what=f"GET {odd[:150]!r} ({route})")

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzz_odd_values_in_the_query_string_never_500(crawls, persona):
    client, failures = signed_in(persona), Failures()
    for route, url in sorted(crawls[persona].urls.items()):
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        for key in sorted(crawls[persona].params[route]):
            for value in QUERY_VALUES:
                odd = f"{parts.path}?{urlencode(query | {key: value})}"
                failures.request(client, "get", odd, what=f"GET {odd[:150]!r} ({route})")

    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_fuzz_odd_values_in_every_form_never_500(crawls, persona):
    client, failures = signed_in(persona), Failures()
    for route, url in sorted(crawls[persona].post_forms.items()):
        if route.endswith("/delete/"):
            continue  # a confirmation: nothing typed (its address is fuzzed above)
        form = posted_form(client.get(url).text)
        fields = [name for name in form if not re.search(KEPT_FIELDS, name)]
        for label, value in FORM_VALUES.items():
            data = form | dict.fromkeys(fields, value)
            failures.request(client, "post", url, data, what=f"POST {url} with {label} ({route})")

    assert not failures, "\n".join(failures)
