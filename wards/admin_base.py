"""Base classes of every admin class: the admin shows and accepts only what the user's scope
(`scope.py`) allows, in lists, forms, choices, inlines, history, imports and exports."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from .models import SecurityEvent
from .security import log_security_event


def visible_queryset(queryset, user):
    """`queryset` narrowed to what `user` may see, for every scoped model."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


class ScopedFieldsMixin:
    """Rows, and choices of related records (selects, autocompletes), are scoped, so a
    tampered form cannot attach a record to another ward's."""

    def get_queryset(self, request):
        return visible_queryset(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.related_model._default_manager.using(db).all()
        return visible_queryset(queryset, request.user)


class ScopedModelAdmin(ScopedFieldsMixin, admin.ModelAdmin):
    """Records outside the scope answer 404, and a save that would put a record outside the
    scope is refused (and rolled back with the rest of the form)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record, or it is not yours to see."))
        return obj

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not self.get_queryset(request).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("This record would be outside the wards you work for."))


class ScopedAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """A scoped model admin with the history of each record (read-only: no revert)."""

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history would show the history of any record, even out of scope.
        # A superuser also sees the history of deleted records.
        if not request.user.is_superuser:
            self.get_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The past version is shown, never saved back: a revert could bypass permissions
        # and move a record to another ward.
        if request.method == "POST":
            raise PermissionDenied(_("Past versions cannot be restored."))
        self.get_object(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class ExportForm(SelectableFieldsExportForm):
    class Media:
        # Replaces the inline onchange handler of django-import-export's template, which
        # the Content-Security-Policy blocks.
        js = ["js/export_select_all.js"]


class ScopedImportExportAdmin(ScopedAdmin, ImportExportModelAdmin):
    """Imports read with the user's scope (a row naming another ward's record fails);
    exports write the scoped list. Both go to the security log."""

    export_form_class = ExportForm

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def process_result(self, result, request):
        totals = result.totals
        log_security_event(
            SecurityEvent.Kind.IMPORT,
            request=request,
            detail=_("%(records)s: %(new)d new, %(updated)d updated, %(skipped)d unchanged")
            % {
                "records": self.model._meta.verbose_name_plural,
                "new": totals.get("new", 0),
                "updated": totals.get("update", 0),
                "skipped": totals.get("skip", 0),
            },
        )
        return super().process_result(result, request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        log_security_event(
            SecurityEvent.Kind.EXPORT,
            request=request,
            detail=_("%(records)s: %(count)d rows")
            % {"records": self.model._meta.verbose_name_plural, "count": queryset.count()},
        )
        return data


class ScopedInline(ScopedFieldsMixin, admin.options.InlineModelAdmin):
    """An inline whose rows and choices are scoped."""


class SharedChoicesInline(ScopedInline):
    """A scoped inline whose selects query their choices once per page, not once per row."""

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
