"""Reporting periods: a month, a quarter, a half-year, a year or a range of days, named in the
query string (`?period=2026-11`, `2026-Q3`, `2026-H1`, `2026`; `?from=…&to=…` for a range);
and the month arithmetic
every app does on dates (`first_of_month`, `month_end`, `next_month`)."""

import calendar
import dataclasses
import datetime
import re

from django import forms
from django.core.management.base import CommandError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.pages import DayFirstDateField

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
YEARS = (1900, 2100)  # what a period may name: the dates of the records have the same bounds
LONGEST_RANGE_DAYS = 366 * 5  # the monthly chart of a range stays readable


@dataclasses.dataclass(frozen=True)
class Period:
    kind: str  # "month", "quarter", "half", "year" or "range"
    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year, month):
        return cls(
            "month", datetime.date(year, month, 1), month_end(datetime.date(year, month, 1))
        )

    @classmethod
    def quarter(cls, year, quarter):
        first = 3 * quarter - 2
        return cls(
            "quarter", datetime.date(year, first, 1), month_end(datetime.date(year, first + 2, 1))
        )

    @classmethod
    def half(cls, year, half):
        first = 6 * half - 5
        return cls(
            "half", datetime.date(year, first, 1), month_end(datetime.date(year, first + 5, 1))
        )

    @classmethod
    def year(cls, year):
        return cls("year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def containing(cls, kind, day):
        if kind == "month":
            return cls.month(day.year, day.month)
        if kind == "quarter":
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == "half":
            return cls.half(day.year, (day.month - 1) // 6 + 1)
        return cls.year(day.year)

    @property
    def param(self):
        """The period as `?period=` names it (empty for a range of days)."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        if self.kind == "half":
            return f"{self.start.year}-H{(self.start.month + 5) // 6}"
        if self.kind == "year":
            return str(self.start.year)
        return ""

    def whole_months(self):
        """The first days of the first and the last month lying wholly in the period (None
        when none does), and the (first, last) days of the period outside them: the months
        come from the tallies, the days at the edges of a range from the records."""
        first = self.start if self.start.day == 1 else next_month(self.start)
        last_end = (
            self.end
            if self.end == month_end(self.end)
            else (self.end.replace(day=1) - datetime.timedelta(days=1))
        )
        if first > last_end:
            return None, [(self.start, self.end)]
        edges = []
        if self.start < first:
            edges.append((self.start, first - datetime.timedelta(days=1)))
        if last_end < self.end:
            edges.append((last_end + datetime.timedelta(days=1), self.end))
        return (first, last_end.replace(day=1)), edges

    @property
    def query(self):
        if self.kind == "range":
            return f"from={self.start.isoformat()}&to={self.end.isoformat()}"
        return f"period={self.param}"

    @property
    def label(self):
        if self.kind == "month":
            return _("Month %(month)s/%(year)s") % {
                "month": f"{self.start.month:02d}",
                "year": self.start.year,
            }
        if self.kind == "quarter":
            quarter = ROMAN[(self.start.month + 2) // 3]
            return _("Quarter %(quarter)s/%(year)s") % {
                "quarter": quarter,
                "year": self.start.year,
            }
        if self.kind == "half":
            if self.start.month == 1:
                return _("First half of %(year)s") % {"year": self.start.year}
            return _("Second half of %(year)s") % {"year": self.start.year}
        if self.kind == "year":
            return _("Year %(year)s") % {"year": self.start.year}
        return _("%(start)s to %(end)s") % {
            "start": formats.date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(self.end, "SHORT_DATE_FORMAT"),
        }

    def shifted(self, steps):
        """The period `steps` months, quarters or years later (earlier when negative)."""
        if self.kind == "year":
            return Period.year(self.start.year + steps)
        months = {"month": 1, "quarter": 3, "half": 6}.get(self.kind)
        if months is None:
            length = self.end - self.start + datetime.timedelta(days=1)
            return Period("range", self.start + steps * length, self.end + steps * length)
        index = self.start.year * 12 + self.start.month - 1 + steps * months
        year, month = divmod(index, 12)
        return Period.containing(self.kind, datetime.date(year, month + 1, 1))

    def months(self):
        """The first day of every month the period touches."""
        day = self.start.replace(day=1)
        while day <= self.end:
            yield day
            day = next_month(day)

    def as_of(self):
        """The day a status is read on: the period's end, or today for a current period."""
        return min(self.end, timezone.localdate())


def first_of_month(value):
    """The first day of the month of a date (or of a datetime, as TruncMonth gives on some
    SQLite builds)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def month_end(day):
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day):
    """The first day of the month after that of `day`."""
    return month_end(day) + datetime.timedelta(days=1)


PARAM = re.compile(
    r"^(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|H(?P<half>[12])|(?P<month>0[1-9]|1[0-2])))?$"
)


class PeriodForm(forms.Form):
    """The period of a dashboard; the current year when none (or a wrong one) is given."""

    period = forms.CharField(required=False)
    date_from = DayFirstDateField(label=_("From"), required=False)
    date_to = DayFirstDateField(label=_("To"), required=False)

    def __init__(self, data):
        data = data.copy()
        # Links name a range as ?from=…&to=… (ISO dates); the form's inputs are day-first.
        for name, field in (("from", "date_from"), ("to", "date_to")):
            if name in data and field not in data:
                data[field] = data[name]
        super().__init__(data)

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        match = PARAM.match(value)
        if value and not (match and YEARS[0] <= int(match["year"]) <= YEARS[1]):
            raise forms.ValidationError(
                _("“%(value)s” is not a period; write 2026, 2026-H1, 2026-Q3 or 2026-11."),
                params={"value": value},
                code="invalid",
            )
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if bool(start) != bool(end) and not self.has_error("date_from"):
            raise forms.ValidationError(_("Give both ends of the range."), code="incomplete")
        if start and end:
            if not all(YEARS[0] <= day.year <= YEARS[1] for day in (start, end)):
                raise forms.ValidationError(
                    _("Choose days between %(first)s and %(last)s."),
                    params={"first": YEARS[0], "last": YEARS[1]},
                    code="out_of_range",
                )
            if end < start:
                raise forms.ValidationError(_("The range ends before it starts."), code="reversed")
            if (end - start).days > LONGEST_RANGE_DAYS:
                raise forms.ValidationError(
                    _("Choose a range of at most five years."), code="too_long"
                )
        return data

    def get_period(self):
        """The period asked for, or the current year (the form then shows why)."""
        if self.is_valid():
            data = self.cleaned_data
            if data.get("date_from"):
                return Period("range", data["date_from"], data["date_to"])
            match = PARAM.match(data["period"])
            if match:
                year = int(match["year"])
                if match["quarter"]:
                    return Period.quarter(year, int(match["quarter"]))
                if match["half"]:
                    return Period.half(year, int(match["half"]))
                if match["month"]:
                    return Period.month(year, int(match["month"]))
                return Period.year(year)
        return Period.containing("year", timezone.localdate())


# What names the period in a query string, and the pages of lists that depend on it.
PERIOD_PARAMS = ("period", "from", "to", "date_from", "date_to", "page", "matrix_page", "format")


def period_links(query, period):
    """Links to the period before and after `period` and to the current month, quarter and
    year, keeping the rest of `query` (the page's QueryDict); `keep` is that rest, for the
    hidden fields of the range form."""
    keep = query.copy()
    for name in PERIOD_PARAMS:
        keep.pop(name, None)

    def href(other):
        return "?" + "&".join(filter(None, [keep.urlencode(), other.query]))

    today = timezone.localdate()
    presets = []
    for kind, label in (
        ("month", _("This month")),
        ("quarter", _("This quarter")),
        ("year", _("This year")),
    ):
        current = Period.containing(kind, today)
        presets.append((label, href(current), current == period))
    return {
        "previous": href(period.shifted(-1)),
        "next": href(period.shifted(1)),
        "presets": presets,
        "keep": list(keep.items()),
    }


def command_date(text):
    """A command's date option, written dd/mm/yyyy."""
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date written dd/mm/yyyy.") % {"value": text}
        ) from None
