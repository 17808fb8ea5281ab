"""Base classes of every admin class: the admin shows and accepts only what the user's scope
(`scope.py`) allows, in lists, forms, choices, inlines, history, imports and exports."""

import functools

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    url_params_from_lookup_dict,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.constants import LOOKUP_SEP
from django.forms import BoundField
from django.http import Http404
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import YEARS, is_id
from core.admin_imports import JobImportExportAdmin
from core.history import HistoryInWords
from core.text import search_filter, validate_search

from .forms import ScopedModelForm, clean_key


def visible_queryset(queryset, user):
    """`queryset` narrowed to what `user` may see, for every scoped model."""
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(user)
    return queryset


# What an admin action may need permission for that writes (Django's "delete selected" needs
# "delete"); an action that names none is taken to write.
WRITES = {"add", "change", "delete"}


def managed_queryset(queryset, user):
    """`queryset` narrowed to what `user` may change (`ScopedQuerySet.managed_by`)."""
    if hasattr(queryset, "managed_by"):
        return queryset.managed_by(user)
    return queryset


def manages(request, obj):
    """Whether the user may change `obj`, a record they see: read once per request."""
    if request.user.is_superuser:
        return True
    known = request.__dict__.setdefault("_managed_records", {})
    key = (obj._meta.label, obj.pk)
    if key not in known:
        rows = type(obj)._default_manager.filter(pk=obj.pk)
        known[key] = managed_queryset(rows, request.user).exists()
    return known[key]


def require_managed(request, model, pks):
    """403 unless every row of `model` among `pks` is the user's to change (checked before a
    change or deletion, and again after a save, inside the save's transaction)."""
    pks = {pk for pk in pks if pk is not None}
    if request.user.is_superuser or not pks:
        return
    rows = model._default_manager.filter(pk__in=pks)
    if managed_queryset(rows, request.user).count() != len(pks):
        raise PermissionDenied(
            _("This record belongs to another ward or managing unit: it is not yours to change.")
        )


def owner_field(model):
    """The field of `model` through which it is managed (a cluster's seminar), if any."""
    queryset = model._default_manager.all()
    path = getattr(queryset, "owner_path", None) or getattr(queryset, "parent_path", None)
    return path.split("__")[0] if path else None


