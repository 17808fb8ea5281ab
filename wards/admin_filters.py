"""The admin's filters by a related record (district, ward, seminar): their choices are the
records the user may see, read from those records' own small table, never worked out from
the listed rows (which at national scale would scan millions of activities)."""

import datetime

from django.contrib import admin
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The years a record's date may have: beyond them, a date of the year's first or last moment
# cannot be made (year 1 in UTC, year 10,000), and no record has them.
YEARS = range(1900, 3000)

# More wards than this in the scope (a province, the country): the ward filter waits until a
# district is chosen, instead of listing thousands of wards.
WARD_CHOICES_MAX = 100


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Choose among the related records the user sees (`visible_to`)."""

    def field_choices(self, field, request, model_admin):
        return [(obj.pk, str(obj)) for obj in self.choice_queryset(field, request)]

    def has_output(self):
        # A record chosen (by a link from a dashboard, say) filters the list even when there
        # is nothing else to choose: a filter left out of the page would not be applied.
        return bool(self.lookup_val) or super().has_output()

    def choice_queryset(self, field, request):
        related = field.related_model
        return related._default_manager.visible_to(request.user).order_by(*related._meta.ordering)


class WardFilter(ScopedRelatedFilter):
    """The wards the user sees; in a scope of many districts, those of the chosen one."""

    def field_choices(self, field, request, model_admin):
        wards = self.choice_queryset(field, request)
        district = request.GET.get(f"{self.field_path}__district__id__exact")
        if district:
            wards = wards.filter(district_id=district) if is_id(district) else wards.none()
            return [(ward.pk, str(ward)) for ward in wards]
        # One query at any scale: one ward more than are listed tells that there are too many,
        # and then only the wards chosen (read first) are offered.
        chosen = [pk for pk in self.lookup_val or () if is_id(pk)]
        if chosen:
            wards = wards.alias(chosen=Q(pk__in=chosen)).order_by("-chosen", *wards.query.order_by)
        found = list(wards[: WARD_CHOICES_MAX + 1])
        if len(found) > WARD_CHOICES_MAX:
            found = [ward for ward in found if str(ward.pk) in chosen]
        return [(ward.pk, str(ward)) for ward in found]


def is_id(value):
    """Whether `value`, from the query string, can be a primary key ("²" is a digit)."""
    return value.isascii() and value.isdigit() and len(value) < 19


def ward_filters(path):
    """`list_filter` entries by district and by ward, for the rows `path` leads to a ward."""
    return [(f"{path}__district", ScopedRelatedFilter), (path, WardFilter)]


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
