"""Writes of the workspace."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Member


class RecordInUse(Exception):
    """A record other records still need; the message says what to do instead."""


@transaction.atomic
def record_save(*, form):
    """Save a validated workspace form (a member, an activity, a feedback)."""
    return form.save()


@transaction.atomic
def record_delete(*, record):
    """Delete a workspace record, unless others still need it: a member who attended
    trainings stays (their attendance is the record of conclusion task 2)."""
    if isinstance(record, Member) and record.trainings.exists():
        raise RecordInUse(
            _(
                "%(member)s attended trainings, which would lose them: give the date they "
                "left the team instead."
            )
            % {"member": record}
        )
    record.delete()
