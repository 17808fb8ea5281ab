from django.contrib import admin
from django.db.models import Count, OuterRef
from django.utils.translation import gettext_lazy as _

from core.admin_filters import year_filter
from people.admin import PersonalDataExports
from wards.admin_base import ScopedImportExportAdmin, ScopedInline, TabularInline, row_count
from wards.admin_filters import ward_filters

from .models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)
from .resources import (
    ActivityResource,
    ExemplaryModelResource,
    FeedbackResource,
    MemberResource,
    PrestigiousPersonResource,
    TeamResource,
    TrainingResource,
)

WARD_FILTERS = ward_filters(f"team__{Team.ward_path}")


class MemberInline(ScopedInline, TabularInline):
    """A team's seats, their persons read only: a seat is added with its person on the
    member's own form (the site's, or this admin's), which finds the person recorded."""

    model = Member
    fields = ["person", "is_party_member", "organisation", "role", "joined_on", "left_on"]
    readonly_fields = ["person"]
    extra = 0

    def has_add_permission(self, request, obj):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")


@admin.register(Team)
class TeamAdmin(ScopedImportExportAdmin):
    resource_classes = [TeamResource]
    ordering = [f"{Team.ward_path}__sort_name", "residential_group__code"]
    list_display = ["__str__", "ward", "founded_on", "current_members"]
    sortable_by = ["ward"]  # as ResidentialGroupAdmin
    list_filter = [*ward_filters(Team.ward_path)]
    list_select_related = [Team.ward_path]
    search_fields = ["residential_group__code", "residential_group__name"]
    search_text_field = "residential_group__search_text"
    autocomplete_fields = ["residential_group"]
    inlines = [MemberInline]

    def get_queryset(self, request):
        members = Member.objects.filter(team=OuterRef("pk"), left_on__isnull=True)
        return super().get_queryset(request).annotate(current_members=row_count(members))

    @admin.display(description=_("ward"), ordering=f"{Team.ward_path}__sort_name")
    def ward(self, team):
        return team.residential_group.ward

    @admin.display(description=_("current members"), ordering="current_members")
    def current_members(self, team):
        return team.current_members


@admin.register(Member)
class MemberAdmin(PersonalDataExports, ScopedImportExportAdmin):
    resource_classes = [MemberResource]
    list_display = [
        "name",
        "team",
        "role",
        "organisation",
        "is_party_member",
        "left_on",
    ]
    list_filter = ["role", "organisation", "is_party_member", *WARD_FILTERS]
    list_select_related = [Member.ward_path, "person"]
    search_fields = ["person__full_name"]
    search_text_field = "person__search_text"  # the person's folded name
    ordering = ["person__sort_name"]  # by given name, the Vietnamese way
    # Lists of up to millions of rows are sorted only in an order an index gives.
    sortable_by = ["name"]
    autocomplete_fields = ["team", "person"]

    @admin.display(description=_("full name"), ordering="person__sort_name")
    def name(self, member):
        return member.person.full_name


@admin.register(Activity)
class ActivityAdmin(ScopedImportExportAdmin):
    resource_classes = [ActivityResource]
    list_display = ["date", "title", "team", "field", "households_reached", "participants"]
    sortable_by = ["date"]  # as MemberAdmin
    list_filter = [year_filter("date"), "field", *ward_filters(Activity.ward_path)]
    list_select_related = [Activity.team_ward_path]
    search_fields = ["title", "description"]
    autocomplete_fields = ["team"]


@admin.register(CitizenFeedback)
class CitizenFeedbackAdmin(ScopedImportExportAdmin):
    resource_classes = [FeedbackResource]
    list_display = ["received_on", "__str__", "team", "field", "status", "resolved_on"]
    sortable_by = ["received_on"]  # as MemberAdmin
    list_filter = [year_filter("received_on"), "status", "field", *WARD_FILTERS]
    list_select_related = [CitizenFeedback.ward_path]
    search_fields = ["summary", "forwarded_to"]
    autocomplete_fields = ["team"]


@admin.register(ExemplaryModel)
class ExemplaryModelAdmin(ScopedImportExportAdmin):
    resource_classes = [ExemplaryModelResource]
    list_display = ["name", "ward", "team", "field", "year", "status", "recognition_level"]
    list_filter = [
        "year",
        "status",
        "recognition_level",
        "field",
        *ward_filters("ward"),
    ]
    # The cycle's steps are taken on the model's page, which checks who may take them
    # (`awards.services`): here they are read only.
    readonly_fields = [
        "status",
        "proposed_level",
        "recognition_level",
        "decision_number",
        "decision_date",
        "reward",
    ]
    list_select_related = ["ward", f"team__{Team.ward_path}"]
    search_fields = ["name", "reward"]
    autocomplete_fields = ["ward", "team"]
    # Its people are ticked on their own pages (of their ward's models).
    exclude = ["people"]


@admin.register(Training)
class TrainingAdmin(ScopedImportExportAdmin):
    resource_classes = [TrainingResource]
    ordering = ["-date"]
    list_display = ["date", "title", "organiser_level", "ward", "attendee_count"]
    list_filter = [year_filter("date"), "organiser_level", *ward_filters("ward")]
    list_select_related = ["ward", "district"]
    search_fields = ["title"]
    autocomplete_fields = ["district", "ward", "attendees"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attendee_count=Count("attendees"))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not (request.user.is_superuser or request.user.district_id):
            # An officer of wards (not of the managing unit) organises ward trainings only.
            form.base_fields["ward"].required = True
            form.base_fields["organiser_level"].choices = [
                (Training.Level.WARD, Training.Level.WARD.label)
            ]
        return form

    @admin.display(description=_("number of attendees"), ordering="attendee_count")
    def attendee_count(self, training):
        return training.attendee_count


@admin.register(PrestigiousPerson)
class PrestigiousPersonAdmin(PersonalDataExports, ScopedImportExportAdmin):
    resource_classes = [PrestigiousPersonResource]
    list_display = ["person", "standing", "residential_group", "since", "until"]
    list_filter = [*ward_filters(PrestigiousPerson.ward_path)]
    list_select_related = [PrestigiousPerson.ward_path, "person"]
    search_fields = ["person__full_name"]
    search_text_field = "person__search_text"
    autocomplete_fields = ["person", "residential_group"]
    # Linked to what they helped with on the activity's and the feedback's own forms.
    exclude = ["activities", "feedback"]
