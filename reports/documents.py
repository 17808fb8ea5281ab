"""The contents of the printed documents of a seminar: the party document's header and
signature block (Hướng dẫn 36-HD/VPTW), and each document's own facts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.selectors import directive_tasks, matrix_wards, progress_matrix, seminar_facts
from registry.models import DocumentKind, document_symbol
from workreports import selectors as work_reports

from . import dashboards


def issuing_body(organiser, party_committee):
    """The organiser as the header names it under its party committee: “Ban Dân vận Quận
    ủy” under “Quận ủy Long Biên” is “Ban Dân vận”."""
    committee = " ".join(party_committee.split()[:2])  # “Quận ủy”
    organiser = organiser.strip()
    if committee and organiser.lower().endswith(committee.lower()):
        organiser = organiser[: -len(committee)].strip()
    return organiser


def place_and_date(place, day):
    return _("%(place)s, %(day)s %(month)s %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": day.month,
        "year": day.year,
    }


def recipient_lines(text):
    """“Nơi nhận”, one per line, as a document prints them: the document adds each line's
    “- ” and its closing “,” or “.”, so those typed with the line are left out (“- Lưu
    BDVQU.” prints once as “- Lưu BDVQU.”, not “- - Lưu BDVQU..”)."""
    lines = (line.strip().lstrip("-–—•+* ").rstrip(",.;: ") for line in text.splitlines())
    return [line for line in lines if line]


def document(seminar, facts, *, number, day, title):
    """What every document of `seminar` prints around its body."""
    return {
        "seminar": seminar,
        "facts": facts,
        "document_title": title,
        "committee": seminar.district.party_committee,
        "issuer": issuing_body(seminar.organiser, seminar.district.party_committee),
        "number": number,
        "place_and_date": place_and_date(seminar.district.name, day),
        "signer": facts.chair,
        "signer_position": seminar.signer_position,
        "recipients": recipient_lines(seminar.recipients),
    }


def seminar_document(seminar, *, number, title):
    """A document about the seminar itself (its report, its conclusion notice), dated the
    seminar's last day."""
    facts = seminar_facts(seminar=seminar)
    day = facts.dates[-1] if facts.dates else timezone.localdate()
    return document(seminar, facts, number=number, day=day, title=title)


def directive_document(directive, *, number, day, title):
    """What a document about a directive that is not a seminar's prints around its body."""
    return unit_document(directive.district, number=number, day=day, title=title)


def unit_document(district, *, number, day, title):
    """What a managing unit's own document prints around its body: the unit's committee and
    office, no signer named; a superuser's, of no unit, the office alone."""
    office = _("Mass Mobilisation Commission")
    return {
        "document_title": title,
        "committee": district.party_committee if district else "",
        "issuer": issuing_body(district.office or office, district.party_committee)
        if district
        else office,
        "number": number,
        "place_and_date": place_and_date(district.name if district else "", day),
        "signer": None,
        "signer_position": _("Head of the commission"),
        "recipients": [],
    }


def ward_document(ward, *, kind, day, title):
    """What a ward's own document prints around its body: under the party organisation of
    its managing unit, the ward's party committee (“Đảng ủy phường …”), its number with the
    committee's symbol (ĐU), signed on its behalf by its secretary."""
    district = ward.district
    return {
        "document_title": title,
        "committee": _("Party organisation of the %(unit)s")
        % {"unit": f"{district.get_kind_display().lower()} {district.name}"},
        "issuer": _("Party committee of the %(ward)s")
        % {"ward": f"{ward.get_kind_display().lower()} {ward.name}"},
        "number": document_symbol(kind, WARD_COMMITTEE_SYMBOL),
        "place_and_date": place_and_date(ward.name, day),
        "signer": None,
        "signer_position": _("Secretary"),
        "recipients": [],
    }


# The symbol of a ward's party committee in its documents' numbers (“…/BC-ĐU”).
WARD_COMMITTEE_SYMBOL = "ĐU"


