from django.contrib import admin

from wards.admin_base import ScopedAdmin, ScopedInline, manages
from wards.admin_filters import ward_filters

from .models import Person, Position
from .protection import may_export_personal


class PositionInline(ScopedInline, admin.TabularInline):
    model = Position
    fields = ["kind", "organisation", "started_on", "ended_on"]
    extra = 0


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["full_name", "birth_year", "gender", "residential_group"]
    list_filter = ["gender", *ward_filters(Person.ward_path)]
    list_select_related = [Person.ward_path]
    search_fields = ["full_name"]  # its folded search column (search_source)
    ordering = ["sort_name"]
    sortable_by = ["full_name"]
    autocomplete_fields = ["residential_group"]
    inlines = [PositionInline]

    def get_exclude(self, request, obj=None):
        """Personal data to those who manage the person's ward only (`people.protection`)."""
        excluded = list(super().get_exclude(request, obj) or [])
        if not may_export_personal(request.user) or (
            obj is not None and not manages(request, obj)
        ):
            excluded += ["phone", "id_number"]
        return excluded
