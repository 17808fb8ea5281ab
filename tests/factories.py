"""One factory per model, with defaults that satisfy every database constraint.

Each factory makes its own parents (a new ward, team, seminar …) unless one is passed in,
so rows made in a loop spread over many parents, as real data does.
"""

import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from core.work_fields import WorkField
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
from people.models import Person, Position
from teams.models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)
from wards.models import District, ResidentialGroup, User, Ward


def _add_related(manager, extracted):
    """Fill a many-to-many field from the list passed to the factory, if any."""
    if extracted:
        manager.add(*extracted)


# wards


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lan"
    last_name = "Nguyễn Thị"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.vn")
    password = factory.django.Password("mat-khau-thu-nghiem")


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    code = factory.Sequence(lambda n: f"Q{n:03d}")
    name = factory.Sequence(lambda n: f"Quận {n}")
    kind = District.Kind.URBAN_DISTRICT
    province = "Hà Nội"
    party_committee = factory.LazyAttribute(lambda district: f"Quận ủy {district.name}")


class WardFactory(DjangoModelFactory):
    class Meta:
        model = Ward

    district = factory.SubFactory(DistrictFactory)
    # Clear of the demo's codes (00115…00154, 90001…), which some tests load beside these.
    code = factory.Sequence(lambda n: f"{70000 + n:05d}")
    name = factory.Sequence(lambda n: f"Phường {n}")
    kind = Ward.Kind.WARD


class ResidentialGroupFactory(DjangoModelFactory):
    class Meta:
        model = ResidentialGroup

    ward = factory.SubFactory(WardFactory)
    # Of one width for the whole run: codes and titles are sorted as text, and a count that
    # passed 99 (as it does at another point in each process of a parallel run) would put
    # “100” before “99”.
    code = factory.Sequence(lambda n: f"{n:06d}")
    name = factory.LazyAttribute(lambda group: f"Tổ dân phố số {group.code}")
    households = 120
    population = 450


