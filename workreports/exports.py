"""A period's work reports as a workbook: one row per ward, with its state and its figures as
reported (as sent; a report not sent yet has none), and a sheet of the reasons for the
corrections."""

from django.utils import timezone
from django.utils.translation import gettext as _
from tablib import Databook, Dataset

from .figures import FIGURES, reported
from .models import WardReport


def file_name(reporting):
    return f"bao-cao-cong-tac-{reporting.district.code}-{reporting.period.param}"


def period_workbook(reporting):
    rows = (
        WardReport.objects.filter(period=reporting)
        .order_by("ward__sort_name", "ward__code")
        .values_list("ward__code", "ward__name", "state", "submitted_at", "counted", "corrections")
    )
    headers = [
        _("Ward code"),
        _("Ward"),
        _("State"),
        _("First sent at"),
        _("Late"),
        *(figure.column for figure in FIGURES),
    ]
    wards = Dataset(title=_("By ward"), headers=headers)
    reasons = Dataset(
        title=_("Corrections"),
        headers=[_("Ward code"), _("Ward"), _("Figure"), _("Counted"), _("Reported"), _("Reason")],
    )
    labels = {figure.key: figure for figure in FIGURES}
    states = dict(WardReport.State.choices)
    for code, name, state, submitted_at, counted, corrections in rows.iterator(chunk_size=2000):
        sent = state in (WardReport.State.SUBMITTED, WardReport.State.ACCEPTED)
        submitted_day = timezone.localtime(submitted_at).date() if submitted_at else None
        # As the page says (`selectors.consolidation_rows`): first sent after the deadline,
        # or never sent and past it.
        late = (
            submitted_day > reporting.deadline
            if submitted_day
            else timezone.localdate() > reporting.deadline
        )
        values = reported(counted, corrections) if sent else {}
        wards.append(
            [
                code,
                name,
                str(states[state]),
                submitted_day,
                _("Yes") if late else "",
                *(values.get(figure.key, "") for figure in FIGURES),
            ]
        )
        if sent:
            for key, correction in corrections.items():
                figure = labels[key]
                reasons.append(
                    [
                        code,
                        name,
                        figure.column,
                        counted.get(key, 0),
                        correction["value"],
                        correction["reason"],
                    ]
                )
    return Databook([wards, reasons])
