"""Who sees and changes what: every URL of the site and the admin, for every persona.

Three wards: A and B in district D1, C in district D2. Every record of a ward carries the
ward's marker ("BIMAT-WARD-B" …) in its text, so a page that shows it is caught by a substring
test, whatever the template. `ROUTES` says how each URL pattern is requested; a guard test
fails when a pattern is added without an entry, and the matrices request every entry:

- anonymous: every URL but the public ones redirects to a login page;
- out of scope (A's officer and ward B's records; D1's viewer, staff and administrator and
  ward C's): 404, or 403 for what the role may not do, and never the other ward's marker;
  POSTs to every URL that writes change nothing in the database;
- in scope (A's officer and ward A; D1's viewer and ward B): the pages open (the control that
  the matrix requests real records), and the viewer's POSTs answer 403 and write nothing.

Known leaks and bugs are strict xfails (`KNOWN_BUGS` for the matrices): they pass once the
app is fixed, and the xfail then fails, asking for its removal.

The records are made once per module, in a transaction rolled back at its end; each test runs
in a savepoint of it, so no test sees another's writes.
"""

import dataclasses
import io
import pathlib
from collections.abc import Callable

import openpyxl
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.forms import BooleanField, SplitDateTimeField
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.views import static
from tablib import Dataset

from awards.models import Evidence
from core.models import ImportJob
from core.periods import Period
from meetings.models import (
    Attendee,
    Contribution,
    Directive,
    DirectivePoint,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
    TaskAssignment,
)
from meetings.resources import ProgressReportResource
from people.models import Position
from people.resources import PersonResource, PositionResource
from teams.models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)
from teams.resources import (
    ActivityResource,
    ExemplaryModelResource,
    FeedbackResource,
    MemberResource,
    PrestigiousPersonResource,
    TeamResource,
    TrainingResource,
)
from tests import grants
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
from tests.shared import admin_url, module_records
from wards.models import District, Reorganisation, ResidentialGroup, SecurityEvent, User, Ward
from wards.reorganisations import OLD_GROUP, OLD_WARD, PLAN_COLUMNS
from wards.resources import ResidentialGroupResource, WardResource
from wards.roles import Role
from workreports.models import ReportingPeriod, WardReport
from workreports.services import period_open

pytestmark = pytest.mark.django_db

MARKERS = {letter: f"BIMAT-WARD-{letter}" for letter in "ABC"}
PASSWORD = "mat-khau-thu-nghiem"  # the factories' password
NEW_PASSWORD = "Mat-khau-moi-rat-dai-2025"


# The records


@dataclasses.dataclass
class Side:
    """One ward's records, each with the ward's marker in its text (the ward's own name is
    plain: seminars shared with other wards show it to them)."""

    letter: str
    marker: str
    district: District
    ward: Ward
    group: ResidentialGroup
    spare_group: ResidentialGroup  # a group without a team, for adding one
    team: Team
    member: Member
    activity: Activity
    feedback: CitizenFeedback
    exemplary_model: ExemplaryModel
    training: Training  # ward-level
    prestigious_person: PrestigiousPerson
    position: Position
    officer: User
    event: SecurityEvent
    # A seminar that concerns this ward only: a cluster of it, a task assigned to it.
    seminar: Seminar
    session: SeminarSession
    attendee: Attendee
    contribution: Contribution
    directive_point: DirectivePoint
    task: DirectiveTask
    spare_task: DirectiveTask  # assigned to no ward, for assigning it
    assignment: TaskAssignment
    progress_report: ProgressReport
    plan: Directive  # a directive that is not a seminar's, with a task given to this ward
    # The work reports its managing unit asked for, and this ward's.
    reporting: ReportingPeriod | None = None
    work_report: WardReport | None = None


@dataclasses.dataclass
class World:
    d1: District
    d2: District
    sides: dict[str, Side]
    users: dict[str, User]
    # A D1 seminar shared by A and B: cluster 1 includes both; task 1 is assigned to both.
    shared_seminar: Seminar
    shared_task: DirectiveTask
    shared_assignments: dict[str, TaskAssignment]
    shared_reports: dict[str, ProgressReport]
    # A D1 seminar that concerns A only through a task assigned to it (its cluster is B's).
    task_only_seminar: Seminar
    other_group: Group  # not a role
    axes_rows: dict
    reorganisation: Reorganisation  # recorded, not applied; of no ward yet


def make_side(letter, district, officer):
    marker = MARKERS[letter]
    ward = WardFactory(district=district, name=f"Phường {letter}")
    officer.wards.add(ward)
    group = ResidentialGroupFactory(ward=ward, name=f"Tổ {marker}")
    team = TeamFactory(residential_group=group)
    member = MemberFactory(team=team, full_name=f"Nguyễn Văn {marker}")
    seminar = SeminarFactory(district=district, title=f"Tọa đàm riêng {marker}")
    session = SeminarSessionFactory(
        seminar=seminar, number=1, venue=f"Hội trường {marker}", wards=[ward]
    )
    task = DirectiveTaskFactory(seminar=seminar, number=1, text=f"Nhiệm vụ {marker}")
    assignment = TaskAssignmentFactory(task=task, ward=ward)
    plan = DirectiveFactory(district=district, title=f"Kế hoạch {marker}")
    TaskAssignmentFactory(task=DirectiveTaskFactory(directive=plan, number=1), ward=ward)
    return Side(
        letter=letter,
        marker=marker,
        district=district,
        ward=ward,
        group=group,
        spare_group=ResidentialGroupFactory(ward=ward, name=f"Tổ mới {marker}"),
        team=team,
        member=member,
        activity=ActivityFactory(team=team, title=f"Tổng vệ sinh {marker}"),
        feedback=CitizenFeedbackFactory(team=team, summary=f"Kiến nghị {marker}"),
        exemplary_model=ExemplaryModelFactory(ward=ward, team=team, name=f"Mô hình {marker}"),
        training=TrainingFactory(
            district=district,
            ward=ward,
            organiser_level=Training.Level.WARD,
            title=f"Tập huấn {marker}",
            attendees=[member.person],
        ),
        prestigious_person=PrestigiousPersonFactory(
            residential_group=group, full_name=f"Lê Văn {marker}"
        ),
        position=PositionFactory(person=member.person, organisation=f"Chi hội {marker}"),
        officer=officer,
        event=SecurityEvent.objects.create(
            kind=SecurityEvent.Kind.LOGIN,
            user=officer,
            username=officer.username,
            detail=f"Đăng nhập {marker}",
        ),
        seminar=seminar,
        session=session,
        attendee=AttendeeFactory(seminar=seminar, full_name=f"Phạm Văn {marker}"),
        contribution=ContributionFactory(
            session=session, order=1, ward=ward, speaker=f"Đỗ Thị {marker}"
        ),
        directive_point=DirectivePointFactory(seminar=seminar, number=1, text=f"Ý {marker}"),
        task=task,
        spare_task=DirectiveTaskFactory(seminar=seminar, number=2, text=f"Việc {marker}"),
        assignment=assignment,
        progress_report=ProgressReportFactory(
            assignment=assignment, narrative=f"Báo cáo {marker}"
        ),
        plan=plan,
    )