def progress_report(directive, *, wards, period, ward=None):
    """Where the wards of `wards` stand on the directive's tasks at the end of `period`: the
    chart of the dashboards, and a ward-by-task table, unreported wards first. A seminar's
    conclusion prints under the seminar's header and signature, as its other documents; one
    ward's report (`ward`, printed by its officer) under the ward's own heading."""
    today = timezone.localdate()
    title = _("Progress report")
    number = document_symbol(DocumentKind.REPORT, directive.district.office_symbol)
    if ward is not None:
        head = ward_document(ward, kind=DocumentKind.REPORT, day=today, title=title)
    elif directive.seminar_id:
        seminar = directive.seminar
        head = document(
            seminar, seminar_facts(seminar=seminar), number=number, day=today, title=title
        )
    else:
        head = directive_document(directive, number=number, day=today, title=title)
    tasks = list(directive_tasks(directive.tasks.prefetch_related("bodies")))
    chart, progress = dashboards.progress_chart(
        directive=directive, tasks=tasks, wards=wards, period=period
    )
    rows = matrix_wards(directive=directive, wards=wards, start=period.start, end=period.end)
    matrix = progress_matrix(
        directive=directive, tasks=tasks, wards=list(rows), as_of=period.as_of()
    )
    return {
        **head,
        "directive": directive,
        "tasks": tasks,
        "period": period,
        # Mid-sentence: “…, quý IV/2019”, not “…, Quý IV/2019”.
        "period_phrase": period.label[:1].lower() + period.label[1:],
        "chart": chart,
        "progress": progress,
        "matrix": matrix,
        "unreported": [row.ward for row in matrix if not row.reported],
        "totals": {
            "assigned": sum(item.ward_count for item in progress),
            "completed": sum(item.completed for item in progress),
            "in_progress": sum(item.in_progress for item in progress),
            "not_started": sum(item.not_started for item in progress),
            "not_reported": sum(item.not_reported for item in progress),
            "overdue": sum(item.overdue for item in progress),
        },
    }


def consolidated_report(reporting):
    """The managing unit's work report of a period (báo cáo tổng hợp): the figures of the
    wards' reports summed (as issued, or as sent so far for a draft, which prints its
    number blank), the unit's four sections, and the wards that sent nothing."""
    consolidated = reporting.consolidated
    district = reporting.district
    issued = consolidated.document
    if issued:  # as it was issued
        sums, summed = consolidated.figures, consolidated.reports_summed
        asked, unsent = consolidated.reports_asked, consolidated.unsent
    else:
        sums, summed = work_reports.sent_sums(reporting)
        asked = work_reports.state_counts(reporting)["total"]
        rows = work_reports.consolidation_rows(reporting).exclude(state__in=work_reports.SENT)
        unsent = [row.ward.name for row in rows]
    return {
        "reporting": reporting,
        "consolidated": consolidated,
        "document_title": _("Work report"),
        "committee": district.party_committee,
        "issuer": issuing_body(
            district.office or _("Mass Mobilisation Commission"), district.party_committee
        ),
        "number": issued.symbol
        if issued
        else document_symbol(DocumentKind.REPORT, district.office_symbol),
        "place_and_date": place_and_date(
            district.name, issued.issued_on if issued else timezone.localdate()
        ),
        "signer": {"full_name": consolidated.signer},
        "signer_position": consolidated.signer_position,
        "recipients": recipient_lines(consolidated.recipients),
        **_by_field(work_reports.figure_sections(sums)),
        "summed": summed,
        "asked": asked,
        "unsent": unsent,
    }


def _by_field(sections):
    """The sections of figures as the report prints them: activities and households side by
    side, a row per field; the others as they are."""
    by_name = {section.name: section for section in sections}
    activities, households = by_name.pop("activities"), by_name.pop("households")
    return {
        "by_field": [
            (row.label, row.value, other.value)
            for row, other in zip(activities.rows, households.rows, strict=True)
        ],
        "field_totals": (activities.total, households.total),
        "sections": list(by_name.values()),
    }
