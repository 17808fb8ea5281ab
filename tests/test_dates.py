"""Dates are day-first (dd/mm/yyyy), typed and shown, in Vietnamese and in English."""

import datetime

import pytest
from django import forms
from django.forms import modelform_factory
from django.utils import formats, translation

from core.pages import DayFirstDateField
from teams.models import Activity

SEPT_5 = datetime.date(2025, 9, 5)
LANGUAGES = ["vi", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "typed",
    [
        "05/09/2025",
        "5/9/2025",
        "05/09/25",
        "05-09-2025",
        "5-9-2025",
        "05.09.2025",
        "05,09,2025",
        "05 09 2025",
        "2025-09-05",
    ],
)
def test_date_typed_in_a_form_field_is_read_day_first(language, typed):
    with translation.override(language):
        assert forms.DateField().clean(typed) == SEPT_5


@pytest.mark.parametrize("language", LANGUAGES)
def test_date_typed_month_first_beyond_12_is_refused(language):
    with translation.override(language), pytest.raises(forms.ValidationError):
        forms.DateField().clean("09/25/2025")


@pytest.mark.parametrize("language", LANGUAGES)
def test_activity_form_reads_its_date_day_first(language):
    ActivityDateForm = modelform_factory(Activity, fields=["date"])

    with translation.override(language):
        form = ActivityDateForm(data={"date": "05/09/2025"})
        assert form.is_valid(), form.errors

    assert form.cleaned_data["date"] == SEPT_5


@pytest.mark.parametrize("language", LANGUAGES)
def test_activity_form_shows_its_date_day_first(language):
    ActivityDateForm = modelform_factory(Activity, fields=["date"])

    with translation.override(language):
        html = str(ActivityDateForm(initial={"date": SEPT_5})["date"])

    assert 'value="05/09/2025"' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("format_name", ["SHORT_DATE_FORMAT", "DATE_FORMAT"])
def test_date_is_shown_day_first(language, format_name):
    with translation.override(language):
        assert formats.date_format(SEPT_5, format_name) == "05/09/2025"


@pytest.mark.parametrize(("typed", "read"), [("05092025", SEPT_5), ("5/9/2025", SEPT_5)])
def test_a_date_box_reads_eight_digits_without_a_separator(typed, read):
    assert DayFirstDateField().clean(typed) == read


@pytest.mark.parametrize("typed", ["1122025", "592025", "050920251", "32012025"])
def test_a_date_box_refuses_digits_it_would_have_to_guess(typed):
    with pytest.raises(forms.ValidationError) as refused:
        DayFirstDateField().clean(typed)

    assert refused.value.messages == [
        "Nhập ngày theo thứ tự ngày/tháng/năm, ví dụ 15/03/2025 hoặc 15032025."
    ]


def test_a_date_box_offers_a_keypad_that_types_a_separator():
    widget = DayFirstDateField().widget

    assert (widget.attrs["inputmode"], widget.attrs["placeholder"]) == ("decimal", "dd/mm/yyyy")