def make_world():
    d1 = DistrictFactory(name="Long Biên")
    d2 = DistrictFactory(name=f"Gia Lâm {MARKERS['C']}")
    users = {
        "officer_a": RoleUserFactory(username="officer_a", role=Role.WARD_OFFICER),
        "officer_b": RoleUserFactory(
            username="officer_b", role=Role.WARD_OFFICER, last_name=MARKERS["B"]
        ),
        "officer_c": RoleUserFactory(
            username="officer_c", role=Role.WARD_OFFICER, last_name=MARKERS["C"]
        ),
        "viewer_d1": RoleUserFactory(username="viewer_d1", role=Role.VIEWER, district=d1),
        "staff_d1": RoleUserFactory(username="staff_d1", role=Role.DISTRICT_STAFF, district=d1),
        "administrator_d1": RoleUserFactory(
            username="administrator_d1", role=Role.ADMINISTRATOR, district=d1
        ),
        "administrator_d2": RoleUserFactory(
            username="administrator_d2",
            role=Role.ADMINISTRATOR,
            district=d2,
            last_name=MARKERS["C"],
        ),
        "superuser": UserFactory(username="superuser", is_staff=True, is_superuser=True),
    }
    sides = {
        "A": make_side("A", d1, users["officer_a"]),
        "B": make_side("B", d1, users["officer_b"]),
        "C": make_side("C", d2, users["officer_c"]),
    }
    shared_seminar = SeminarFactory(district=d1, title="Tọa đàm chung của A và B")
    shared_session = SeminarSessionFactory(
        seminar=shared_seminar, number=1, wards=[sides["A"].ward, sides["B"].ward]
    )
    AttendeeFactory(seminar=shared_seminar, session=shared_session, full_name="Chủ trì chung")
    shared_task = DirectiveTaskFactory(seminar=shared_seminar, number=1, text="Việc chung")
    shared_assignments = {
        letter: TaskAssignmentFactory(task=shared_task, ward=sides[letter].ward) for letter in "AB"
    }
    for district in (d1, d2):
        reporting = period_open(
            district=district, period=Period.month(2026, 10), deadline="2026-11-05", user=None
        )
        for side in sides.values():
            if side.district == district:
                side.reporting = reporting
                side.work_report = reporting.ward_reports.get(ward=side.ward)
                side.work_report.results = f"Kết quả {side.marker}"
                side.work_report.save(update_fields=["results"])
    task_only_seminar = SeminarFactory(district=d1, title="Tọa đàm giao việc cho A")
    SeminarSessionFactory(seminar=task_only_seminar, number=1, wards=[sides["B"].ward])
    TaskAssignmentFactory(
        task=DirectiveTaskFactory(seminar=task_only_seminar, number=1), ward=sides["A"].ward
    )
    # A D1 seminar with neither clusters nor tasks yet: district staff see it, officers not.
    SeminarFactory(district=d1, title="Tọa đàm đang chuẩn bị")

    axes_fields = {
        "user_agent": "Firefox",
        "ip_address": "10.0.0.9",
        "username": MARKERS["B"],
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    return World(
        d1=d1,
        d2=d2,
        sides=sides,
        users=users,
        shared_seminar=shared_seminar,
        shared_task=shared_task,
        shared_assignments=shared_assignments,
        shared_reports={
            letter: ProgressReportFactory(
                assignment=assignment, narrative=f"Tiến độ chung {MARKERS[letter]}"
            )
            for letter, assignment in shared_assignments.items()
        },
        task_only_seminar=task_only_seminar,
        other_group=Group.objects.create(name=f"Nhóm {MARKERS['B']}"),
        reorganisation=Reorganisation.objects.create(
            kind=Reorganisation.Kind.DECISION,
            number="1/QĐ-UBND",
            signed_on="2026-06-01",
            issuer="Ủy ban nhân dân thành phố",
            title="Sáp nhập tổ dân phố",
            effective_on="2026-07-01",
        ),
        axes_rows={
            "axes.accessattempt": AccessAttempt.objects.create(
                **axes_fields, get_data="", post_data="", failures_since_start=1
            ),
            "axes.accessfailurelog": AccessFailureLog.objects.create(**axes_fields),
            "axes.accesslog": AccessLog.objects.create(**axes_fields),
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Made before the function-scoped fast_password_hasher fixture applies.
    with module_records(django_db_blocker, make_world) as world:
        yield world


def records_of(world, letter, *, district):
    """The record of each admin model that the matrices request for ward `letter`.

    `district` stands for the managing unit: ward B has none of its own (D1 is A's too), so
    the tests of A's officer name D2 instead.
    """
    side = world.sides[letter]
    return {
        "auth.group": world.other_group,
        **world.axes_rows,
        "wards.securityevent": side.event,
        "wards.user": side.officer,
        "wards.district": district,
        "wards.reorganisation": world.reorganisation,
        "wards.ward": side.ward,
        "wards.residentialgroup": side.group,
        "teams.team": side.team,
        "teams.member": side.member,
        "teams.activity": side.activity,
        "teams.citizenfeedback": side.feedback,
        "teams.exemplarymodel": side.exemplary_model,
        "teams.training": side.training,
        "teams.prestigiousperson": side.prestigious_person,
        "people.person": side.member.person,
        "people.position": side.position,
        "meetings.seminar": side.seminar,
        "meetings.seminarsession": side.session,
        "meetings.attendee": side.attendee,
        "meetings.contribution": side.contribution,
        "meetings.directivepoint": side.directive_point,
        "meetings.directive": side.plan,
        "meetings.directivetask": side.task,
        "meetings.taskassignment": side.assignment,
        "meetings.progressreport": side.progress_report,
        "workreports.reportingperiod": side.reporting,
        "workreports.wardreport": side.work_report,
    }


# Who is outside whose scope: A's officer and ward B; D1's roles and ward C (district D2).
OUTSIDERS = {
    "officer_a": "B",
    "viewer_d1": "C",
    "staff_d1": "C",
    "administrator_d1": "C",
}


def outside_records(world, persona):
    return records_of(world, OUTSIDERS[persona], district=world.d2)


def forbidden_markers(persona):
    return [MARKERS["B"], MARKERS["C"]] if persona == "officer_a" else [MARKERS["C"]]


# Every URL pattern, and how the tests request it


@dataclasses.dataclass(frozen=True)
class Route:
    """How the tests request one URL pattern.

    `kind` names what the pattern is (a view of the admin of `model`, or a page); `url`
    builds the address of a page outside the model admins from one ward's records.
    """

    kind: str
    model: str = ""
    url: Callable[[dict], str] | None = None


def page(name, *args, query=""):
    return lambda records: reverse(name, args=args) + query


def overview_url(records):
    return reverse("reports:overview") + f"?seminar={records['meetings.seminar'].pk}"


def ward_home_url(records):
    return reverse("reports:ward_home", args=[records["wards.ward"].code])


WORKSPACE_KINDS = {
    "member": "teams.member",
    "activity": "teams.activity",
    "feedback": "teams.citizenfeedback",
}


def ward_page_url(name):
    return lambda records: reverse(name, args=[records["wards.ward"].code])


def record_page_url(name, label):
    return lambda records: reverse(name, args=[records[label].pk])


def autocomplete_url(records):
    # The residential groups a team's form offers (every autocomplete field has its own
    # test below).
    query = "?app_label=teams&model_name=team&field_name=residential_group"
    return reverse("admin:autocomplete") + query


def view_on_site_url(records):
    member = records["teams.member"]
    content_type = ContentType.objects.get_for_model(member)
    return reverse("admin:view_on_site", args=[content_type.pk, member.pk])


def merge_url(records):
    """The merge's preview of the ward's prestigious person into its member's person."""
    person = records["people.person"]
    other = PrestigiousPerson.objects.get(residential_group=person.residential_group).person
    return reverse("people:merge", args=[person.pk, other.pk])


def evidence_url(records):
    """The model's evidence file, written where the test's MEDIA_ROOT keeps it."""
    model = records["teams.exemplarymodel"]
    evidence = model.evidence.first() or Evidence.objects.create(
        exemplary_model=model,
        file=f"evidence/{model.year}/{model.pk}.pdf",
        name="bien-ban.pdf",
        kind=Evidence.Kind.PDF,
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    path = pathlib.Path(settings.MEDIA_ROOT) / evidence.file.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n")
    return reverse("awards:evidence_file", args=[evidence.pk])


SEMINAR_PARTS = ("sessions", "attendees", "contributions", "points", "tasks")

PAGE_ROUTES = {
    # The site's pages. (There is no jsi18n outside the admin.)
    "home": Route("home", url=page("home")),
    # The district's dashboard, asked for the records' seminar (and as a workbook, below).
    "reports:overview": Route("unit_page", url=overview_url),
    "reports:ward_home": Route("ward_page", url=ward_home_url),
    "reports:ward_dashboard": Route("ward_page", url=ward_page_url("reports:ward_dashboard")),
    "reports:ward_lineage": Route("ward_page", url=ward_page_url("reports:ward_lineage")),
    # The ward's workspace: lists (and their Excel files), forms, a team's page.
    **{
        f"teams:{kind}_list": Route("ward_page", url=ward_page_url(f"teams:{kind}_list"))
        for kind in ("member", "activity", "feedback")
    },
    **{
        f"teams:{kind}_add": Route("site_add", model=label, url=ward_page_url(f"teams:{kind}_add"))
        for kind, label in WORKSPACE_KINDS.items()
    },
    **{
        f"teams:{kind}_{action}": Route(
            f"site_{action}", model=label, url=record_page_url(f"teams:{kind}_{action}", label)
        )
        for kind, label in WORKSPACE_KINDS.items()
        for action in ("edit", "delete")
    },
    "teams:team_detail": Route(
        "site_view", model="teams.team", url=record_page_url("teams:team_detail", "teams.team")
    ),
    # People: a ward's list, a person's page and form, the duplicates and a merge.
    "people:person_list": Route("ward_page", url=ward_page_url("people:person_list")),
    "people:person_add": Route(
        "site_add", model="people.person", url=ward_page_url("people:person_add")
    ),
    "people:duplicates": Route(
        "site_edit", model="people.person", url=ward_page_url("people:duplicates")
    ),
    "people:person_detail": Route(
        "site_view",
        model="people.person",
        url=record_page_url("people:person_detail", "people.person"),
    ),
    "people:person_edit": Route(
        "site_edit",
        model="people.person",
        url=record_page_url("people:person_edit", "people.person"),
    ),
    "people:merge": Route("site_edit", model="people.person", url=merge_url),
    "people:position_add": Route(
        "site_add",
        model="people.position",
        url=record_page_url("people:position_add", "people.person"),
    ),
    "teams:prestige_add": Route(
        "site_add",
        model="teams.prestigiousperson",
        url=record_page_url("teams:prestige_add", "people.person"),
    ),
    # Trainings: the list, a new one, its page (with its attendance) and its form.
    "teams:training_list": Route("page", url=page("teams:training_list")),
    "teams:training_add": Route("create", model="teams.training", url=page("teams:training_add")),
    "teams:training_detail": Route(
        "site_view",
        model="teams.training",
        url=record_page_url("teams:training_detail", "teams.training"),
    ),
    "teams:training_edit": Route(
        "site_edit",
        model="teams.training",
        url=record_page_url("teams:training_edit", "teams.training"),
    ),
    "teams:feedback_detail": Route(
        "site_view",
        model="teams.citizenfeedback",
        url=record_page_url("teams:feedback_detail", "teams.citizenfeedback"),
    ),
    # “Dân vận khéo”: the year's list, a ward's registration, a model's page and its files.
    "awards:model_list": Route("page", url=page("awards:model_list")),
    "awards:model_add": Route(
        "site_add", model="teams.exemplarymodel", url=ward_page_url("awards:model_add")
    ),
    **{
        f"awards:model_{name}": Route(
            f"site_{name.replace('detail', 'view')}",
            model="teams.exemplarymodel",
            url=record_page_url(f"awards:model_{name}", "teams.exemplarymodel"),
        )
        for name in ("detail", "edit")
    },
    "awards:evidence_file": Route("site_view", model="teams.exemplarymodel", url=evidence_url),
    "awards:person_models": Route(
        "site_edit",
        model="teams.exemplarymodel",
        url=record_page_url("awards:person_models", "people.person"),
    ),
    # Kiện toàn tổ dân vận: a team made for a group, from the teams of those it came from.
    "teams:team_reorganise": Route(
        "site_add",
        model="teams.team",
        url=record_page_url("teams:team_reorganise", "wards.residentialgroup"),
    ),
    "meetings:progress_add": Route(
        "site_add",
        model="meetings.progressreport",
        url=record_page_url("meetings:progress_add", "meetings.taskassignment"),
    ),
    "meetings:progress_edit": Route(
        "site_edit",
        model="meetings.progressreport",
        url=record_page_url("meetings:progress_edit", "meetings.progressreport"),
    ),
    # Seminars: the list, the editor (the seminar and each part of it), the page and the PDFs.
    "meetings:seminar_list": Route("page", url=page("meetings:seminar_list")),
    "meetings:seminar_add": Route(
        "create", model="meetings.seminar", url=page("meetings:seminar_add")
    ),
    **{
        f"meetings:seminar_{name}": Route(
            "site_edit",
            model="meetings.seminar",
            url=record_page_url(f"meetings:seminar_{name}", "meetings.seminar"),
        )
        for name in ("edit", *SEMINAR_PARTS)
    },
    **{
        name: Route(
            "site_view", model="meetings.seminar", url=record_page_url(name, "meetings.seminar")
        )
        for name in (
            "meetings:seminar_detail",
            "reports:seminar_report_pdf",
            "reports:conclusion_notice_pdf",
            "reports:progress_report_pdf",
        )
    },
    "meetings:directive_list": Route("page", url=page("meetings:directive_list")),
    "meetings:directive_add": Route(
        "create", model="meetings.directive", url=page("meetings:directive_add")
    ),
    "meetings:directive_detail": Route(
        "site_view",
        model="meetings.directive",
        url=record_page_url("meetings:directive_detail", "meetings.directive"),
    ),
    **{
        f"meetings:directive_{name}": Route(
            "site_edit",
            model="meetings.directive",
            url=record_page_url(f"meetings:directive_{name}", "meetings.directive"),
        )
        for name in ("edit", "tasks")
    },
    "meetings:directive_carry_over": Route(
        "post_only",
        url=record_page_url("meetings:directive_carry_over", "meetings.directive"),
    ),
    "reports:directive_progress_pdf": Route(
        "site_view",
        model="meetings.directive",
        url=record_page_url("reports:directive_progress_pdf", "meetings.directive"),
    ),
    "login": Route("login", url=page("login")),
    "logout": Route("logout", url=page("logout")),
    "password_change": Route("page", url=page("password_change")),
    "reminders:settings": Route("page", url=page("reminders:settings")),
    # The reporting cycle: the unit's periods and their pages, a ward's reports.
    "workreports:period_list": Route("unit_page", url=page("workreports:period_list")),
    "registry:register": Route("unit_page", url=page("registry:register")),
    "workreports:period_create": Route(
        "create", model="workreports.reportingperiod", url=page("workreports:period_create")
    ),
    **{
        name: Route(
            "unit_record",
            model="workreports.consolidatedreport",
            url=record_page_url(name, "workreports.reportingperiod"),
        )
        for name in ("workreports:consolidation", "reports:consolidated_report_pdf")
    },
    "workreports:consolidated_edit": Route(
        "unit_edit",
        model="workreports.consolidatedreport",
        url=record_page_url("workreports:consolidated_edit", "workreports.reportingperiod"),
    ),
    **{
        f"meetings:seminar_number_{document}": Route(
            "post_only",
            url=record_page_url(f"meetings:seminar_number_{document}", "meetings.seminar"),
        )
        for document in ("report", "notice")
    },
    "workreports:consolidated_issue": Route(
        "post_only",
        url=record_page_url("workreports:consolidated_issue", "workreports.reportingperiod"),
    ),
    "workreports:ward_reports": Route("ward_page", url=ward_page_url("workreports:ward_reports")),
    "workreports:ward_report": Route(
        "site_view",
        model="workreports.wardreport",
        url=record_page_url("workreports:ward_report", "workreports.wardreport"),
    ),
    "password_change_done": Route("page", url=page("password_change_done")),
    "set_language": Route("set_language", url=page("set_language", query="?next=/")),
    # The admin site's own pages.
    "admin:index": Route("page", url=page("admin:index")),
    "admin:login": Route("admin_login", url=page("admin:login")),
    "admin:logout": Route("logout", url=page("admin:logout")),
    "admin:password_change": Route("page", url=page("admin:password_change")),
    "admin:password_change_done": Route("page", url=page("admin:password_change_done")),
    "admin:jsi18n": Route("page", url=page("admin:jsi18n")),
    "admin:app_list": Route("page", url=page("admin:app_list", "teams")),
    "admin:autocomplete": Route("autocomplete", url=autocomplete_url),
    "admin:view_on_site": Route("not_found", url=view_on_site_url),  # no get_absolute_url
    "admin/(?P<url>.*)$": Route("not_found", url=page("admin:index", query="x/y/")),
    # A reorganisation's plan: sent, checked, applied on confirmation (the superuser's only;
    # tests/test_reorganisations.py posts the confirmation as every role).
    "admin:wards_reorganisation_plan": Route(
        "import",
        model="wards.reorganisation",
        url=record_page_url("admin:wards_reorganisation_plan", "wards.reorganisation"),
    ),
    "admin:wards_reorganisation_plan_check": Route(
        "import_job", model="wards.reorganisation", url=lambda records: plan_job_url(records)
    ),
    "admin:wards_reorganisation_plan_template": Route(
        "import_template",
        model="wards.reorganisation",
        url=page("admin:wards_reorganisation_plan_template"),
    ),
}

# The views of each model admin: "redirect" is the unnamed `<id>/` pattern (to the change
# page), "simple_history" a past version's page, "password" the user admin's password form.
ADMIN_VIEWS = ("changelist", "add", "change", "delete", "history", "redirect")
HISTORY = (*ADMIN_VIEWS, "simple_history")
# Imports: the upload (a check by the worker follows), the confirmation, the job's page and
# the template to fill in.
IMPORT_EXPORT = (*HISTORY, "import", "process_import", "import_job", "import_template", "export")

ADMIN_MODELS = {
    "auth.group": ADMIN_VIEWS,
    "axes.accessattempt": ADMIN_VIEWS,
    "axes.accessfailurelog": ADMIN_VIEWS,
    "axes.accesslog": ADMIN_VIEWS,
    "wards.securityevent": ADMIN_VIEWS,
    "wards.user": (*HISTORY, "password"),
    "wards.district": HISTORY,
    "wards.reorganisation": HISTORY,
    "wards.ward": IMPORT_EXPORT,
    "wards.residentialgroup": IMPORT_EXPORT,
    "teams.team": IMPORT_EXPORT,
    "teams.member": IMPORT_EXPORT,
    "teams.activity": IMPORT_EXPORT,
    "teams.citizenfeedback": IMPORT_EXPORT,
    "teams.exemplarymodel": IMPORT_EXPORT,
    "teams.training": IMPORT_EXPORT,
    "teams.prestigiousperson": IMPORT_EXPORT,
    "people.person": IMPORT_EXPORT,
    "people.position": IMPORT_EXPORT,
    "meetings.seminar": HISTORY,
    "meetings.seminarsession": HISTORY,
    "meetings.attendee": HISTORY,
    "meetings.contribution": HISTORY,
    "meetings.directivepoint": HISTORY,
    "meetings.directive": HISTORY,
    "meetings.directivetask": HISTORY,
    "meetings.taskassignment": HISTORY,
    "meetings.progressreport": IMPORT_EXPORT,
}
# Django's and django-axes' admin classes, and reorganisations: not scoped, for superusers
# only.
UNSCOPED_MODELS = {
    "auth.group",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "wards.reorganisation",
}


def admin_pattern(label, view):
    app_label, model_name = label.split(".")
    if view == "redirect":
        return f"admin/{app_label}/{model_name}/<path:object_id>/"
    if view == "password":
        return "admin:auth_user_password_change"
    return f"admin:{app_label}_{model_name}_{view}"


ROUTES = {
    **PAGE_ROUTES,
    **{
        admin_pattern(label, view): Route(view, model=label)
        for label, views in ADMIN_MODELS.items()
        for view in views
    },
}
ROUTE_KEYS = sorted(ROUTES)

# The views that write; "changelist" stands for its bulk action ("delete selected").
WRITE_KINDS = {
    "changelist",
    "add",
    "change",
    "delete",
    "simple_history",
    "password",
    "import",
    "process_import",
}
WRITE_KEYS = [key for key in ROUTE_KEYS if ROUTES[key].kind in WRITE_KINDS]


def url_patterns(resolver, prefix="", namespace=""):
    """Every pattern under `resolver`: its namespaced name, or its full route if unnamed."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif pattern.callback is static.serve:
            continue  # static files, when DEBUG serves them
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name
        else:
            yield prefix + str(pattern.pattern)


def test_every_url_pattern_is_in_the_access_table():
    found = set(url_patterns(get_resolver()))

    uncovered = sorted(found - set(ROUTES))
    stale = sorted(set(ROUTES) - found)

    assert not uncovered, (
        "URL patterns that the access tests do not request; add them to PAGE_ROUTES or "
        f"ADMIN_MODELS in tests/test_access.py: {uncovered}"
    )
    assert not stale, f"Entries of ROUTES for patterns that no longer exist: {stale}"


def test_every_registered_admin_model_is_in_the_access_table():
    registered = {model._meta.label_lower for model in admin.site._registry}

    assert registered == set(ADMIN_MODELS)


def route_url(key, records):
    route = ROUTES[key]
    if route.url:
        return route.url(records)
    obj = records[route.model]
    app_label, model_name = route.model.split(".")
    name = f"admin:{app_label}_{model_name}_{route.kind}"
    if route.kind == "changelist":
        # The list narrowed to the record, with the filters' counts (facets) shown.
        return f"{reverse(name)}?id__exact={obj.pk}&_facets=1"
    if route.kind == "add":
        return f"{reverse(name)}?{prefill_query(obj)}"
    if route.kind in ("change", "delete", "history"):
        return reverse(name, args=[obj.pk])
    if route.kind == "simple_history":
        return reverse(name, args=[obj.pk, obj.history.first().history_id])
    if route.kind == "redirect":
        return f"/admin/{app_label}/{model_name}/{obj.pk}/"
    if route.kind == "password":
        return reverse("admin:auth_user_password_change", args=[obj.pk])
    if route.kind == "import_job":
        return reverse(name, args=[checked_job(route.model, obj).pk])
    return reverse(name)  # import, process_import, import_template, export


def prefill_query(obj):
    """An add page's query string that pre-selects the parents of `obj` (`?team=7`)."""
    params = []
    for field in obj._meta.get_fields():
        if field.many_to_one and field.concrete and getattr(obj, field.attname) is not None:
            params.append(f"{field.name}={getattr(obj, field.attname)}")
        elif field.many_to_many and field.concrete:
            ids = [str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)]
            if ids:
                params.append(f"{field.name}={','.join(ids)}")
    return "&".join(params)


# What each persona should get

# What anonymous users may open: the sign-in pages, the sign-out (POST only) and the
# language choice (a cookie, then back to `next`).
PUBLIC = {"login": 200, "admin:login": 200, "logout": 405, "set_language": 302}


# Each persona's role (None: the superuser): what it may do is read from the grant table
# (`tests/grants.py`), never from the code under test.
PERSONA_ROLES = {
    "officer_a": Role.WARD_OFFICER,
    "officer_b": Role.WARD_OFFICER,
    "officer_c": Role.WARD_OFFICER,
    "viewer_d1": Role.VIEWER,
    "staff_d1": Role.DISTRICT_STAFF,
    "administrator_d1": Role.ADMINISTRATOR,
    "administrator_d2": Role.ADMINISTRATOR,
    "superuser": None,
}


def can(user, action, label):
    return grants.may(PERSONA_ROLES[user.username], action, label)


def works_for_a_unit(user):
    role = PERSONA_ROLES[user.username]
    return role is None or grants.UNIT_PAGES[role]


def expected_get_status(user, key, *, in_scope):
    """The status of a GET of `key` by the signed-in `user`, for records in or out of the
    user's scope."""
    route = ROUTES[key]
    label = route.model
    pages = {
        "home": 302,
        "page": 200,
        "ward_page": 200 if in_scope else 404,
        "unit_page": 200 if works_for_a_unit(user) else 403,  # ward officers have none
        "login": 200,
        "logout": 405,  # POST only
        "set_language": 302,
        "admin_login": 302,  # to the admin's index
        "autocomplete": 200 if can(user, "view", "wards.residentialgroup") else 403,
        "not_found": 404,
        "redirect": 302,
        "process_import": 405,  # POST only
        "post_only": 405,
    }
    if route.kind in pages:
        return pages[route.kind]
    if route.kind in ("unit_record", "unit_edit"):
        # A managing unit's own record (a period's reports): not for ward officers; out of
        # scope, not found; in scope, the role decides.
        if not works_for_a_unit(user):
            return 403
        if not in_scope:
            return 404
        return (
            200 if can(user, "view" if route.kind == "unit_record" else "change", label) else 403
        )
    if route.kind == "create":  # a new record, of no ward yet: the role decides
        return 200 if can(user, "add", label) else 403
    if route.kind.startswith("site_"):
        # The workspace: a record out of scope does not exist (404), for any role; in scope,
        # the role decides.
        if not in_scope:
            return 404
        action = {"site_edit": "change"}.get(route.kind, route.kind.removeprefix("site_"))
        return 200 if can(user, action, label) else 403
    if route.kind in ("import", "export", "import_template"):
        return 200 if can(user, route.kind.removesuffix("_template"), label) else 403
    if route.kind == "import_job":
        # The harness's jobs are the superuser's: nobody else sees them.
        if not can(user, "import", label):
            return 403
        return 200 if user.is_superuser else 404
    may_view = can(user, "view", label) or can(user, "change", label)
    if route.kind == "changelist":
        return 200 if may_view else 403  # the list, without the record when out of scope
    if route.kind == "add":
        return 200 if can(user, "add", label) else 403
    if not in_scope and label not in UNSCOPED_MODELS:
        return 404  # the scoped admins: a record out of scope does not exist, for any role
    if route.kind == "delete":
        return 200 if can(user, "delete", label) else 403
    if route.kind == "password":
        return 200 if can(user, "change", label) else 403
    return 200 if may_view else 403  # change, history, simple_history


def expected_post_status(user, key, *, in_scope):
    """The statuses a POST of `key` may answer (None: any, as long as nothing is written)."""
    route = ROUTES[key]
    label, kind = route.model, route.kind
    if kind == "changelist":
        return None  # the action list decides; the bulk action must not reach the rows
    if label in UNSCOPED_MODELS:
        return {403}
    if kind == "simple_history":
        return {403}  # a past version is shown, never saved back
    if kind in ("import", "process_import"):
        if not can(user, "import", label):
            return {403}
        # An upload goes to its job's page (the check's errors); another's job is not found.
        return {302} if kind == "import" else {404}
    if kind == "add":
        # 200: the form again, with its errors; 403: a save that would put the record out of
        # the user's scope (an account, a managing unit: their add forms name no ward).
        return {200, 403} if can(user, "add", label) else {403}
    if not in_scope:
        return {404}
    action = "delete" if kind == "delete" else "change"
    return None if can(user, action, label) else {403}


def shows_marker(label):
    """Whether a record's list row and page show its marker: wards, districts, accounts,
    assignments and logs have no text of the ward's."""
    plain = {"wards.district", "wards.ward", "wards.user", "wards.securityevent"}
    plain |= {"meetings.taskassignment"} | UNSCOPED_MODELS
    return label not in plain


# ("get" or "post", persona, pattern) → the leak or bug that fails the matrix there; the
# test is then a strict xfail. Leaks found and fixed while these tests were written: the
# add form of progress reports labelled any ward's assignment (raw-id widget); a past
# version's page saved POSTs of read-only roles; the security log's admin redirected (302)
# for events out of scope.
KNOWN_BUGS = {}


def matrix(kind, personas, keys):
    return [
        pytest.param(
            persona,
            key,
            id=f"{persona}-{key}",
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[kind, persona, key])]
            if (kind, persona, key) in KNOWN_BUGS
            else [],
        )
        for persona in personas
        for key in keys
    ]


# Requests, snapshots and forms


def signed_in(client, user):
    client.force_login(user)
    return client


def assert_hides(response, *markers):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    shown = [marker for marker in markers if marker in body]
    assert not shown, f"{response.request['PATH_INFO']} ({response.status_code}) shows {shown}"


def database_snapshot():
    """Every row of the project's records, accounts and groups: what a write would change.
    (History tables follow their records; the security log is appended to by refusals; an
    upload is kept as an import job, whatever its rows.)"""
    models = [Group]
    for app_label in ("wards", "teams", "meetings", "people", "awards"):
        models += [
            model
            for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
            if model not in (SecurityEvent, ImportJob)
            and not model.__name__.startswith("Historical")
        ]
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in models
    }


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after[label])


