"""Reads of the reporting cycle, shaped for its pages and documents."""

import dataclasses

from django.db.models import BigIntegerField, Case, Count, Q, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from .figures import FIGURES, KEYS, SECTIONS, count_figures, reported
from .models import Narratives, WardReport

State = WardReport.State
SENT = (State.SUBMITTED, State.ACCEPTED)


def sent_sums(period) -> tuple[dict[str, int], int]:
    """The figures of the reports of `period` sent so far (submitted or accepted), summed as
    reported (the correction of a figure, or the figure counted), and how many reports they
    are: one query, the database reading the figures out of the reports."""
    sums = {
        f"f{index}": Sum(
            Cast(
                Coalesce(KT(f"corrections__{key}__value"), KT(f"counted__{key}")),
                BigIntegerField(),
            )
        )
        for index, key in enumerate(KEYS)
    }
    row = WardReport.objects.filter(period=period, state__in=SENT).aggregate(
        reports=Count("pk"), **sums
    )
    return {key: row[f"f{index}"] or 0 for index, key in enumerate(KEYS)}, row["reports"]


def _overdue(period, today):
    """Never sent and past the deadline (a report returned was sent in time: it is counted
    as returned)."""
    return Q(state=State.DRAFT) & Q(period__deadline__lt=today)


def state_counts(period, *, today=None) -> dict[str, int]:
    """How many of the period's reports are in each state, and how many of those not sent
    have passed the deadline (`late`): one query."""
    today = today or timezone.localdate()
    counts = WardReport.objects.filter(period=period).aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=Q(state=state)) for state in State.values},
        late=Count("pk", filter=_overdue(period, today)),
        # First sent after the deadline, whatever became of it since.
        sent_late=Count("pk", filter=Q(submitted_at__date__gt=period.deadline)),
    )
    return counts


# What the consolidation page filters its wards by (`?state=`).
FILTERS = {
    "late": lambda period, today: _overdue(period, today),
    **{state: (lambda period, today, state=state: Q(state=state)) for state in State.values},
}


def consolidation_rows(period, *, show=None, today=None):
    """The period's reports, by ward name, with whether each is late (`late`: not sent and
    past the deadline, or sent after it); only those of one state or the late ones with
    `show` (a key of FILTERS)."""
    today = today or timezone.localdate()
    rows = WardReport.objects.filter(period=period)
    if show in FILTERS:
        rows = rows.filter(FILTERS[show](period, today))
    return (
        rows.select_related("ward")
        .only(
            "state",
            "submitted_at",
            "period_id",
            "ward__code",
            "ward__name",
            "ward__kind",
        )
        .alias(sent_day=TruncDate("submitted_at"))
        .annotate(
            late=Case(
                When(_overdue(period, today), then=Value(True)),
                When(
                    Q(submitted_at__isnull=False) & Q(sent_day__gt=period.deadline),
                    then=Value(True),
                ),
                default=Value(False),
            ),
        )
        .order_by("ward__sort_name", "ward__code")
    )


@dataclasses.dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    counted: int
    value: int
    reason: str


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    title: str
    rows: list
    summed: bool  # whether its rows add up to a total (activities, households by field)
    counted_total: int
    total: int


def report_figures(report) -> list[Section]:
    """The report's figures by section: as counted (now, for a report not sent; as they
    were when it was sent, otherwise) and as reported, with the reason of each correction."""
    counted = report.counted
    if not report.is_sent or counted is None:
        period = report.period
        counted = count_figures(ward=report.ward, start=period.start, end=period.end)
    return figure_sections(counted, report.corrections)


SUMMED = ("activities", "households")


def figure_sections(counted, corrections=None) -> list[Section]:
    corrections = corrections or {}
    values = reported(counted, corrections)
    sections = []
    for name, title in SECTIONS.items():
        rows = [
            FigureRow(
                key=figure.key,
                label=figure.label,
                counted=counted.get(figure.key, 0),
                value=values[figure.key],
                reason=corrections.get(figure.key, {}).get("reason", ""),
            )
            for figure in FIGURES
            if figure.section == name
        ]
        sections.append(
            Section(
                name=name,
                title=title,
                rows=rows,
                summed=name in SUMMED,
                counted_total=sum(row.counted for row in rows),
                total=sum(row.value for row in rows),
            )
        )
    return sections


def gathered_narratives(period) -> dict[str, str]:
    """Each narrative section of the reports sent, ward by ward, as the first draft of the
    unit's report."""
    gathered = {name: [] for name in Narratives.NAMES}
    rows = (
        WardReport.objects.filter(period=period, state__in=SENT)
        .select_related("ward")
        .order_by("ward__sort_name")
    )
    for report in rows:
        for name in Narratives.NAMES:
            text = getattr(report, name).strip()
            if text:
                gathered[name].append(f"- {report.ward}: {text}")
    return {name: "\n".join(lines) for name, lines in gathered.items()}
