from pathlib import PurePath

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from core.admin_filters import is_id, year_filter
from core.admin_imports import ConfirmImportForm, ImportFileForm
from core.models import ImportJob
from core.pages import XLSX
from core.tables import FileRefused, read_table

from .admin_base import (
    CheckedListMixin,
    HelpApartBoundField,
    ScopedAdmin,
    ScopedImportExportAdmin,
    ScopedInline,
    ScopedModelAdmin,
    TabularInline,
    row_count,
)
from .admin_filters import ScopedRelatedFilter, ward_filters
from .forms import ScopedModelForm
from .models import (
    District,
    Reorganisation,
    ResidentialGroup,
    SecurityEvent,
    User,
    Ward,
    WardSuccession,
)
from .reorganisations import (
    PlanRefused,
    apply,
    describe,
    plan_from_table,
    plan_template,
)
from .resources import ResidentialGroupResource, WardResource
from .roles import Role


class RoleScopeMixin:
    """A role's scope comes from one link: a ward officer serves wards and works for no
    managing unit (which would show them all its wards); the other roles work for one, and
    serve no ward besides. An account an administrator keeps stays in their scope: it keeps
    a managing unit or wards (`editor`, set by the admin, is who edits the form)."""

    editor = None

    def clean(self):
        cleaned = super().clean()
        roles = {group.name for group in cleaned.get("groups") or []} & set(Role.values)
        district, wards = cleaned.get("district"), cleaned.get("wards")
        if len(roles) > 1:
            self.add_error("groups", _("Give one role: each decides what its holder sees."))
        elif Role.WARD_OFFICER in roles:
            if district:
                self.add_error(
                    "district",
                    _("A ward officer sees only the wards they serve: leave this empty."),
                )
            if not wards:
                self.add_error("wards", _("Choose the wards this officer serves."))
        elif roles:
            if not district:
                self.add_error("district", _("Choose the managing unit this user works for."))
            if wards:
                self.add_error(
                    "wards", _("This role sees every ward of its managing unit: leave this empty.")
                )
        elif self.editor is not None and not self.editor.is_superuser and not (district or wards):
            self.add_error(
                "district",
                _(
                    "Choose the managing unit or the wards of this account: without either, it "
                    "would leave your scope."
                ),
            )
        return cleaned


class RoleFilter(admin.RelatedFieldListFilter):
    """The roles an administrator gives: other groups are the superuser's business, their
    names included."""

    def field_choices(self, field, request, model_admin):
        return [(group.pk, group.name) for group in self.groups(request)]

    def queryset(self, request, queryset):
        chosen = [pk for pk in self.lookup_val or () if is_id(pk)]
        if len(chosen) != len(self.lookup_val or ()):
            return queryset.none()
        if chosen and self.groups(request).filter(pk__in=chosen).count() != len(chosen):
            return queryset.none()
        return super().queryset(request, queryset)

    def groups(self, request):
        groups = Group.objects.order_by("name")
        if request.user.is_superuser:
            return groups
        return groups.filter(name__in=Role.values)