def form_data(response):
    """What a browser sends back from an admin form as rendered, inline rows included."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if isinstance(field.field, BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(field.field, SplitDateTimeField):
                if value:
                    data[f"{field.html_name}_0"] = f"{value:%Y-%m-%d}"
                    data[f"{field.html_name}_1"] = f"{value:%H:%M:%S}"
            elif value is None:
                continue
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif hasattr(value, "isoformat"):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    return data


def form_errors(response):
    """The errors of an admin form page, for assertion messages."""
    context = response.context
    if not context or "adminform" not in context:
        return None
    inlines = context.get("inline_admin_formsets", [])
    return context["adminform"].form.errors, [inline.formset.errors for inline in inlines]


@pytest.fixture(scope="module")
def superuser_forms():
    """Change forms as the superuser's browser posts them back, by record (the records are
    the same in every test)."""
    return {}


def change_form_data(world, superuser_forms, obj):
    key = (obj._meta.label, obj.pk)
    if key not in superuser_forms:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        response = signed_in(Client(), world.users["superuser"]).get(url)
        assert response.status_code == 200, url
        superuser_forms[key] = form_data(response)
    return dict(superuser_forms[key])


# The text fields a change payload edits, so that a save that went through shows.
EDITED_FIELDS = {
    "name",
    "title",
    "full_name",
    "first_name",
    "summary",
    "text",
    "venue",
    "speaker",
    "narrative",
    "standing",
    "organiser",
}

# What makes a copy of a record addable (unique keys, one team per group …).
ADD_CHANGES = {
    "wards.district": lambda side: {"code": f"QX{side.letter}"},
    # A unit's parent is read-only on its change form (`FixedParentModel`): named here.
    "wards.ward": lambda side: {"code": f"999{side.letter}", "district": str(side.district.pk)},
    "wards.residentialgroup": lambda side: {"code": "99", "ward": str(side.ward.pk)},
    "teams.team": lambda side: {"residential_group": str(side.spare_group.pk)},
    "teams.exemplarymodel": lambda side: {"name": "Mô hình mới"},
    # A copy of a seat is another person's seat: the prestigious person joins the team.
    "teams.member": lambda side: {"person": str(side.prestigious_person.person_id)},
    "meetings.seminarsession": lambda side: {"number": "9"},
    "meetings.contribution": lambda side: {"order": "9"},
    "meetings.directivepoint": lambda side: {"number": "9"},
    "meetings.directivetask": lambda side: {"number": "9"},
    "meetings.taskassignment": lambda side: {"task": str(side.spare_task.pk)},
    "meetings.progressreport": lambda side: {
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
    },
}


def write_request(world, superuser_forms, key, letter, records):
    """The URL and data of a POST that writes `key`'s record of ward `letter`: the record's
    form as the superuser sees it, edited (or copied, to add one like it)."""
    route = ROUTES[key]
    label, kind = route.model, route.kind
    obj = records[label]
    side = world.sides[letter]
    url = route_url(key, records).split("?")[0]
    if kind == "changelist":
        return url, {
            "action": "delete_selected",
            "_selected_action": [str(obj.pk)],
            "index": "0",
            "post": "yes",
        }
    if kind == "delete":
        return url, {"post": "yes"}
    if kind == "password":
        return url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    if kind == "import" and label == "wards.reorganisation":
        # A plan that dissolves the side's group, and so ends its ward.
        row = {OLD_WARD: side.ward.code, OLD_GROUP: side.group.code}
        plan = csv_of(dict.fromkeys(PLAN_COLUMNS, "") | row)
        return url, {"file": SimpleUploadedFile("phuong-an.csv", plan)}
    if kind == "import":
        return url, {"file": SimpleUploadedFile("to-dan-van.csv", import_file(label, obj))}
    if kind == "process_import":
        return url, {"job": checked_job(label, obj).pk}
    if label == "wards.user" and kind == "add":
        # The account form has no field of scope; the other side's are posted anyway.
        return url, {
            "username": f"new_{letter}",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "district": str(side.district.pk),
            "wards": [str(side.ward.pk)],
        }
    if label in UNSCOPED_MODELS or label == "wards.securityevent":
        return url, {"name": f"Nhóm {side.marker}", "username": side.marker}
    data = change_form_data(world, superuser_forms, obj)
    if kind != "add":
        for name in EDITED_FIELDS & set(data):
            data[name] += " (sửa)"
        return url, data
    # A copy of the record, without inline rows, that carries no marker of its own (the
    # form shows back what was posted).
    for name in [name for name in data if name.endswith("-TOTAL_FORMS")]:
        data[name] = data[name.replace("TOTAL", "INITIAL")] = "0"
    data.update(ADD_CHANGES.get(label, lambda side: {})(side))
    return url, {
        name: value.replace(side.marker, "ban-sao") if isinstance(value, str) else value
        for name, value in data.items()
    }


# The resource of each importable model, and the cell an import file changes.
IMPORT_RESOURCES = {
    "wards.ward": (WardResource, "Tên phường", "Phường đổi tên"),
    "teams.citizenfeedback": (FeedbackResource, "Lĩnh vực", "An ninh trật tự"),
    "teams.exemplarymodel": (ExemplaryModelResource, "Khen thưởng", "Bằng khen"),
    "meetings.progressreport": (ProgressReportResource, "Kết quả thực hiện", "Đã tập huấn."),
    "wards.residentialgroup": (ResidentialGroupResource, "Tên tổ dân phố", "Tổ đổi tên"),
    "teams.team": (TeamResource, "Ngày thành lập", "01/01/2016"),
    "teams.member": (MemberResource, "Điện thoại", "0987 654 321"),
    "teams.activity": (ActivityResource, "Kết quả", "Thu gom 5 tấn rác."),
    "teams.prestigiousperson": (PrestigiousPersonResource, "Uy tín", "Trưởng họ Nguyễn"),
    "teams.training": (TrainingResource, "Địa điểm", "Nhà văn hóa tổ 7"),
    "people.person": (PersonResource, "Địa chỉ", "Số 9, ngõ 3"),
    "people.position": (PositionResource, "Đến ngày", "31/12/2026"),
}


def import_file(label, obj):
    """A CSV file of `obj`'s row as exported, with one cell changed."""
    resource_class, column, value = IMPORT_RESOURCES[label]
    exported = resource_class().export(queryset=type(obj).objects.filter(pk=obj.pk))
    row = dict(zip(exported.headers, exported[0], strict=True)) | {column: value}
    return csv_of(row)


