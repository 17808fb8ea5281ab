"""The admin's filters by a related record (district, ward, seminar): their choices are the
records the user may see, read from those records' own small table, never worked out from
the listed rows (which at national scale would scan millions of activities)."""

from django.contrib import admin
from django.db.models import Q

from core.admin_filters import is_id

# More wards than this in the scope (a province, the country): the ward filter waits until a
# district is chosen, instead of listing thousands of wards.
WARD_CHOICES_MAX = 100
# More choices than this (the country's 700 units): a list to choose from, in a form that
# keeps the list's other filters, instead of a link each (making the links' query strings
# and rendering them took half of the superuser's list page at national scale).
LINKS_MAX = 100


class ScopedRelatedFilter(admin.RelatedFieldListFilter):
    """Choose among the related records the user sees (`visible_to`)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        # “All” chosen in the list sends the parameter empty: no filter. (The parameter's
        # name is Django's `lookup_kwarg`, set only by the `__init__` that reads it.)
        name = f"{field_path}__{field.target_field.name}__exact"
        if params.get(name) == [""]:
            del params[name]
        super().__init__(field, request, params, model, model_admin, field_path)
        self.as_list = len(self.lookup_choices) > LINKS_MAX and not self.include_empty_choice
        if self.as_list:
            self.template = "admin/filter_list.html"

    def choices(self, changelist):
        if not self.as_list:
            yield from super().choices(changelist)
            return
        # The list's other parameters, which choosing here keeps (the page starts again).
        self.kept = [
            (name, value)
            for name, values in changelist.filter_params.items()
            if name not in (self.lookup_kwarg, self.lookup_kwarg_isnull)
            for value in values
        ]
        chosen = self.lookup_val or ()
        for pk, label in self.lookup_choices:
            yield {"value": pk, "display": label, "selected": str(pk) in chosen}

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


def ward_filters(path):
    """`list_filter` entries by district and by ward, for the rows `path` leads to a ward."""
    return [(f"{path}__district", ScopedRelatedFilter), (path, WardFilter)]