class CheckedAutocompleteMixin:
    """An autocomplete that ignores a value that cannot be a key of the related record
    (`?team=abc` on an add page) instead of failing to look it up."""

    def optgroups(self, name, value, attr=None):
        value = [item for item in value if clean_key(self.field.target_field, item) is not None]
        return super().optgroups(name, value, attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class ScopedFieldsMixin:
    """Rows, and choices of related records (selects, autocompletes), are scoped, so a
    tampered form cannot attach a record to another ward's; the record a row is managed
    through (a cluster's seminar) is chosen among those the user may change."""

    form = ScopedModelForm

    def get_queryset(self, request):
        return visible_queryset(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.related_model._default_manager.using(db).all()
        if db_field.name == owner_field(self.model):
            return managed_queryset(queryset, request.user)
        return visible_queryset(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CappedPaginator(Paginator):
    """Counts the rows up to `cap` only: a list of millions of rows (the country's activities)
    says "more than 1,000" and pages through the first 1,000 (20 pages of 50), instead of
    counting them all on every page; filters and the search narrow it down. At 10,000, a
    search for a common word counted through a trigram index of 700,000 matches (200 ms);
    at 1,000 the database stops reading after the first thousand (2 ms)."""

    cap = 1_000
    capped = False  # whether there are more rows than `count`

    @cached_property
    def count(self):
        # Unordered and without the list's columns: the database stops at the cap.
        return self.counted(self.object_list.order_by().values("pk")[: self.cap + 1].count())

    def counted(self, rows):
        """The count, `rows` having been counted up to one more than the cap."""
        self.capped = rows > self.cap
        self.__dict__["count"] = min(rows, self.cap)
        return self.count


def row_count(queryset):
    """The number of rows of `queryset` (narrowed by an `OuterRef`) as a column of each listed
    record. The subquery runs for the page's records only, where a joined `Count` would
    aggregate the whole related table (700,000 members) before the page is cut."""
    counted = queryset.order_by().annotate(rows=Func(F("pk"), function="COUNT")).values("rows")
    return Subquery(counted, output_field=IntegerField())


class OfferedSortsChangeList(ChangeList):
    """A list sorted only by the columns it offers to sort by (`sortable_by`): a sort typed
    into the address on another column (`?o=5`: the title of millions of activities, with
    no index to read them in that order) is ignored, as the headers ignore it; with none
    left, the list has its usual order."""

    def get_ordering(self, request, queryset):
        typed = self.params.pop(ORDER_VAR, None)
        offered = [part for part in (typed or "").split(".") if self.offers(part)]
        if offered:
            self.params[ORDER_VAR] = ".".join(offered)
        return super().get_ordering(request, queryset)

    def offers(self, part):
        number = part.removeprefix("-")
        if not (is_id(number) and int(number) < len(self.list_display)):
            return False
        return self.list_display[int(number)] in self.sortable_by


# The lookups the admin's own list filters and date hierarchy make of a field: a value, a
# choice, a related record's id, whether it is empty, a range of days, a year, month, day.
FILTER_LOOKUPS = {"exact", "isnull", "id__exact", "gte", "lt", "year", "month", "day"}


def _offered_by_a_popup(model, lookup, value):
    """Whether `lookup=value` is a condition of a related record's `limit_choices_to` (the
    list a raw-id popup opens)."""
    for condition in model._meta.related_fkey_lookups:
        condition = condition() if callable(condition) else condition
        if (lookup, value) in url_params_from_lookup_dict(condition).items():
            return True
    return False


class CheckedListMixin:
    """What a list reads from its query string, made safe at national scale. The date
    hierarchy's year, month and day are read as numbers: beyond the calendar (a year of 25
    digits, the year 9999 whose end is in 10,000), the list says its filter is wrong
    instead of failing to make the date. Facets (`?_facets`, the count of each filter's
    choices over the whole list: more than ten minutes over 5,000,000 activities) are never
    shown."""

    show_facets = admin.ShowFacets.NEVER

    def lookup_allowed(self, lookup, value, request=None):
        """Only the lookups the list's own filters make (`FILTER_LOOKUPS` of a field they
        filter by). Django also allows any lookup of the model's own fields
        (`?description__icontains=…`: a scan of the country's 5,000,000 activities, 1.5 s)
        and any through a filtered relation (`?team__residential_group__ward__name__regex=…`).
        A lookup refused is Django's “bad request” (400)."""
        if not super().lookup_allowed(lookup, value, request):
            return False
        if _offered_by_a_popup(self.model, lookup, value):
            return True  # a related record's `limit_choices_to`, which Django allows too
        names = {field.name for field in self.model._meta.get_fields()}
        if lookup.split(LOOKUP_SEP)[0] not in names:
            return True  # a simple filter's own parameter (or nothing the list reads)
        return any(
            lookup == path
            or (lookup.startswith(path + LOOKUP_SEP) and lookup[len(path) + 2 :] in FILTER_LOOKUPS)
            for path in self.filtered_paths(request)
        )

    def filtered_paths(self, request):
        """The paths of the fields the list filters by, of its date hierarchy, and its
        primary key (a list narrowed to some records: `?id__exact=7`)."""
        paths = {self.date_hierarchy, self.model._meta.pk.name} - {None}
        for item in self.get_list_filter(request) if request is not None else self.list_filter:
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                paths.add(item.parameter_name)
            else:
                paths.add(item[0] if isinstance(item, list | tuple) else item)
        return paths

    def get_changelist_instance(self, request):
        if self.date_hierarchy:
            for part, allowed in (("year", YEARS), ("month", range(1, 13)), ("day", range(1, 32))):
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (is_id(value) and int(value) in allowed):
                    raise IncorrectLookupParameters(part)
        return super().get_changelist_instance(request)


class ScopedModelAdmin(ScopedFieldsMixin, CheckedListMixin, admin.ModelAdmin):
    """Records outside the scope answer 404, and a save that would put a record outside the
    scope is refused (and rolled back with the rest of the form).

    Lists stay quick on national data: they count at most 1,000 rows (`CappedPaginator`,
    and no second count of the unfiltered list), sort by the columns offered only
    (`OfferedSortsChangeList`), and models with a folded search column are
    searched through it (trigram-indexed on PostgreSQL), as the workspace's lists are."""

    paginator = CappedPaginator
    show_full_result_count = False
    list_per_page = 50  # Django's 100 rows take half of a page's time to render
    # The folded column searched, for a model without one of its own (a team: its group's).
    search_text_field = None

    def get_changelist(self, request, **kwargs):
        return OfferedSortsChangeList

    def action_checkbox(self, obj):
        """Django's checkbox of a row, the same HTML written here: rendered through the
        checkbox widget's templates, it was a seventh of a list's time (50 rows)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def get_readonly_fields(self, request, obj=None):
        # A unit's parent is set when it is made (`FixedParentModel`).
        fixed = getattr(self.model, "fixed_fields", ()) if obj is not None else ()
        return [*super().get_readonly_fields(request, obj), *fixed]

    def response_action(self, request, queryset):
        # "Select all" acts on every row of the filtered list, which counts only up to the
        # cap: an action on more rows than the page can say is refused.
        cap = self.paginator.cap
        select_across = request.POST.get("select_across") == "1"
        if select_across and queryset[: cap + 1].count() > cap:
            self.message_user(
                request,
                _("An action can apply to at most %(cap)s records at once: filter the list first.")
                % {"cap": number_format(cap, force_grouping=True)},
                messages.ERROR,
            )
            return redirect(request.get_full_path())
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(clean_key(self.opts.pk, pk) is None for pk in selected):
            self.message_user(request, _("The rows chosen are not in this list."), messages.ERROR)
            return redirect(request.get_full_path())
        return super().response_action(request, queryset)

    def get_actions(self, request):
        # An action that writes applies to rows the user may change, all of them or none:
        # checked on the rows Django hands it, whichever of the page's forms was sent.
        return {
            name: (self.checked_action(function), name, description)
            for name, (function, name, description) in super().get_actions(request).items()
        }

    def checked_action(self, function):
        if not set(getattr(function, "allowed_permissions", ("change",))) & WRITES:
            return function  # an export, say

        @functools.wraps(function)
        def checked(model_admin, request, queryset):
            require_managed(request, self.model, queryset.values_list("pk", flat=True))
            return function(model_admin, request, queryset)

        return checked

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or manages(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or manages(request, obj))

    def get_search_results(self, request, queryset, search_term):
        try:
            validate_search(search_term)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return queryset.none(), False
        field = self.search_text_field
        if field is None and getattr(self.model, "search_source", ()):
            field = "search_text"
        if search_term and field:
            searched = queryset.filter(search_filter(search_term, field=field))
            return self.found(request, queryset, searched), False
        return super().get_search_results(request, queryset, search_term)

    def found(self, request, queryset, searched):
        """The rows of `queryset` a search found: named by their ids when they are no more
        than the list counts (`CappedPaginator.cap`). The database cannot tell how many
        rows a word matches, and would read a list in its order (activities by date)
        through millions of rows for the few that match (a word found nowhere: all of
        them); their ids are read through the trigram index. Read up to one more than the
        cap, they are the list's count too (`get_paginator`)."""
        cap = self.paginator.cap
        read = list(searched.order_by().values_list("pk", flat=True)[: cap + 1])
        # A filter through a list of records (a user's groups) repeats rows, which
        # Django's changelist makes distinct after the search.
        ids = set(read)
        if len(read) > cap and len(ids) < len(read):
            return searched  # how many distinct rows, not known: the paginator counts them
        request.search_rows = (self.model, len(ids))
        return searched if len(ids) > cap else queryset.filter(pk__in=ids)

    def get_paginator(self, request, queryset, per_page, **kwargs):
        paginator = super().get_paginator(request, queryset, per_page, **kwargs)
        model, rows = request.__dict__.pop("search_rows", (None, None))
        if model is self.model:
            paginator.counted(rows)
        return paginator

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record, or it is not yours to see."))
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Checked once its links are saved too (an officer is in scope through their wards);
        # the admin's transaction takes the whole save back.
        require_managed(request, self.model, [form.instance.pk])

    def save_formset(self, request, form, formset, change):
        # An inline row changed or deleted must have been the user's to change, and a row
        # saved must be theirs after the save.
        touched = [
            row.instance.pk
            for row in formset.initial_forms
            if row.has_changed() or row in formset.deleted_forms
        ]
        require_managed(request, formset.model, touched)
        saved = formset.save()
        require_managed(request, formset.model, [row.pk for row in saved])


class ScopedAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """A scoped model admin with the history of each record (read-only: no revert)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryInWords(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history would show the history of any record, even out of scope.
        # A superuser also sees the history of deleted records.
        if clean_key(self.opts.pk, object_id) is None:
            raise Http404(_("No such record, or it is not yours to see."))
        if not request.user.is_superuser:
            self.get_object(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The past version is shown, never saved back: a revert could bypass permissions
        # and move a record to another ward.
        if request.method == "POST":
            raise PermissionDenied(_("Past versions cannot be restored."))
        self.get_object(request, object_id)
        if clean_key(self.model.history.model._meta.pk, version_id) is None:
            raise Http404(_("No such version of this record."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedImportExportAdmin(ScopedAdmin, JobImportExportAdmin):
    """Imports and exports (`core.admin_imports`) of the records the user's scope allows:
    the export writes the scoped list, an import's rows are looked up among the records the
    user sees."""


class ScopedInline(ScopedFieldsMixin, admin.options.InlineModelAdmin):
    """An inline whose rows and choices are scoped, and whose rows are written only under a
    parent the user may change."""

    def has_add_permission(self, request, obj):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or manages(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or manages(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or manages(request, obj))


class HelpApartBoundField(BoundField):
    """A field whose help text is not printed beside it under the id Django's widgets point
    to (`id_x_helptext`): a column's heading carries it, or a widget of no id. The field is
    described by its errors only, never by an element the page does not have."""

    @property
    def aria_describedby(self):
        return f"{self.auto_id}_error" if self.auto_id and self.errors else None


class CellBoundField(HelpApartBoundField):
    """A field in a row of a table of rows: its column's heading names it (the cell has no
    label of its own) and carries its help text (an icon)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.setdefault("aria-label", str(self.label))
        return attrs


class TabularInline(admin.TabularInline):
    """Rows in a table, each field named for a screen reader by its column."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.bound_field_class = CellBoundField  # the form class is made per call
        return formset


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