def dataset_of(row):
    data = Dataset(headers=list(row))
    data.append(list(row.values()))
    return data


def csv_of(row):
    return dataset_of(row).export("csv").encode()


def checked_job(label, obj):
    """A checked import of `obj`'s row with one cell changed, ready to confirm: the
    superuser's, so that nobody else may see or confirm it."""
    model_admin = admin.site._registry[apps.get_model(label)]
    superuser = User.objects.get(username="superuser")
    return ImportJob.objects.create(
        importer=model_admin.importer_class.name,
        file=ContentFile(import_file(label, obj), name="to-dan-van.csv"),
        file_name="to-dan-van.csv",
        user=superuser,
        status=ImportJob.Status.CHECKED,
        result={"rows": 1, "new": 0, "changed": 1, "unchanged": 0, "error_rows": 0},
    )


def plan_job_url(records):
    """The page of a checked plan of the records' reorganisation: the superuser's."""
    reorganisation = records["wards.reorganisation"]
    job = ImportJob.objects.create(
        importer="wards.reorganisation",
        file=ContentFile(b"", name="phuong-an.csv"),
        file_name="phuong-an.csv",
        user=User.objects.get(username="superuser"),
        status=ImportJob.Status.CHECKED,
        result={"reorganisation": reorganisation.pk, "lines": []},
    )
    return reverse("admin:wards_reorganisation_plan_check", args=[reorganisation.pk, job.pk])


