from django.contrib import admin
from django.db.models import Count, Min
from django.utils.translation import gettext_lazy as _

from core.admin_filters import year_filter
from core.work_fields import work_field_labels
from wards.admin_base import (
    ScopedAdmin,
    ScopedImportExportAdmin,
    ScopedInline,
    SharedChoicesInline,
    TabularInline,
)
from wards.admin_filters import ScopedRelatedFilter, ward_filters

from .models import (
    Attendee,
    Contribution,
    Directive,
    DirectivePoint,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
    TaskAssignment,
)
from .resources import ProgressReportResource


class SeminarSessionInline(SharedChoicesInline, admin.StackedInline):
    model = SeminarSession
    fields = [("number", "date"), "venue", "wards"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("wards")


class AttendeeInline(SharedChoicesInline, TabularInline):
    model = Attendee
    fields = ["order", "full_name", "title", "organisation", "role", "session"]
    extra = 0

    def get_queryset(self, request):
        # Read-only rows show their cluster.
        return super().get_queryset(request).select_related("session")


class DirectivePointInline(SharedChoicesInline, TabularInline):
    model = DirectivePoint
    fields = ["number", "text", "session", "speaker"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session", "speaker")


class DirectiveTaskInline(ScopedInline, TabularInline):
    model = DirectiveTask
    fields = ["number", "category", "text", "rhythm"]
    extra = 0
    show_change_link = True


@admin.register(Seminar)
class SeminarAdmin(ScopedAdmin):
    ordering = ["-created_at"]
    list_display = ["title", "district", "status", "first_date", "session_count", "task_count"]
    list_filter = ["status", ("district", ScopedRelatedFilter)]
    list_select_related = ["district"]
    search_fields = ["title", "theme"]
    inlines = [SeminarSessionInline, AttendeeInline, DirectivePointInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_date=Min("sessions__date"),
                session_count=Count("sessions", distinct=True),
                task_count=Count("conclusion__tasks", distinct=True),
            )
        )

    @admin.display(description=_("first session"), ordering="first_date")
    def first_date(self, seminar):
        return seminar.first_date

    @admin.display(description=_("clusters"), ordering="session_count")
    def session_count(self, seminar):
        return seminar.session_count

    @admin.display(description=_("tasks"), ordering="task_count")
    def task_count(self, seminar):
        return seminar.task_count


@admin.register(Directive)
class DirectiveAdmin(ScopedAdmin):
    ordering = ["-signed_on", "-created_at"]
    list_display = ["title", "kind", "number", "signed_on", "district", "task_count"]
    list_filter = ["kind", year_filter("signed_on"), ("district", ScopedRelatedFilter)]
    list_select_related = ["district"]
    search_fields = ["title", "number"]
    inlines = [DirectiveTaskInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(task_count=Count("tasks"))

    @admin.display(description=_("tasks"), ordering="task_count")
    def task_count(self, directive):
        return directive.task_count


class ContributionInline(SharedChoicesInline, admin.StackedInline):
    model = Contribution
    fields = [("order", "speaker", "speaker_title"), ("ward", "unit"), "fields", "summary"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ward")


@admin.register(SeminarSession)
class SeminarSessionAdmin(ScopedAdmin):
    ordering = ["seminar", "number"]
    list_display = ["__str__", "seminar", "date", "venue", "ward_count", "contribution_count"]
    list_filter = [("seminar", ScopedRelatedFilter)]
    list_select_related = ["seminar"]
    search_fields = ["venue", "seminar__title"]
    autocomplete_fields = ["wards"]
    inlines = [ContributionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                ward_count=Count("wards", distinct=True),
                contribution_count=Count("contributions", distinct=True),
            )
        )

    @admin.display(description=_("number of wards"), ordering="ward_count")
    def ward_count(self, session):
        return session.ward_count

    @admin.display(description=_("number of contributions"), ordering="contribution_count")
    def contribution_count(self, session):
        return session.contribution_count


@admin.register(Attendee)
class AttendeeAdmin(ScopedAdmin):
    list_display = ["full_name", "title", "role", "seminar", "session"]
    list_filter = ["role", ("seminar", ScopedRelatedFilter)]
    list_select_related = ["seminar", "session"]
    search_fields = ["full_name", "title", "organisation"]


@admin.register(Contribution)
class ContributionAdmin(ScopedAdmin):
    list_display = ["order", "speaker", "speaker_unit", "session", "seminar", "field_labels"]
    list_filter = [
        ("session__seminar", ScopedRelatedFilter),
        "session__number",
        *ward_filters("ward"),
    ]
    list_select_related = ["session__seminar", "ward"]
    search_fields = ["speaker", "unit", "summary"]
    autocomplete_fields = ["ward", "person"]

    @admin.display(description=_("ward or unit"))
    def speaker_unit(self, contribution):
        return contribution.ward or contribution.unit

    @admin.display(description=_("seminar"), ordering="session__seminar__title")
    def seminar(self, contribution):
        return contribution.session.seminar

    @admin.display(description=_("fields"))
    def field_labels(self, contribution):
        return ", ".join(work_field_labels(contribution.fields))


@admin.register(DirectivePoint)
class DirectivePointAdmin(ScopedAdmin):
    list_display = ["__str__", "seminar", "session", "speaker"]
    list_filter = [("seminar", ScopedRelatedFilter)]
    list_select_related = ["seminar", "session", "speaker"]
    search_fields = ["text"]


class TaskAssignmentInline(SharedChoicesInline, TabularInline):
    model = TaskAssignment
    fields = ["ward", "due_on"]
    extra = 0

    def get_queryset(self, request):
        # Each row shows the assignment's task and ward.
        return super().get_queryset(request).select_related("task", "ward")


@admin.register(DirectiveTask)
class DirectiveTaskAdmin(ScopedAdmin):
    ordering = ["directive", "number"]
    list_display = ["__str__", "directive", "category", "rhythm", "ward_count"]
    list_filter = [("directive", ScopedRelatedFilter), "category", "rhythm"]
    list_select_related = ["directive"]
    search_fields = ["text"]
    inlines = [TaskAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ward_count=Count("assignments"))

    @admin.display(description=_("wards assigned"), ordering="ward_count")
    def ward_count(self, task):
        return task.ward_count


@admin.register(TaskAssignment)
class TaskAssignmentAdmin(ScopedAdmin):
    list_display = ["task", "ward", "due_on", "latest_status", "latest_percent"]
    list_filter = [
        year_filter("due_on"),
        ("task__directive", ScopedRelatedFilter),
        *ward_filters("ward"),
    ]
    list_select_related = ["task", "ward"]
    search_fields = ["task__text", "ward__name"]
    autocomplete_fields = ["ward"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_report()

    @admin.display(description=_("latest status"))
    def latest_status(self, assignment):
        if assignment.latest_status is None:
            return "–"
        return ProgressReport.Status(assignment.latest_status).label

    @admin.display(description=_("percent done"), ordering="latest_percent")
    def latest_percent(self, assignment):
        return assignment.latest_percent


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedImportExportAdmin):
    resource_classes = [ProgressReportResource]
    list_display = [
        "task",
        "ward",
        "period_start",
        "period_end",
        "status",
        "percent",
        "reported_by",
        "reported_at",
    ]
    list_filter = [
        year_filter("period_end"),
        "status",
        ("assignment__task__directive", ScopedRelatedFilter),
        *ward_filters(ProgressReport.ward_path),
    ]
    list_select_related = ["assignment__task", ProgressReport.ward_path, "reported_by"]
    search_fields = ["narrative", f"{ProgressReport.ward_path}__name"]
    autocomplete_fields = ["assignment"]
    readonly_fields = ["reported_by", "reported_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reported_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("task"), ordering="assignment__task__number")
    def task(self, report):
        return report.assignment.task

    @admin.display(description=_("ward"), ordering=f"{ProgressReport.ward_path}__sort_name")
    def ward(self, report):
        return report.assignment.ward