# teams


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    residential_group = factory.SubFactory(ResidentialGroupFactory)
    founded_on = datetime.date(2015, 3, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    residential_group = factory.SubFactory(ResidentialGroupFactory)
    full_name = factory.Sequence(lambda n: f"Trần Văn {n}")
    gender = Person.Gender.MALE
    birth_year = 1960
    phone = "0912 345 678"


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    kind = Position.Kind.GROUP_HEAD
    organisation = "Tổ dân phố số 7"
    started_on = datetime.date(2023, 1, 1)


class MemberFactory(DjangoModelFactory):
    """A member, and their person (living in the team's group) unless `person` is given: the
    person's details are given as the member's (`full_name=`, `birth_year=`…)."""

    class Meta:
        model = Member

    class Params:
        full_name = factory.Sequence(lambda n: f"Trần Văn {n}")
        gender = Person.Gender.MALE
        birth_year = 1960
        phone = "0912 345 678"

    team = factory.SubFactory(TeamFactory)
    person = factory.LazyAttribute(
        lambda member: PersonFactory(
            residential_group=member.team.residential_group,
            full_name=member.full_name,
            gender=member.gender,
            birth_year=member.birth_year,
            phone=member.phone,
        )
    )
    is_party_member = True
    organisation = Member.Organisation.PARTY_CELL
    role = Member.Role.MEMBER
    joined_on = datetime.date(2015, 3, 1)


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    team = factory.SubFactory(TeamFactory)
    date = datetime.date(2025, 9, 5)
    field = WorkField.ENVIRONMENT
    title = factory.Sequence(lambda n: f"Tổng vệ sinh đường phố lần {n:06d}")  # as the code
    households_reached = 40
    participants = 25


class CitizenFeedbackFactory(DjangoModelFactory):
    class Meta:
        model = CitizenFeedback

    team = factory.SubFactory(TeamFactory)
    received_on = datetime.date(2025, 9, 5)
    field = WorkField.URBAN_ORDER
    summary = factory.Sequence(lambda n: f"Đề nghị sửa đèn chiếu sáng ngõ {n:06d}")
    status = CitizenFeedback.Status.NEW


class ExemplaryModelFactory(DjangoModelFactory):
    """A ward-wide model: a team, when given, must belong to the same ward."""

    class Meta:
        model = ExemplaryModel

    ward = factory.SubFactory(WardFactory)
    team = None
    name = factory.Sequence(lambda n: f"Ngõ phố văn minh số {n}")
    field = WorkField.ENVIRONMENT
    year = 2025


class TrainingFactory(DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    ward = None
    date = datetime.date(2025, 6, 10)
    title = factory.Sequence(lambda n: f"Tập huấn nghiệp vụ dân vận khóa {n}")
    organiser_level = Training.Level.DISTRICT

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        _add_related(self.attendees, extracted)


class PrestigiousPersonFactory(DjangoModelFactory):
    class Meta:
        model = PrestigiousPerson

    class Params:
        full_name = factory.Sequence(lambda n: f"Lê Văn {n}")

    residential_group = factory.SubFactory(ResidentialGroupFactory)
    person = factory.LazyAttribute(
        lambda role: PersonFactory(
            residential_group=role.residential_group, full_name=role.full_name, phone=""
        )
    )
    standing = "Giáo viên nghỉ hưu"


# meetings


class SeminarFactory(DjangoModelFactory):
    class Meta:
        model = Seminar

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Nâng cao chất lượng hoạt động của tổ dân vận ({n})")
    organiser = "Ban Dân vận Quận ủy"


class SeminarSessionFactory(DjangoModelFactory):
    class Meta:
        model = SeminarSession
        skip_postgeneration_save = True

    seminar = factory.SubFactory(SeminarFactory)
    number = factory.Sequence(lambda n: n + 1)
    date = datetime.date(2019, 7, 31)
    venue = "Hội trường UBND phường Thượng Thanh"

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        _add_related(self.wards, extracted)


class AttendeeFactory(DjangoModelFactory):
    class Meta:
        model = Attendee

    seminar = factory.SubFactory(SeminarFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Quốc {n}")
    title = "Trưởng Ban Dân vận Quận ủy"
    role = Attendee.Role.PARTICIPANT


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = Contribution

    session = factory.SubFactory(SeminarSessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    speaker = factory.Sequence(lambda n: f"Phạm Thị {n}")
    fields = factory.LazyFunction(lambda: [WorkField.DEMOCRACY_SITE_CLEARANCE.value])
    summary = "Kinh nghiệm vận động nhân dân giải phóng mặt bằng."


class DirectivePointFactory(DjangoModelFactory):
    class Meta:
        model = DirectivePoint

    seminar = factory.SubFactory(SeminarFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Nắm chắc tình hình tư tưởng của nhân dân."


class DirectiveFactory(DjangoModelFactory):
    class Meta:
        model = Directive

    district = factory.SubFactory(DistrictFactory)
    kind = Directive.Kind.PLAN
    number = factory.Sequence(lambda n: f"{n + 1}-KH/BDVQU")
    signed_on = datetime.date(2025, 6, 2)
    issuer = "Ban Thường vụ Quận ủy"
    title = factory.Sequence(lambda n: f"Kế hoạch số {n + 1} về công tác dân vận")


def conclusion_of(seminar):
    """The seminar's conclusion notice: the directive of its tasks."""
    directive, _created = Directive.objects.get_or_create(
        seminar=seminar,
        defaults={
            "district": seminar.district,
            "kind": Directive.Kind.CONCLUSION,
            "issuer": seminar.organiser,
            "title": seminar.title,
        },
    )
    return directive


class DirectiveTaskFactory(DjangoModelFactory):
    """A task; `seminar=…` makes it a task of the seminar's conclusion."""

    class Meta:
        model = DirectiveTask

    class Params:
        seminar = None

    directive = factory.LazyAttribute(lambda task: conclusion_of(task.seminar or SeminarFactory()))
    number = factory.Sequence(lambda n: n + 1)
    category = DirectiveTask.Category.TRAINING
    text = "Tiếp tục tập huấn cán bộ dân vận phường và tổ dân phố."


class TaskAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(DirectiveTaskFactory)
    ward = factory.SubFactory(WardFactory)
    due_on = datetime.date(2025, 12, 31)


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(TaskAssignmentFactory)
    period_start = datetime.date(2025, 7, 1)
    period_end = datetime.date(2025, 9, 30)
    status = ProgressReport.Status.IN_PROGRESS
    percent = 50
    narrative = "Đã tổ chức hai lớp tập huấn cho tổ trưởng tổ dân vận."


class RoleUserFactory(UserFactory):
    """A user of one role who works in the admin: `role=Role.X`, and `wards=[…]` for an
    officer or `district=…` for district staff, viewers and administrators."""

    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted.value))

    @factory.post_generation
    def wards(self, create, extracted, **kwargs):
        _add_related(self.wards, extracted)