def post_and_compare(client, url, data):
    """POST, and the tables that changed."""
    before = database_snapshot()
    response = client.post(url, data)
    return response, changed_tables(before, database_snapshot())


# GET of every URL


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_every_url_anonymous_is_public_or_redirects_to_login(client, world, key):
    url = route_url(key, records_of(world, "B", district=world.d1))

    if key in PUBLIC:
        response = client.get(url)
        assert_hides(response, *MARKERS.values())
        assert response.status_code == PUBLIC[key]
        return
    response = client.get(url, follow=True)

    assert_hides(response, *MARKERS.values())
    assert response.redirect_chain, f"{url} answered {response.status_code} to anonymous"
    login = reverse("admin:login") if url.startswith("/admin/") else reverse("login")
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith(login), f"{url} sent anonymous to {final_url}"
    assert response.status_code == 200


@pytest.mark.parametrize(("persona", "key"), matrix("get", OUTSIDERS, ROUTE_KEYS))
def test_every_url_for_records_out_of_scope_is_404_or_hides_them(client, world, persona, key):
    """Ward A's officer asks for ward B's records; D1's viewer, staff and administrator for
    ward C's (district D2)."""
    user = world.users[persona]
    url = route_url(key, outside_records(world, persona))

    response = signed_in(client, user).get(url)

    assert_hides(response, *forbidden_markers(persona))
    assert response.status_code == expected_get_status(user, key, in_scope=False), url
    if response.status_code == 200 and ROUTES[key].kind == "changelist":
        assert response.context["cl"].result_count == 0
    if ROUTES[key].kind == "redirect":
        assert response.url.endswith(f"{url}change/")


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_every_url_ward_a_officer_for_own_ward_records_opens_them(client, world, key):
    """The control of the matrix above: the same URLs for ward A's own records open, and
    show the marker where the page lists or shows the record."""
    user = world.users["officer_a"]
    url = route_url(key, records_of(world, "A", district=world.d1))

    response = signed_in(client, user).get(url)

    assert_hides(response, MARKERS["B"], MARKERS["C"])
    assert response.status_code == expected_get_status(user, key, in_scope=True), url
    if response.status_code == 200 and ROUTES[key].kind in ("changelist", "change"):
        assert MARKERS["A"] in response.text or not shows_marker(ROUTES[key].model)


@pytest.mark.parametrize("key", ROUTE_KEYS)
def test_every_url_viewer_for_own_district_records_reads_them(client, world, key):
    user = world.users["viewer_d1"]
    url = route_url(key, records_of(world, "B", district=world.d1))

    response = signed_in(client, user).get(url)

    assert_hides(response, MARKERS["C"])
    assert response.status_code == expected_get_status(user, key, in_scope=True), url
    if response.status_code == 200 and ROUTES[key].kind == "changelist":
        assert response.context["cl"].result_count == 1
    if response.status_code == 200 and ROUTES[key].kind in ("changelist", "change"):
        assert MARKERS["B"] in response.text or not shows_marker(ROUTES[key].model)


# POST to every URL that writes


