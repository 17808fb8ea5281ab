"""Writes of the meetings app."""

from django.db import transaction
from django.utils import timezone


@transaction.atomic
def progress_report_save(*, form, assignment, user):
    """Save a ward's report on its task, signed by the user who sent it, now."""
    report = form.save(commit=False)
    report.assignment = assignment
    if report.pk is None:
        report.reported_by = user
    report.reported_at = timezone.now()
    report.save()
    return report