class UserScopeForm(RoleScopeMixin, ScopedModelForm, UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            # Its widget has no id, so its help text has none to be pointed to.
            self.fields["password"].bound_field_class = HelpApartBoundField


class NewUserForm(RoleScopeMixin, ScopedModelForm, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "groups", "district", "wards", "is_staff"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every role works in the admin for now.
        self.fields["is_staff"].initial = True


@admin.register(User)
class ScopedUserAdmin(ScopedAdmin, UserAdmin):
    form = UserScopeForm
    add_form = NewUserForm
    add_fieldsets = [
        (None, {"fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name"]}),
        (_("Role and scope"), {"fields": ["groups", "district", "wards", "is_staff"]}),
    ]
    list_display = ["username", "full_name", "district", "role_names", "is_active", "last_login"]
    list_filter = [("groups", RoleFilter), "is_active", ("district", ScopedRelatedFilter)]
    list_select_related = ["district"]
    filter_horizontal = ["wards"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role and scope"), {"fields": ["groups", "district", "wards"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Only a superuser grants superuser status or permissions outside the roles.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        field
                        for field in options["fields"]
                        if field not in ("is_superuser", "user_permissions")
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name == "groups" and not request.user.is_superuser:
            return queryset.filter(name__in=Role.values)
        return queryset

    @admin.display(description=_("full name"))
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("roles"))
    def role_names(self, user):
        # Other groups are the superuser's business, their names included (see RoleFilter).
        return ", ".join(group.name for group in user.groups.all() if group.name in Role.values)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ScopedModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["created_at", "kind", "username", "ip_address", "path", "detail"]
    list_filter = [year_filter("created_at"), "kind"]
    search_fields = ["username", "ip_address", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ["name", "kind", "code", "province", "party_committee", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


class ResidentialGroupInline(ScopedInline, TabularInline):
    model = ResidentialGroup
    fields = ["code", "name", "households", "population", "is_active"]
    extra = 0

    def get_queryset(self, request):
        # Each row shows the group's name with its ward.
        return super().get_queryset(request).select_related("ward")


@admin.register(Ward)
class WardAdmin(ScopedImportExportAdmin):
    resource_classes = [WardResource]
    list_display = ["name", "kind", "code", "district", "group_count", "is_active"]
    # Not by the count of groups: that counts every ward's groups of the country first.
    sortable_by = ["name", "kind", "code", "district", "is_active"]
    list_filter = [("district", ScopedRelatedFilter), "kind", "is_active"]
    list_select_related = ["district"]
    search_fields = ["name", "code"]
    inlines = [ResidentialGroupInline]

    def get_queryset(self, request):
        groups = ResidentialGroup.objects.filter(ward=OuterRef("pk"))
        return super().get_queryset(request).annotate(group_count=row_count(groups))

    @admin.display(description=_("number of residential groups"), ordering="group_count")
    def group_count(self, ward):
        return ward.group_count


@admin.register(ResidentialGroup)
class ResidentialGroupAdmin(ScopedImportExportAdmin):
    resource_classes = [ResidentialGroupResource]
    list_display = ["name", "code", "ward", "households", "population", "has_team", "is_active"]
    sortable_by = ["ward"]  # 100,000 groups in the country: in the order an index gives
    list_filter = [*ward_filters("ward"), "is_active"]
    list_select_related = ["ward", "team"]
    search_fields = ["code", "name"]  # its folded search column (search_source)
    autocomplete_fields = ["ward"]

    @admin.display(description=_("has a team"), boolean=True)
    def has_team(self, group):
        return hasattr(group, "team")


class WardSuccessionInline(TabularInline):
    model = WardSuccession
    fields = readonly_fields = ["predecessor", "successor", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("predecessor", "successor")


# The stored file of a plan between its check and its confirmation (`ImportJob.importer`).
PLAN_FILES = "wards.reorganisation"


@admin.register(Reorganisation)
class ReorganisationAdmin(ScopedAdmin):
    """A decision is recorded first; its plan is then applied from a file (one row per old
    residential group, `reorganisations.plan_from_table`): checked and shown before anything
    is written, applied on confirmation in one transaction. Once applied, a decision and the
    units it made are kept as they are: it can be neither changed nor deleted."""

    list_display = ["number", "kind", "signed_on", "issuer", "effective_on", "applied_at"]
    list_filter = ["kind", year_filter("effective_on")]
    search_fields = ["number", "issuer", "title"]
    readonly_fields = ["applied_at", "applied_by"]
    inlines = [WardSuccessionInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.applied_at is None)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.applied_at is None)

    def get_urls(self):
        views = [
            ("<int:pk>/plan/", self.plan_upload, "plan"),
            ("<int:pk>/plan/<uuid:job_id>/", self.plan_check, "plan_check"),
            ("plan/template/", self.plan_template, "plan_template"),
        ]
        return [
            *(
                path(route, self.admin_site.admin_view(view), name=f"wards_reorganisation_{name}")
                for route, view, name in views
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["plan_url"] = (
            reverse("admin:wards_reorganisation_plan", args=[obj.pk])
            if obj is not None and self.has_change_permission(request, obj)
            else None
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def decision(self, request, pk):
        """The decision `pk`, if the user may apply plans (403) and it exists (404)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def applied(self, request, reorganisation):
        """To the decision's page, saying so, once it is applied (a second click)."""
        self.message_user(
            request, gettext("This reorganisation has already been applied."), messages.WARNING
        )
        return redirect("admin:wards_reorganisation_change", reorganisation.pk)

    def plan_context(self, request, reorganisation, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": reorganisation,
            "title": gettext("The plan of %(decision)s") % {"decision": reorganisation},
            **context,
        }

    def plan_upload(self, request, pk):
        """Send the plan's file: it is checked against the units at once; the check's
        outcome (or every error) is shown before anything is written."""
        reorganisation = self.decision(request, pk)
        if reorganisation.applied_at is not None:
            return self.applied(request, reorganisation)
        form = ImportFileForm(request.POST or None, request.FILES or None)
        errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = self.check_plan(request, reorganisation, upload.name, upload.read())
            except (FileRefused, PlanRefused) as refusal:
                errors = getattr(refusal, "errors", [str(refusal)])
            else:
                job = ImportJob.objects.create(
                    importer=PLAN_FILES,
                    file=upload,
                    file_name=PurePath(upload.name).name[:255],
                    user=request.user,
                    status=ImportJob.Status.CHECKED,
                    result={"reorganisation": reorganisation.pk, "lines": describe(outcome)},
                )
                return redirect("admin:wards_reorganisation_plan_check", reorganisation.pk, job.pk)
        return TemplateResponse(
            request,
            "admin/wards/reorganisation/plan_upload.html",
            self.plan_context(request, reorganisation, form=form, errors=errors),
        )

    def check_plan(self, request, reorganisation, name, data, *, commit=False):
        table = read_table(name, data)
        plan = plan_from_table(table, user=request.user)
        return apply(reorganisation, plan, user=request.user, commit=commit)

    def plan_check(self, request, pk, job_id):
        """The checked plan: what it will do, and the confirmation that applies it."""
        reorganisation = self.decision(request, pk)
        if reorganisation.applied_at is not None:
            return self.applied(request, reorganisation)
        jobs = ImportJob.objects.visible_to(request.user).filter(importer=PLAN_FILES)
        job = get_object_or_404(jobs, pk=job_id)
        if job.result.get("reorganisation") != reorganisation.pk:
            raise Http404(gettext("No such import, or it is not yours."))
        form = ConfirmImportForm(request.POST or None, initial={"job": job.pk})
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                with job.file.open("rb") as stored:
                    data = stored.read()
                self.check_plan(request, reorganisation, job.file_name, data, commit=True)
            except OSError:
                errors = [gettext("The file that was checked is no longer kept: send it again.")]
            except (FileRefused, PlanRefused) as refusal:
                errors = getattr(refusal, "errors", [str(refusal)])
            else:
                jobs.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTED)
                self.message_user(
                    request,
                    gettext("%(decision)s is applied from %(date)s.")
                    % {
                        "decision": reorganisation,
                        "date": reorganisation.effective_on.strftime("%d/%m/%Y"),
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:wards_reorganisation_change", reorganisation.pk)
        return TemplateResponse(
            request,
            "admin/wards/reorganisation/plan_check.html",
            self.plan_context(request, reorganisation, job=job, form=form, errors=errors),
        )

    def plan_template(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        response = HttpResponse(plan_template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-phuong-an-sap-xep.xlsx"'
        return response


# The worker's queue is not a record of anyone's: imports show their progress on their own
# pages (ImportJob), and operators read the queue in the database.
admin.site.unregister(DBTaskResult)

# django-axes' lists of sign-in attempts (the superuser's) have a date hierarchy: its values
# are checked as ours would be.
AxesAttemptAdmin = type(admin.site.get_model_admin(AccessAttempt))


class AccessAttemptAdmin(CheckedListMixin, AxesAttemptAdmin):
    @admin.display(description=_("Status"))
    def status(self, attempt):
        """The attempts left, in a column django-axes names by its method (in English)."""
        return super().status(attempt)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
for model in (AccessFailureLog, AccessLog):
    registered = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(registered.__name__, (CheckedListMixin, registered), {}))