@pytest.mark.parametrize("key", WRITE_KEYS)
def test_every_write_url_anonymous_redirects_to_login_and_writes_nothing(
    client, world, superuser_forms, key
):
    records = records_of(world, "B", district=world.d1)
    url, data = write_request(world, superuser_forms, key, "B", records)

    response, changed = post_and_compare(client, url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not changed


@pytest.mark.parametrize(("persona", "key"), matrix("post", OUTSIDERS, WRITE_KEYS))
def test_every_write_url_for_records_out_of_scope_writes_nothing(
    client, world, superuser_forms, persona, key
):
    """Ward A's officer posts to ward B's records; D1's roles to ward C's, naming C's and
    D2's records in the forms."""
    user = world.users[persona]
    records = outside_records(world, persona)
    url, data = write_request(world, superuser_forms, key, OUTSIDERS[persona], records)
    signed_in(client, user)

    response, changed = post_and_compare(client, url, data)

    if ROUTES[key].kind == "import" and response.status_code == 302:
        # The check finds the row outside the poster's scope: an error, nothing to confirm.
        job = ImportJob.objects.filter(user=user).latest("created_at")
        assert job.status == ImportJob.Status.CHECKED, job.message
        assert job.result["error_rows"] == 1 and job.result["changed"] == 0, job.result
    else:
        assert_hides(response, *forbidden_markers(persona))
    if key == "admin:wards_user_add" and response.status_code == 302:
        # An account is no ward's record: adding one may succeed, but inside the poster's
        # scope, whatever district and wards of the other side were posted with it.
        new_user = User.objects.get(username=data["username"])
        assert new_user.district in (None, world.d1)
        assert new_user.district != world.d2
        assert not new_user.wards.filter(pk=world.sides[OUTSIDERS[persona]].ward.pk).exists()
        return
    expected = expected_post_status(user, key, in_scope=False)
    assert expected is None or response.status_code in expected, (url, form_errors(response))
    assert not changed, f"POST {url} as {persona} changed {changed}"


@pytest.mark.parametrize(("persona", "key"), matrix("post", ["viewer_d1"], WRITE_KEYS))
def test_every_write_url_viewer_for_own_district_records_is_403_and_writes_nothing(
    client, world, superuser_forms, persona, key
):
    records = records_of(world, "B", district=world.d1)
    url, data = write_request(world, superuser_forms, key, "B", records)
    signed_in(client, world.users[persona])

    response, changed = post_and_compare(client, url, data)

    if ROUTES[key].kind != "changelist":  # there, the bulk action is just not offered
        assert response.status_code == 403, url
    assert not changed, f"POST {url} as {persona} changed {changed}"


# The control of the write matrices: the same requests, by the superuser, do write.
CONTROL_KEYS = [
    key
    for key in WRITE_KEYS
    if ROUTES[key].kind in ("add", "change", "password", "process_import")
    and ROUTES[key].model not in UNSCOPED_MODELS | {"wards.securityevent"}
]


@pytest.mark.parametrize("key", CONTROL_KEYS)
def test_every_write_request_superuser_writes(client, world, superuser_forms, key):
    records = records_of(world, "B", district=world.d1)
    url, data = write_request(world, superuser_forms, key, "B", records)
    signed_in(client, world.users["superuser"])

    response, changed = post_and_compare(client, url, data)

    assert response.status_code == 302, (url, form_errors(response))
    assert changed, f"POST {url} as the superuser changed nothing: the payload is not valid"


# Tampered admin forms: ward A's officer names ward B's records

WORK_FIELD = "environment"


def add_payloads(world, letter):
    """For each model an officer adds, a valid add form naming ward `letter`'s records."""
    side = world.sides[letter]
    return {
        "teams.member": {
            "team": side.team.pk,
            # The prestigious person joins the team.
            "person": side.prestigious_person.person_id,
            "organisation": "women",
            "role": "member",
        },
        "teams.activity": {
            "team": side.team.pk,
            "date": "2025-10-01",
            "field": WORK_FIELD,
            "title": "Hoạt động mới",
            "households_reached": "10",
            "participants": "12",
        },
        "teams.citizenfeedback": {
            "team": side.team.pk,
            "received_on": "2025-10-01",
            "field": WORK_FIELD,
            "summary": "Kiến nghị mới",
            "status": "new",
        },
        "teams.exemplarymodel": {
            "ward": side.ward.pk,
            "name": "Mô hình mới",
            "field": WORK_FIELD,
            "year": "2025",
            "recognition_level": "ward",
        },
        "teams.training": {
            "district": side.district.pk,
            "ward": side.ward.pk,
            "date": "2025-10-01",
            "title": "Tập huấn mới",
            "status": "held",
            "organiser_level": "ward",
            "attendees": [side.member.person_id],
        },
        "teams.prestigiousperson": {
            "residential_group": side.group.pk,
            "person": side.member.person_id,
            "standing": "Trưởng họ",
        },
        "people.person": {
            "residential_group": side.group.pk,
            "full_name": "Người mới",
            "gender": "female",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
        "meetings.progressreport": {
            # The ward's assignment in the seminar A and B share.
            "assignment": world.shared_assignments[letter].pk,
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "status": "in_progress",
            "percent": "20",
        },
    }


# The fields of each add form that name ward B's records.
TAMPERED_FIELDS = {
    "teams.member": ["team", "person"],
    "teams.activity": ["team"],
    "teams.citizenfeedback": ["team"],
    "teams.exemplarymodel": ["ward"],
    "teams.training": ["ward", "attendees"],
    "teams.prestigiousperson": ["residential_group", "person"],
    "people.person": ["residential_group"],
    "meetings.progressreport": ["assignment"],
}


@pytest.mark.parametrize("label", TAMPERED_FIELDS)
def test_add_ward_a_officer_naming_own_ward_records_is_saved(client, world, label):
    signed_in(client, world.users["officer_a"])
    model = apps.get_model(label)
    before = model.objects.count()

    response = client.post(admin_url(label, "add"), add_payloads(world, "A")[label])

    assert response.status_code == 302, form_errors(response)
    assert model.objects.count() == before + 1


@pytest.mark.parametrize("label", TAMPERED_FIELDS)
def test_add_ward_a_officer_naming_ward_b_records_is_refused_and_writes_nothing(
    client, world, label
):
    signed_in(client, world.users["officer_a"])
    before = database_snapshot()

    response = client.post(admin_url(label, "add"), add_payloads(world, "B")[label])

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(TAMPERED_FIELDS[label]) <= set(form.errors), form.errors
    assert not changed_tables(before, database_snapshot())


def test_exemplary_model_add_ward_a_officer_with_ward_b_team_is_refused(client, world):
    signed_in(client, world.users["officer_a"])
    data = add_payloads(world, "A")["teams.exemplarymodel"] | {"team": world.sides["B"].team.pk}

    response = client.post(admin_url("teams.exemplarymodel", "add"), data)

    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not ExemplaryModel.objects.filter(name="Mô hình mới").exists()


def test_member_change_ward_a_officer_moving_it_to_ward_b_team_is_refused(client, world):
    member = world.sides["A"].member
    url = admin_url("teams.member", "change", member.pk)
    signed_in(client, world.users["officer_a"])
    data = form_data(client.get(url)) | {"team": str(world.sides["B"].team.pk)}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.team == world.sides["A"].team


def test_team_change_ward_a_officer_posting_a_ward_b_member_in_the_inline_leaves_it_unchanged(
    client, world
):
    team, member_b = world.sides["A"].team, world.sides["B"].member
    url = admin_url("teams.team", "change", team.pk)
    signed_in(client, world.users["officer_a"])
    data = form_data(client.get(url))
    assert data["members-0-id"] == str(world.sides["A"].member.pk)
    data |= {"members-0-id": str(member_b.pk), "members-0-full_name": "Tên bị sửa"}
    members = list(Member.objects.order_by("pk").values_list())

    response = client.post(url, data)

    # Django's formset finds no such row among the team's and skips it; the team is saved.
    assert response.status_code in (200, 302)
    assert list(Member.objects.order_by("pk").values_list()) == members


# Past versions and read-only records


def test_history_version_of_ward_b_record_under_own_record_ward_a_officer_is_404(client, world):
    member_a, member_b = world.sides["A"].member, world.sides["B"].member
    url = admin_url(
        "teams.member", "simple_history", member_a.pk, member_b.history.first().history_id
    )

    response = signed_in(client, world.users["officer_a"]).get(url)

    assert response.status_code == 404
    assert_hides(response, MARKERS["B"])


@pytest.mark.parametrize("letter", ["A", "B"])
def test_history_version_post_ward_a_officer_is_refused_and_changes_nothing(
    client, world, superuser_forms, letter
):
    """Past versions are shown, never saved back, even of the officer's own records."""
    member = world.sides[letter].member
    url = admin_url("teams.member", "simple_history", member.pk, member.history.first().history_id)
    data = change_form_data(world, superuser_forms, member) | {"full_name": "Tên bị sửa"}
    signed_in(client, world.users["officer_a"])

    response, changed = post_and_compare(client, url, data)

    assert response.status_code in (403, 404)
    assert not changed


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(lambda world: world.sides["A"].ward, id="own-ward"),
        pytest.param(lambda world: world.d1, id="district"),
        pytest.param(lambda world: world.shared_seminar, id="seminar"),
    ],
)
def test_read_only_record_change_ward_a_officer_is_403_and_changes_nothing(
    client, world, superuser_forms, record
):
    """Units and seminars are read-only for ward officers, their own ward included."""
    obj = record(world)
    url = admin_url(obj._meta.label_lower, "change", obj.pk)
    data = change_form_data(world, superuser_forms, obj)
    signed_in(client, world.users["officer_a"])

    page = client.get(url)
    response, changed = post_and_compare(client, url, data)

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert response.status_code == 403
    assert not changed


# Autocompletes: every autocomplete field of the admin, as ward A's officer

AUTOCOMPLETE_FIELDS = sorted(
    (model._meta.label_lower, field_name)
    for model, model_admin in admin.site._registry.items()
    for field_name in model_admin.autocomplete_fields
)


