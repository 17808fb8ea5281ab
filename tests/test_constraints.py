"""The database itself refuses rows that break the rules, whatever code writes them."""

import datetime
import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, CheckConstraint, DateField, F, Q, TextField
from django.utils import translation

from core.constraints import satisfies
from meetings.models import ProgressReport, TaskAssignment
from teams.models import CitizenFeedback, Member, Team, Training
from tests.factories import (
    CitizenFeedbackFactory,
    DistrictFactory,
    ExemplaryModelFactory,
    MemberFactory,
    ProgressReportFactory,
    ResidentialGroupFactory,
    TaskAssignmentFactory,
    TeamFactory,
    WardFactory,
)
from wards.models import ResidentialGroup

pytestmark = pytest.mark.django_db

SEPT_5 = datetime.date(2025, 9, 5)


def _constraint(model, name):
    """The message a named constraint of the model gives, in the active language."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.violation_error_message


def test_second_team_for_a_residential_group_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(residential_group=team.residential_group)

    assert Team.objects.filter(residential_group=team.residential_group).count() == 1


def test_second_current_leader_of_a_team_is_refused():
    leader = MemberFactory(role=Member.Role.LEADER)

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(team=leader.team, role=Member.Role.LEADER)


def test_second_current_leader_is_refused_in_bulk_create_too():
    team = TeamFactory()
    leaders = [MemberFactory.build(team=team, role=Member.Role.LEADER) for _ in range(2)]

    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.bulk_create(leaders)

    assert not Member.objects.filter(team=team).exists()


def test_new_leader_after_a_former_leader_is_accepted():
    former = MemberFactory(role=Member.Role.LEADER, left_on=datetime.date(2024, 12, 31))

    MemberFactory(team=former.team, role=Member.Role.LEADER)

    assert Member.objects.filter(team=former.team, role=Member.Role.LEADER).count() == 2


def test_leaders_of_different_teams_are_accepted():
    MemberFactory(role=Member.Role.LEADER)
    MemberFactory(role=Member.Role.LEADER)

    assert Member.objects.filter(role=Member.Role.LEADER, left_on__isnull=True).count() == 2


def test_member_leaving_before_joining_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(
            team=team, joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2019, 12, 31)
        )


def test_member_birth_year_outside_1900_2100_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(team=team, birth_year=1850)


def test_progress_over_100_percent_is_refused():
    assignment = TaskAssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            assignment=assignment,
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 9, 30),
            status=ProgressReport.Status.IN_PROGRESS,
            percent=101,
        )


def test_completed_progress_below_100_percent_is_refused():
    assignment = TaskAssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(
            assignment=assignment, status=ProgressReport.Status.COMPLETED, percent=90
        )


def test_not_started_progress_above_0_percent_is_refused():
    assignment = TaskAssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(
            assignment=assignment, status=ProgressReport.Status.NOT_STARTED, percent=10
        )


def test_progress_period_ending_before_it_starts_is_refused():
    assignment = TaskAssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(
            assignment=assignment,
            period_start=datetime.date(2025, 9, 30),
            period_end=datetime.date(2025, 7, 1),
        )


def test_second_report_for_the_same_period_is_refused():
    report = ProgressReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReportFactory(
            assignment=report.assignment,
            period_start=report.period_start,
            period_end=report.period_end,
        )


def test_completed_and_not_started_reports_at_their_bounds_are_accepted():
    ProgressReportFactory(status=ProgressReport.Status.COMPLETED, percent=100)
    ProgressReportFactory(status=ProgressReport.Status.NOT_STARTED, percent=0)

    assert ProgressReport.objects.count() == 2


def test_same_task_assigned_twice_to_a_ward_is_refused():
    assignment = TaskAssignmentFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        TaskAssignment.objects.create(task=assignment.task, ward=assignment.ward)


def test_feedback_resolved_before_it_was_received_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedbackFactory(
            team=team,
            received_on=SEPT_5,
            status=CitizenFeedback.Status.RESOLVED,
            resolved_on=datetime.date(2025, 9, 4),
        )


def test_resolved_feedback_without_a_date_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedbackFactory(team=team, status=CitizenFeedback.Status.RESOLVED)


def test_open_feedback_with_a_resolution_date_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedbackFactory(team=team, status=CitizenFeedback.Status.NEW, resolved_on=SEPT_5)


def test_forwarded_feedback_without_a_recipient_is_refused():
    team = TeamFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedbackFactory(team=team, status=CitizenFeedback.Status.FORWARDED)


def test_feedback_forwarded_and_resolved_properly_is_accepted():
    CitizenFeedbackFactory(
        status=CitizenFeedback.Status.FORWARDED, forwarded_to="UBND phường Thượng Thanh"
    )
    CitizenFeedbackFactory(
        received_on=SEPT_5, status=CitizenFeedback.Status.RESOLVED, resolved_on=SEPT_5
    )

    assert CitizenFeedback.objects.count() == 2


def test_residential_group_code_twice_in_a_ward_is_refused():
    group = ResidentialGroupFactory(code="01")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentialGroupFactory(ward=group.ward, code="01")


def test_residential_group_code_reused_in_another_ward_is_accepted():
    ResidentialGroupFactory(code="01")
    ResidentialGroupFactory(code="01")

    assert ResidentialGroup.objects.filter(code="01").count() == 2


def test_residential_group_with_fewer_people_than_households_is_refused():
    ward = WardFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentialGroupFactory(ward=ward, households=100, population=99)


def test_ward_level_training_without_its_ward_is_refused():
    district = DistrictFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Training.objects.create(
            district=district, date=SEPT_5, title="Tập huấn", organiser_level=Training.Level.WARD
        )


def test_full_clean_reports_a_broken_constraint_with_its_vietnamese_message():
    leader = MemberFactory(role=Member.Role.LEADER)
    second = MemberFactory.build(team=leader.team, role=Member.Role.LEADER)

    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        second.full_clean()
    with translation.override("vi"):
        expected = str(_constraint(Member, "member_one_current_leader_per_team"))

    assert caught.value.messages == [expected]


@pytest.mark.parametrize(
    ("status", "percent", "constraint_name"),
    [
        (ProgressReport.Status.COMPLETED, 90, "progress_completed_is_100"),
        (ProgressReport.Status.NOT_STARTED, 10, "progress_not_started_is_0"),
    ],
)
def test_full_clean_reports_a_percent_at_odds_with_the_status_as_a_form_error(
    status, percent, constraint_name
):
    report = ProgressReportFactory.build(
        assignment=TaskAssignmentFactory(), status=status, percent=percent
    )

    with pytest.raises(ValidationError) as caught:
        report.full_clean()

    # Django formats every message with the constraint's name: a stray “%” would crash here.
    assert caught.value.messages == [
        _constraint(ProgressReport, constraint_name) % {"name": constraint_name}
    ]


def test_full_clean_reports_a_percent_over_100_as_a_form_error():
    report = ProgressReportFactory.build(assignment=TaskAssignmentFactory(), percent=101)

    with pytest.raises(ValidationError) as caught:
        report.full_clean()

    assert str(_constraint(ProgressReport, "progress_percent_0_100")) in caught.value.messages


def test_full_clean_refuses_an_exemplary_model_of_another_wards_team():
    model = ExemplaryModelFactory.build(ward=WardFactory(), team=TeamFactory())

    with pytest.raises(ValidationError) as caught:
        model.full_clean()

    assert list(caught.value.message_dict) == ["team"]


# The importers judge the check constraints in Python (`core.constraints.satisfies`), so that a
# file's rows are checked without a query each: the judgement must be the database's own.


def check_constraints():
    for app_label in (
        "wards",
        "teams",
        "meetings",
        "registry",
        "workreports",
        "reports",
        "awards",
        "people",
    ):
        for model in apps.get_app_config(app_label).get_models():
            for constraint in model._meta.constraints:
                if isinstance(constraint, CheckConstraint):
                    yield model, constraint


def condition_fields(condition, model):
    """{field: the constants the condition compares it with} of the fields a condition reads,
    F() references included."""
    fields = {}
    for child in condition.children:
        if isinstance(child, Q):
            for field, constants in condition_fields(child, model).items():
                fields.setdefault(field, []).extend(constants)
            continue
        lookup, other = child
        field = model._meta.get_field(lookup.partition("__")[0])
        if isinstance(other, F):
            fields.setdefault(model._meta.get_field(other.name), [])
            fields.setdefault(field, [])
        else:
            constants = other if isinstance(other, list | tuple) else [other]
            fields.setdefault(field, []).extend(c for c in constants if not isinstance(c, bool))
    return fields


def edge_values(field, constants):
    """Values at and around the edges a constraint draws on `field` (its constants, one less
    and one more), and values either side of another field's."""
    if field.is_relation:
        values = [1]
    elif field.choices:
        values = [value for value, _label in field.choices] + ([""] if field.blank else [])
    elif isinstance(field, DateField):
        values = [SEPT_5 - datetime.timedelta(days=1), SEPT_5, SEPT_5 + datetime.timedelta(days=1)]
    elif isinstance(field, CharField | TextField):
        values = ["", "x", *constants]
    else:
        values = [0, 1, 99, 100, 101, 450]
        values += [edge + step for edge in constants for step in (-1, 0, 1)]
    values = list(dict.fromkeys(values))
    return [*values, None] if field.null else values


CHECKS = list(check_constraints())


def test_every_check_constraint_is_judged_here():
    assert len(CHECKS) == 33


@pytest.mark.parametrize(
    ("model", "constraint"), CHECKS, ids=[constraint.name for _model, constraint in CHECKS]
)
def test_python_judgement_of_a_check_constraint_is_the_databases(model, constraint):
    constants = condition_fields(constraint.condition, model)
    fields = list(constants)
    outcomes = set()
    for values in itertools.product(*(edge_values(field, constants[field]) for field in fields)):
        instance = model(
            **{field.attname: value for field, value in zip(fields, values, strict=True)}
        )
        try:
            constraint.validate(model, instance)
        except ValidationError:
            database = False
        else:
            database = True
        assert satisfies(constraint.condition, instance) == database, dict(
            zip([field.name for field in fields], values, strict=True)
        )
        outcomes.add(database)
    assert outcomes == {True, False}  # the values both meet and break the constraint
