from django.contrib import admin

from wards.admin_base import ScopedImportExportAdmin, ScopedInline, TabularInline, manages
from wards.admin_filters import ward_filters

from .models import Person, Position
from .protection import log_personal_data, may_export_personal
from .resources import PersonResource, PositionResource


class PersonalDataExports:
    """An admin whose exports carry people's personal data for a user with the right
    (`resources.PersonalDataResource`): each such export is logged as a sight of it."""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        if may_export_personal(request.user):
            log_personal_data(request, f"{self.opts.label_lower}: {queryset.count()}")
        return data


class PositionInline(ScopedInline, TabularInline):
    model = Position
    fields = ["kind", "organisation", "started_on", "ended_on"]
    extra = 0


@admin.register(Person)
class PersonAdmin(PersonalDataExports, ScopedImportExportAdmin):
    resource_classes = [PersonResource]
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


@admin.register(Position)
class PositionAdmin(PersonalDataExports, ScopedImportExportAdmin):
    resource_classes = [PositionResource]
    list_display = ["person", "kind", "organisation", "started_on", "ended_on"]
    list_filter = ["kind", *ward_filters(Position.ward_path)]
    list_select_related = [f"person__{Person.ward_path}"]
    search_fields = ["person__full_name"]
    search_text_field = "person__search_text"
    ordering = ["person__sort_name", "-started_on"]
    autocomplete_fields = ["person"]