@pytest.mark.parametrize(
    ("label", "field_name"),
    [pytest.param(*field, id=".".join(field)) for field in AUTOCOMPLETE_FIELDS],
)
def test_autocomplete_ward_a_officer_offers_only_own_ward_records(
    client, world, label, field_name
):
    app_label, model_name = label.split(".")
    target = apps.get_model(label)._meta.get_field(field_name).related_model._meta.label_lower
    outside = {records_of(world, letter, district=world.d2)[target].pk for letter in "BC"}
    user = world.users["officer_a"]
    query = f"?app_label={app_label}&model_name={model_name}&field_name={field_name}"

    response = signed_in(client, user).get(reverse("admin:autocomplete") + query)

    assert_hides(response, MARKERS["B"], MARKERS["C"])
    if not can(user, "view", target):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered, f"{label}.{field_name} offers nothing: the test would prove nothing"
    assert not offered & outside


# Imports through the resources, as ward A's officer


def member_row(ward_code, group_code):
    return {
        "Mã phường": ward_code,
        "Mã tổ dân phố": group_code,
        "Họ và tên": "Nguyễn Thị Nhập",
        "Giới tính": "female",
        "Năm sinh": 1970,
        "Điện thoại": "",
        "Đảng viên": "Không",
        "Đại diện tổ chức": "women",
        "Vai trò": "member",
        "Ngày vào": "",
        "Ngày ra": "",
    }


def activity_row(ward_code, group_code):
    return {
        "Mã phường": ward_code,
        "Mã tổ dân phố": group_code,
        "Ngày": "01/10/2025",
        "Lĩnh vực": WORK_FIELD,
        "Tên hoạt động": "Hoạt động nhập",
        "Mô tả": "",
        "Số hộ tiếp cận": 10,
        "Số người tham gia": 12,
        "Kết quả": "",
    }


def team_row(ward_code, group_code):
    return {"Mã phường": ward_code, "Mã tổ dân phố": group_code, "Ngày thành lập": "01/01/2020"}


# The resource, a row of it, and the group it names in a ward (a team needs a group without
# one).
# The library's own import, row by row, of each resource (members are imported with their
# people by `teams.imports.MemberImporter` only, whose scope the admin's imports test).
RESOURCE_IMPORTS = [
    pytest.param(ActivityResource, activity_row, lambda side: side.group, id="activity"),
    pytest.param(TeamResource, team_row, lambda side: side.spare_group, id="team"),
]


@pytest.mark.parametrize(("resource_class", "make_row", "group_of"), RESOURCE_IMPORTS)
def test_resource_import_ward_a_officer_naming_own_ward_is_written(
    world, resource_class, make_row, group_of
):
    side = world.sides["A"]
    model = resource_class._meta.model
    before = model.objects.count()

    result = resource_class(user=world.users["officer_a"]).import_data(
        dataset_of(make_row(side.ward.code, group_of(side).code)), dry_run=False
    )

    assert not result.has_errors() and not result.has_validation_errors()
    assert model.objects.count() == before + 1


@pytest.mark.parametrize(("resource_class", "make_row", "group_of"), RESOURCE_IMPORTS)
@pytest.mark.parametrize(
    "codes",
    [
        pytest.param(lambda a, b, group_of: (b.ward.code, group_of(b).code), id="ward-b"),
        pytest.param(lambda a, b, group_of: (a.ward.code, group_of(b).code), id="b-group-in-a"),
    ],
)
def test_resource_import_ward_a_officer_naming_ward_b_is_a_row_error_and_writes_nothing(
    world, resource_class, make_row, group_of, codes
):
    ward_code, group_code = codes(world.sides["A"], world.sides["B"], group_of)
    before = database_snapshot()

    result = resource_class(user=world.users["officer_a"]).import_data(
        dataset_of(make_row(ward_code, group_code)), dry_run=False
    )

    assert result.has_errors() or result.has_validation_errors()
    assert not changed_tables(before, database_snapshot())


def test_resource_import_ward_a_officer_updating_a_ward_b_member_writes_nothing(world):
    content = import_file("teams.member", world.sides["B"].member)
    before = database_snapshot()

    result = MemberResource(user=world.users["officer_a"]).import_data(
        Dataset().load(content.decode(), format="csv"), dry_run=False
    )

    assert result.has_errors() or result.has_validation_errors()
    assert result.totals["update"] == 0
    assert not changed_tables(before, database_snapshot())


# Imports and exports through the admin


def new_events(before, kind):
    return SecurityEvent.objects.exclude(pk__in=before).filter(kind=kind)


@pytest.mark.parametrize(
    ("label", "row"),
    [
        pytest.param(
            "wards.residentialgroup",
            lambda c: {"Mã phường": c.ward.code, "Mã tổ dân phố": "77", "Tên tổ dân phố": "Tổ"},
            id="group-in-ward-c",
        ),
        pytest.param("teams.member", lambda c: member_row(c.ward.code, c.group.code), id="member"),
        pytest.param(
            "wards.ward",
            lambda c: {
                "Mã đơn vị quản lý": c.district.code,
                "Mã phường": "99999",
                "Tên phường": "Phường mới",
                "Loại": "ward",
            },
            id="ward-in-district-d2",
        ),
    ],
)
def test_admin_import_administrator_d1_naming_district_d2_is_refused_and_writes_nothing(
    client, world, label, row
):
    content = csv_of(row(world.sides["C"]))
    signed_in(client, world.users["administrator_d1"])
    before = database_snapshot()

    preview = client.post(
        admin_url(label, "import"),
        {"file": SimpleUploadedFile("to-dan-van.csv", content)},
        follow=True,
    )
    # The confirmation, tampered: the job, confirmed although its check found errors.
    confirm = client.post(admin_url(label, "process_import"), {"job": preview.context["job"].pk})

    job = preview.context["job"]
    assert job.status == ImportJob.Status.CHECKED and job.result["error_rows"] == 1
    assert confirm.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED  # not imported
    assert not changed_tables(before, database_snapshot())


def test_admin_import_administrator_d1_for_ward_b_once_confirmed_is_written_and_logged(
    client, world
):
    side = world.sides["B"]
    signed_in(client, world.users["administrator_d1"])
    content = csv_of(member_row(side.ward.code, side.group.code))
    preview = client.post(
        admin_url("teams.member", "import"),
        {"file": SimpleUploadedFile("to-dan-van.csv", content)},
        follow=True,
    )
    job = preview.context["job"]
    assert job.result["error_rows"] == 0, job.result
    events = list(SecurityEvent.objects.values_list("pk", flat=True))

    response = client.post(admin_url("teams.member", "process_import"), {"job": job.pk})

    assert response.status_code == 302
    assert Member.objects.filter(person__full_name="Nguyễn Thị Nhập", team=side.team).exists()
    (event,) = new_events(events, SecurityEvent.Kind.IMPORT)
    assert event.user == world.users["administrator_d1"]


def export_members(client, query="", **extra):
    model_admin = admin.site._registry[Member]
    formats = [format_class.__name__ for format_class in model_admin.get_export_formats()]
    data = {"format": str(formats.index("SafeCSV")), "resource": "0", **extra}
    for field in MemberResource().get_export_order():
        data[f"memberresource_{field}"] = "on"
    return client.post(admin_url("teams.member", "export") + query, data)


def test_member_export_ward_a_officer_gives_only_ward_a_rows_and_is_logged(client, world):
    signed_in(client, world.users["officer_a"])
    events = list(SecurityEvent.objects.values_list("pk", flat=True))

    response = export_members(client)

    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert MARKERS["A"] in text
    assert MARKERS["B"] not in text and MARKERS["C"] not in text
    (event,) = new_events(events, SecurityEvent.Kind.EXPORT)
    assert event.user == world.users["officer_a"]


@pytest.mark.parametrize(
    "ask",
    [
        pytest.param(
            lambda world: ("", {"export_items": [str(world.sides["B"].member.pk)]}),
            id="selected-ward-b-ids",
        ),
        pytest.param(
            lambda world: (
                f"?team__residential_group__ward__id__exact={world.sides['B'].ward.pk}",
                {},
            ),
            id="filtered-to-ward-b",
        ),
    ],
)
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # get_valid_export_item_pks()
def test_member_export_ward_a_officer_asking_for_ward_b_rows_gets_none(client, world, ask):
    query, extra = ask(world)
    signed_in(client, world.users["officer_a"])

    response = export_members(client, query, **extra)

    assert response.status_code == 200
    assert_hides(response, MARKERS["B"], MARKERS["C"])


# The user admin, as D1's administrator


def test_user_list_administrator_d1_shows_district_d1_accounts_only(client, world):
    signed_in(client, world.users["administrator_d1"])

    response = client.get(admin_url("wards.user", "changelist"))

    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"officer_a", "officer_b", "viewer_d1", "staff_d1", "administrator_d1"}


