from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from .models import District, ResidentialGroup, User, Ward
from .resources import ResidentialGroupResource, WardResource

admin.site.register(User, UserAdmin)


class SharedChoicesInline(admin.options.InlineModelAdmin):
    """An inline whose selects query their choices once per page, not once per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return share_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return share_choices(super().formfield_for_manytomany(db_field, request, **kwargs))


def share_choices(formfield):
    if formfield is not None:
        choices = list(formfield.choices)
        formfield.choices = choices
        # The admin wraps the select (add/change links); the inner widget renders the options.
        inner = getattr(formfield.widget, "widget", None)
        if inner is not None:
            inner.choices = choices
    return formfield


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "province", "party_committee", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


class ResidentialGroupInline(admin.TabularInline):
    model = ResidentialGroup
    fields = ["code", "name", "households", "population", "is_active"]
    extra = 0

    def get_queryset(self, request):
        # Each row shows the group's name with its ward.
        return super().get_queryset(request).select_related("ward")


@admin.register(Ward)
class WardAdmin(ImportExportModelAdmin):
    resource_classes = [WardResource]
    list_display = ["name", "kind", "code", "district", "group_count", "is_active"]
    list_filter = ["district", "kind", "is_active"]
    list_select_related = ["district"]
    search_fields = ["name", "code"]
    inlines = [ResidentialGroupInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(group_count=Count("residential_groups"))

    @admin.display(description=_("number of residential groups"), ordering="group_count")
    def group_count(self, ward):
        return ward.group_count


@admin.register(ResidentialGroup)
class ResidentialGroupAdmin(ImportExportModelAdmin):
    resource_classes = [ResidentialGroupResource]
    list_display = ["name", "code", "ward", "households", "population", "has_team", "is_active"]
    list_filter = ["ward", "is_active"]
    list_select_related = ["ward", "team"]
    search_fields = ["name", "code", "ward__name"]
    autocomplete_fields = ["ward"]

    @admin.display(description=_("has a team"), boolean=True)
    def has_team(self, group):
        return hasattr(group, "team")
