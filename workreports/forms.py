import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorsBesideFields
from core.pages import DayFirstDateField
from core.periods import YEARS, Period

from .models import ConsolidatedReport, Narratives, ReportingPeriod

LARGEST_FIGURE = 10_000_000  # more households than the country has: a typing slip


def _name(key, part):
    return f"{part}-{key.replace('.', '--')}"


class WardReportForm(forms.Form):
    """A ward's report: each figure as reported (the counted one unless corrected, which
    needs a reason) and the four narrative sections."""

    results = forms.CharField(label=_("Results"), required=False, widget=forms.Textarea)
    shortcomings = forms.CharField(
        label=_("Shortcomings and their causes"), required=False, widget=forms.Textarea
    )
    directions = forms.CharField(
        label=_("Directions and tasks for the next period"),
        required=False,
        widget=forms.Textarea,
    )
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea)

    def __init__(self, *args, report, sections, **kwargs):
        initial = {name: getattr(report, name) for name in Narratives.NAMES}
        self.rows = [row for section in sections for row in section.rows]
        for row in self.rows:
            initial[_name(row.key, "value")] = row.value
            initial[_name(row.key, "reason")] = row.reason
        super().__init__(*args, initial=initial, **kwargs)
        for row in self.rows:
            self.fields[_name(row.key, "value")] = forms.IntegerField(
                label=row.label,
                min_value=0,
                max_value=LARGEST_FIGURE,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[_name(row.key, "reason")] = forms.CharField(
                label=_("Reason for the correction"), required=False, max_length=300
            )
        # A section opens by itself where something needs the officer: a correction, an
        # error; the others stay one line each (a phone's screen holds the whole form).
        self.sections = []
        for section in sections:
            rows = [self._bound_row(row) for row in section.rows]
            needs_a_look = any(
                row.reason or value.errors or reason.errors for row, value, reason in rows
            )
            self.sections.append((section, rows, needs_a_look))

    @property
    def narrative_fields(self):
        return [self[name] for name in Narratives.NAMES]

    def _bound_row(self, row):
        return row, self[_name(row.key, "value")], self[_name(row.key, "reason")]

    def clean(self):
        data = super().clean()
        for row in self.rows:
            value = data.get(_name(row.key, "value"))
            reason = (data.get(_name(row.key, "reason")) or "").strip()
            if value is not None and value != row.counted and not reason:
                self.add_error(
                    _name(row.key, "reason"),
                    _("Say why %(value)s is reported instead of the %(counted)s counted.")
                    % {"value": value, "counted": row.counted},
                )
        return data

    def narratives(self):
        return {name: self.cleaned_data[name].strip() for name in Narratives.NAMES}

    def corrections(self):
        """{figure: {"value", "reason"}} for the figures reported otherwise than counted."""
        corrections = {}
        for row in self.rows:
            value = self.cleaned_data[_name(row.key, "value")]
            if value != row.counted:
                reason = self.cleaned_data[_name(row.key, "reason")].strip()
                corrections[row.key] = {"value": value, "reason": reason}
        return corrections


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What the ward should change"), widget=forms.Textarea(attrs={"rows": 3})
    )


NUMBERS = {"month": 12, "quarter": 4, "half": 2, "year": 1}


class ReportingPeriodForm(forms.Form):
    """A period to ask the wards to report on: its kind, which one, and the deadline."""

    district = forms.ModelChoiceField(label=_("Managing unit"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportingPeriod.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=YEARS[0], max_value=YEARS[1])
    number = forms.IntegerField(
        label=_("Month, quarter or half"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("1–12 for a month, 1–4 for a quarter, 1–2 for a half-year; empty for a year."),
    )
    deadline = DayFirstDateField(label=_("Deadline"))

    def __init__(self, *args, districts, **kwargs):
        today = timezone.localdate()
        this_month = Period.month(today.year, today.month)
        kwargs.setdefault(
            "initial",
            {
                "kind": "month",
                "year": today.year,
                "number": today.month,
                "deadline": this_month.end,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        if districts.count() == 1:
            self.fields["district"].initial = districts.first()

    def clean(self):
        data = super().clean()
        kind, year, number = data.get("kind"), data.get("year"), data.get("number")
        if not (kind and year):
            return data
        if kind == "year":
            data["period"] = Period.year(year)
        elif not number or number > NUMBERS[kind]:
            self.add_error(
                "number",
                _("Give a number from 1 to %(last)s for this kind of report.")
                % {"last": NUMBERS[kind]},
            )
            return data
        else:
            data["period"] = getattr(Period, kind)(year, number)
        deadline = data.get("deadline")
        if deadline and deadline < data["period"].start:
            self.add_error("deadline", _("The deadline cannot come before the period starts."))
        elif deadline and deadline > data["period"].end + datetime.timedelta(days=366):
            self.add_error("deadline", _("The deadline is more than a year after the period."))
        return data


class ConsolidatedReportForm(ErrorsBesideFields, forms.ModelForm):
    class Meta:
        model = ConsolidatedReport
        fields = [*Narratives.NAMES, "signer", "signer_position", "recipients"]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4})}