@pytest.mark.parametrize("username", ["officer_c", "administrator_d2", "superuser"])
def test_user_pages_administrator_d1_for_account_outside_are_404(client, world, username):
    user = world.users[username]
    signed_in(client, world.users["administrator_d1"])

    for url in (
        admin_url("wards.user", "change", user.pk),
        admin_url("wards.user", "history", user.pk),
        reverse("admin:auth_user_password_change", args=[user.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_user_form_administrator_d1_has_no_superuser_or_permission_fields(client, world):
    officer = world.users["officer_a"]
    signed_in(client, world.users["administrator_d1"])

    response = client.get(admin_url("wards.user", "change", officer.pk))

    fields = response.context["adminform"].form.fields
    assert "is_superuser" not in fields and "user_permissions" not in fields
    assert set(fields["groups"].queryset.values_list("name", flat=True)) == set(Role.values)


def test_user_change_administrator_d1_posting_superuser_and_permissions_grants_neither(
    client, world
):
    officer = world.users["officer_a"]
    url = admin_url("wards.user", "change", officer.pk)
    signed_in(client, world.users["administrator_d1"])
    data = form_data(client.get(url)) | {
        "is_superuser": "on",
        "user_permissions": [str(pk) for pk in Group.objects.values_list("pk", flat=True)[:1]],
        "first_name": "Đã sửa",
    }

    response = client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    officer = User.objects.get(pk=officer.pk)  # the world's own copy stays as it was
    assert officer.first_name == "Đã sửa"  # the form was saved …
    assert not officer.is_superuser  # … without what it does not show
    assert not officer.user_permissions.exists()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda world: {"groups": [str(world.other_group.pk)]}, id="not-a-role"),
        pytest.param(lambda world: {"wards": [str(world.sides["C"].ward.pk)]}, id="ward-c"),
        pytest.param(
            lambda world: {
                "groups": [str(Group.objects.get(name=Role.VIEWER.value).pk)],
                "wards": [],
                "district": str(world.d2.pk),
            },
            id="district-d2",
        ),
    ],
)
def test_user_change_administrator_d1_giving_what_is_not_theirs_is_refused(client, world, change):
    officer = world.users["officer_a"]
    url = admin_url("wards.user", "change", officer.pk)
    signed_in(client, world.users["administrator_d1"])
    data = form_data(client.get(url)) | change(world)
    before = database_snapshot()

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not changed_tables(before, database_snapshot())


def test_user_add_administrator_d1_creates_an_account_of_district_d1(client, world):
    signed_in(client, world.users["administrator_d1"])

    response = client.post(
        admin_url("wards.user", "add"),
        {
            "username": "tai_khoan_moi",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "groups": [str(Group.objects.get(name=Role.VIEWER.value).pk)],
            "district": str(world.d1.pk),
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="tai_khoan_moi")
    assert user.district == world.d1


# Seminars


def listed(client, label):
    response = client.get(admin_url(label, "changelist"))
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_seminar_list_ward_a_officer_shows_seminars_concerning_ward_a(client, world):
    signed_in(client, world.users["officer_a"])

    seminars = listed(client, "meetings.seminar")

    assert seminars == {
        world.sides["A"].seminar,  # a cluster of A, a task of A
        world.shared_seminar,  # a cluster of A and B
        world.task_only_seminar,  # a task assigned to A
    }


def test_seminar_list_district_staff_d1_shows_every_d1_seminar(client, world):
    signed_in(client, world.users["staff_d1"])

    seminars = listed(client, "meetings.seminar")

    assert seminars == set(Seminar.objects.filter(district=world.d1))


def test_shared_seminar_ward_a_officer_reads_it_without_ward_b_assignments(client, world):
    signed_in(client, world.users["officer_a"])

    seminar_page = client.get(admin_url("meetings.seminar", "change", world.shared_seminar.pk))
    task_page = client.get(admin_url("meetings.directivetask", "change", world.shared_task.pk))

    assert seminar_page.status_code == 200
    assert not seminar_page.context["has_change_permission"]
    assert task_page.status_code == 200
    (assignments,) = [
        inline.formset
        for inline in task_page.context["inline_admin_formsets"]
        if inline.formset.model is TaskAssignment
    ]
    assert [form.instance for form in assignments.forms] == [world.shared_assignments["A"]]


def test_assignments_and_reports_ward_a_officer_lists_only_ward_a(client, world):
    signed_in(client, world.users["officer_a"])

    assignments = listed(client, "meetings.taskassignment")
    reports = listed(client, "meetings.progressreport")

    assert {assignment.ward for assignment in assignments} == {world.sides["A"].ward}
    assert world.shared_assignments["A"] in assignments
    assert reports == {world.sides["A"].progress_report, world.shared_reports["A"]}


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_shared_seminar_ward_b_assignment_and_report_ward_a_officer_is_404(client, world, view):
    signed_in(client, world.users["officer_a"])

    for obj in (world.shared_assignments["B"], world.shared_reports["B"]):
        response = client.get(admin_url(obj._meta.label_lower, view, obj.pk))
        assert response.status_code == 404, obj
        assert_hides(response, MARKERS["B"])


# The site's pages


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        (
            "officer_a",
            lambda world: reverse("reports:ward_home", args=[world.sides["A"].ward.code]),
        ),
        ("viewer_d1", lambda world: reverse("reports:overview")),
        ("staff_d1", lambda world: reverse("reports:overview")),
        ("administrator_d1", lambda world: reverse("admin:index")),
        ("superuser", lambda world: reverse("admin:index")),
    ],
)
def test_home_redirects_each_role_to_its_landing_page(client, world, persona, landing):
    response = signed_in(client, world.users[persona]).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == landing(world)


@pytest.mark.parametrize(
    ("persona", "letters"), [("viewer_d1", "AB"), ("staff_d1", "AB"), ("administrator_d2", "C")]
)
def test_overview_lists_the_wards_of_the_users_scope(client, world, persona, letters):
    response = signed_in(client, world.users[persona]).get(reverse("reports:overview"))

    assert {ward for ward, _figures, _filter in response.context["ward_rows"]} == {
        world.sides[letter].ward for letter in letters
    }


@pytest.mark.parametrize("persona", ["viewer_d1", "staff_d1"])
def test_overview_matrix_of_the_shared_seminar_shows_the_wards_of_d1(client, world, persona):
    seminar = world.shared_assignments["A"].task.directive.seminar
    signed_in(client, world.users[persona])

    response = client.get(reverse("reports:overview"), {"seminar": seminar.pk})

    assert response.context["directive"].seminar == seminar
    assert {row.ward for row in response.context["matrix"]} == {
        world.sides["A"].ward,
        world.sides["B"].ward,
    }


def test_overview_matrix_administrator_d2_asking_for_d1s_seminar_gets_their_own(client, world):
    shared = world.shared_assignments["A"].task.directive.seminar
    signed_in(client, world.users["administrator_d2"])

    response = client.get(reverse("reports:overview"), {"seminar": shared.pk})

    # Their latest directive: C's plan, signed (the seminar's conclusion bears no date).
    assert response.context["directive"] == world.sides["C"].plan
    assert {row.ward for row in response.context["matrix"]} == {world.sides["C"].ward}
    assert shared.title not in response.text
    assert_hides(response, MARKERS["A"], MARKERS["B"])


def test_overview_workbook_staff_d1_holds_no_ward_of_d2(client, world):
    seminar = world.shared_assignments["A"].task.directive.seminar
    signed_in(client, world.users["staff_d1"])

    response = client.get(reverse("reports:overview"), {"seminar": seminar.pk, "format": "xlsx"})

    assert response.status_code == 200
    text = " ".join(
        str(cell)
        for sheet in openpyxl.load_workbook(io.BytesIO(response.content))
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
    assert world.sides["A"].ward.name in text
    assert world.sides["C"].ward.name not in text


# The security log


def test_permission_denied_ward_a_officer_is_logged(client, world):
    signed_in(client, world.users["officer_a"])
    events = list(SecurityEvent.objects.values_list("pk", flat=True))

    response = client.get(admin_url("auth.group", "changelist"))

    assert response.status_code == 403
    (event,) = new_events(events, SecurityEvent.Kind.PERMISSION_DENIED)
    assert event.user == world.users["officer_a"]
    assert event.path == admin_url("auth.group", "changelist")


def test_login_failed_anonymous_is_logged(client, world):
    events = list(SecurityEvent.objects.values_list("pk", flat=True))

    response = client.post(reverse("login"), {"username": "officer_a", "password": "sai"})

    assert response.status_code == 200
    (event,) = new_events(events, SecurityEvent.Kind.LOGIN_FAILED)
    assert (event.username, event.user) == ("officer_a", None)


def test_login_ward_a_officer_is_logged(client, world):
    events = list(SecurityEvent.objects.values_list("pk", flat=True))

    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})

    assert response.status_code == 302
    (event,) = new_events(events, SecurityEvent.Kind.LOGIN)
    assert event.user == world.users["officer_a"]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda events: events.update(detail="xóa dấu vết"), id="update"),
        pytest.param(lambda events: events.delete(), id="delete"),
    ],
)
def test_security_log_refuses_updates_and_deletes_in_the_database(world, write):
    with pytest.raises(DatabaseError), transaction.atomic():
        write(SecurityEvent.objects.all())


def test_security_log_admin_superuser_cannot_add_change_or_delete(client, world):
    event = world.sides["A"].event
    signed_in(client, world.users["superuser"])
    before = set(SecurityEvent.objects.values_list())

    page = client.get(admin_url("wards.securityevent", "change", event.pk))
    add = client.post(admin_url("wards.securityevent", "add"), {"kind": "login"})
    change = client.post(admin_url("wards.securityevent", "change", event.pk), {"detail": "x"})
    delete = client.post(admin_url("wards.securityevent", "delete", event.pk), {"post": "yes"})

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    # The refusals are logged; every earlier event is still there, unchanged.
    assert before <= set(SecurityEvent.objects.values_list())


# The wards a user serves: read once for the user object, again when they change


def test_officer_wards_served_are_read_once_and_again_when_they_change(
    django_assert_num_queries,
):
    first, second = WardFactory(code="90001"), WardFactory(code="90002")
    officer = User.objects.get(pk=RoleUserFactory(role=Role.WARD_OFFICER, wards=[first]).pk)

    def seen():
        return list(Ward.objects.visible_to(officer).values_list("code", flat=True))

    with django_assert_num_queries(2):  # the wards served, then the wards seen
        before = seen()
    with django_assert_num_queries(1):
        again = seen()
    officer.wards.set([second])

    assert (before, again, seen()) == (["90001"], ["90001"], ["90002"])
