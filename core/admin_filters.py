"""The admin's generic filters: by the year of a date, read from the date's index; and what a
query string's id and year may be."""

import datetime

from django.contrib import admin
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The years a record's date may have: beyond them, a date of the year's first or last moment
# cannot be made (year 1 in UTC, year 10,000), and no record has them.
YEARS = range(1900, 3000)


def is_id(value):
    """Whether `value`, from the query string, can be a primary key ("²" is a digit)."""
    return value.isascii() and value.isdigit() and len(value) < 19


def year_filter(field):
    """A filter by the year of the date `field`, offering the years from the listed rows'
    first to their last: two reads of the date's index, where the admin's date hierarchy
    lists the years with a DISTINCT over every row (0.7 s on 5,000,000 activities)."""

    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = f"{field}__year"

        def lookups(self, request, model_admin):
            span = model_admin.get_queryset(request).aggregate(first=Min(field), last=Max(field))
            if span["first"] is None:
                return []
            first, last = (_local(span[end]).year for end in ("first", "last"))
            first, last = max(first, YEARS.start), min(last, YEARS.stop - 1)
            return [(str(year), str(year)) for year in range(last, first - 1, -1)]

        def queryset(self, request, queryset):
            if self.value() is None:
                return queryset
            year = self.value()
            if not (is_id(year) and int(year) in YEARS):
                return queryset.none()  # a year no record has
            return queryset.filter(**{f"{field}__year": int(year)})

    return YearFilter


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value
