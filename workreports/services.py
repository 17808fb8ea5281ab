"""The writes of the reporting cycle: each step of a report's way is one atomic action that
checks the state it starts from (under a lock on the report, so that two clicks cannot both
take it) and logs who took it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import DocumentKind
from registry.services import document_issue
from wards.models import Ward, existing_during

from .figures import KEYS, count_figures
from .models import ConsolidatedReport, Narratives, ReportEvent, ReportingPeriod, WardReport
from .selectors import SENT, consolidation_rows, sent_sums

State = WardReport.State
EDITABLE = (State.DRAFT, State.RETURNED)


class StepRefused(ValidationError):
    """A step the report's state does not allow (submitting an accepted report, say)."""


@transaction.atomic
def period_open(*, district, period, deadline, user) -> ReportingPeriod:
    """Ask the wards of `district` that exist during `period` for their reports by
    `deadline`: the period, its consolidated draft and one draft per ward, in four queries
    whatever the number of wards."""
    reporting = ReportingPeriod(
        district=district,
        kind=period.kind,
        start=period.start,
        end=period.end,
        deadline=deadline,
        created_by=user,
    )
    reporting.full_clean()
    reporting.save()
    ConsolidatedReport.objects.create(period=reporting)
    wards = Ward.objects.filter(existing_during(period.start, period.end), district=district)
    WardReport.objects.bulk_create(
        WardReport(period=reporting, ward_id=ward) for ward in wards.values_list("pk", flat=True)
    )
    return reporting


def _locked(report):
    return WardReport.objects.select_for_update().select_related("period").get(pk=report.pk)


def _log(report, action, user, comment=""):
    ReportEvent.objects.create(
        report=report, action=action, actor=user, at=timezone.now(), comment=comment
    )


@transaction.atomic
def report_save(*, report, user, narratives, corrections, submit=False) -> WardReport:
    """Keep what the officer wrote (`narratives`: the four sections; `corrections`: {figure:
    {"value": …, "reason": …}} for the figures reported otherwise than counted), as a draft
    or, with `submit`, sent: its figures are then counted and kept as they are."""
    report = _locked(report)
    if report.state not in EDITABLE:
        raise StepRefused(
            _("This report was sent on %(day)s and can no longer be changed.")
            % {"day": timezone.localtime(report.submitted_at).strftime("%d/%m/%Y %H:%M")},
            code="sent",
        )
    unknown = set(corrections) - set(KEYS)
    if unknown:
        raise ValueError(f"unknown figures {sorted(unknown)}")
    for name in Narratives.NAMES:
        setattr(report, name, narratives[name])
    report.corrections = corrections
    fields = [*Narratives.NAMES, "corrections", "updated_at"]
    action = ReportEvent.Action.SAVED
    if submit:
        period = report.period
        report.counted = count_figures(ward=report.ward, start=period.start, end=period.end)
        report.state = State.SUBMITTED
        # Sent again after a return: on time or late is its first sending's (the steps log
        # every sending).
        report.submitted_at = report.submitted_at or timezone.now()
        fields += ["counted", "state", "submitted_at"]
        action = ReportEvent.Action.SUBMITTED
    report.save(update_fields=fields)
    _log(report, action, user)
    return report


@transaction.atomic
def report_return(*, report, user, comment) -> WardReport:
    """Send a submitted report back to its ward with what to change: it is a draft again,
    counted anew when it is sent again."""
    report = _locked(report)
    if report.state != State.SUBMITTED:
        raise StepRefused(_("Only a submitted report can be returned."), code="state")
    if not comment.strip():
        raise StepRefused(_("Say what the ward should change."), code="comment")
    report.state = State.RETURNED
    report.save(update_fields=["state", "updated_at"])
    _log(report, ReportEvent.Action.RETURNED, user, comment.strip())
    return report


@transaction.atomic
def report_accept(*, report, user) -> WardReport:
    report = _locked(report)
    if report.state != State.SUBMITTED:
        raise StepRefused(_("Only a submitted report can be accepted."), code="state")
    report.state = State.ACCEPTED
    report.save(update_fields=["state", "updated_at"])
    _log(report, ReportEvent.Action.ACCEPTED, user)
    return report


@transaction.atomic
def consolidated_save(*, consolidated, data, fields) -> ConsolidatedReport:
    """Keep the draft's `fields` as edited (`data`), unless it was issued meanwhile: an issue
    and an edit at once keep the issue, number and figures."""
    consolidated = ConsolidatedReport.objects.select_for_update().get(pk=consolidated.pk)
    if consolidated.document_id:
        raise StepRefused(
            _("This report has been issued and can no longer be changed."), code="issued"
        )
    for name in fields:
        setattr(consolidated, name, data[name])
    consolidated.save(update_fields=[*fields, "updated_at"])
    return consolidated


@transaction.atomic
def consolidated_issue(*, consolidated, user, day=None) -> ConsolidatedReport:
    """Issue the unit's report of the period: the next report number of the unit from the
    register, and the figures of the reports sent so far kept as they were summed."""
    consolidated = (
        ConsolidatedReport.objects.select_for_update()
        .select_related("period__district")
        .get(pk=consolidated.pk)
    )
    if consolidated.document_id:
        raise StepRefused(_("This report has already been issued."), code="issued")
    period = consolidated.period
    figures, count = sent_sums(period)
    if not count:
        raise StepRefused(_("No ward has sent its report yet."), code="empty")
    consolidated.figures, consolidated.reports_summed = figures, count
    consolidated.reports_asked = period.ward_reports.count()
    consolidated.unsent = [
        row.ward.name for row in consolidation_rows(period).exclude(state__in=SENT)
    ]
    consolidated.document = document_issue(
        district=period.district,
        kind=DocumentKind.REPORT,
        title=_("Mass mobilisation work, %(period)s") % {"period": period.period.label},
        day=day or timezone.localdate(),
        user=user,
    )
    consolidated.save(
        update_fields=[
            "figures",
            "reports_summed",
            "reports_asked",
            "unsent",
            "document",
            "updated_at",
        ]
    )
    return consolidated
