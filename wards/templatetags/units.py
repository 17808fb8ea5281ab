"""How a unit is named on a page about a period: with the part of the period it existed, when
a reorganisation began or ended it within the period (“đến 30/6/2025”, “từ 1/7/2025”)."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def lifespan_in(unit, period):
    """“until 30/06/2025” or “from 01/07/2025” (or both) when `unit` did not exist through
    all of `period`; empty otherwise."""
    parts = []
    if unit.valid_from and unit.valid_from > period.start:
        parts.append(
            _("from %(day)s") % {"day": date_format(unit.valid_from, "SHORT_DATE_FORMAT")}
        )
    if unit.valid_until and unit.valid_until < period.end:
        parts.append(
            _("until %(day)s") % {"day": date_format(unit.valid_until, "SHORT_DATE_FORMAT")}
        )
    return ", ".join(parts)
