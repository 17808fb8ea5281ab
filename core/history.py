"""A record's history as the admin's history page shows it: each change in the words of the
record's own form (“Có”, a choice's label, dd/mm/yyyy, “–” for nothing), not Python's
(“None”, “True”, “[] → [5]”)."""

import datetime

from django.db.models import ManyToManyField
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

NOTHING = "–"


class HistoryInWords(HistoricalRecordContextHelper):
    def stringify_delta_change_values(self, change, old, new):
        field = self.model._meta.get_field(change.field)
        return tuple(conditional_escape(self.in_words(field, value)) for value in (old, new))

    def in_words(self, field, value):
        if isinstance(field, ManyToManyField):
            return ", ".join(map(str, value)) or NOTHING
        if value is None or value == "":
            return NOTHING
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, datetime.datetime):
            return date_format(value, "SHORT_DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        return str(value)
