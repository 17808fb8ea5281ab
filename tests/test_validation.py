"""Rules that span rows, which the database cannot check, hold in model validation (forms,
admin, imports)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from teams.models import Training
from tests.factories import (
    AttendeeFactory,
    DirectivePointFactory,
    SeminarFactory,
    SeminarSessionFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def test_attendee_in_a_cluster_of_another_seminar_is_refused():
    attendee = AttendeeFactory.build(
        seminar=SeminarFactory(), session=SeminarSessionFactory(), full_name="Lê Văn A"
    )

    with pytest.raises(ValidationError) as error:
        attendee.full_clean()

    assert "session" in error.value.message_dict


def test_attendee_in_a_cluster_of_their_seminar_is_accepted():
    session = SeminarSessionFactory()
    attendee = AttendeeFactory.build(seminar=session.seminar, session=session)

    attendee.full_clean()


def test_directing_point_of_another_seminars_cluster_and_speaker_is_refused():
    point = DirectivePointFactory.build(
        seminar=SeminarFactory(),
        session=SeminarSessionFactory(),
        speaker=AttendeeFactory(),
        number=1,
    )

    with pytest.raises(ValidationError) as error:
        point.full_clean()

    assert set(error.value.message_dict) >= {"session", "speaker"}


def test_training_of_a_ward_of_another_managing_unit_is_refused():
    training = Training(
        district=WardFactory().district,
        ward=WardFactory(),
        organiser_level=Training.Level.WARD,
        date=datetime.date(2025, 3, 15),
        title="Tập huấn kỹ năng vận động",
    )

    with pytest.raises(ValidationError) as error:
        training.full_clean()

    assert "ward" in error.value.message_dict
