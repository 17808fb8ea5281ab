"""Excel/CSV import and export of teams, members and activities, keyed on natural keys.

A team is named by its ward and residential group codes; a member by team and person, a
prestigious person by group and person (the person found by `people.identity`, see
`people.imports`); an activity by team, date and title; a training by its ward (none for the
unit's own), date and title. Importing the same file twice changes nothing.
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from import_export import fields

from core.resources import (
    CodeForeignKeyWidget,
    DecimalWidget,
    NaturalKeyResource,
    choice_field,
    count_field,
    date_field,
    scoped,
    text_field,
    yes_no_field,
)
from core.work_fields import WorkField
from people.resources import PERSON_FIELDS, RoleResource
from wards.models import District, Ward
from wards.resources import (
    DISTRICT_CODE,
    GROUP_CODE,
    WARD_CODE,
    GroupWidget,
    row_ward_code,
    ward_code_field,
)

from .models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)


class TeamWidget(CodeForeignKeyWidget):
    """The team of the residential group named by the row's ward and group codes."""

    def __init__(self, **kwargs):
        super().__init__(Team, field="residential_group__code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        teams = Team.objects.filter(
            **{f"{Team.ward_path}__code": row_ward_code(row)},
            residential_group__valid_until__isnull=True,
        )
        return scoped(teams, kwargs.get("user"))

    def not_found_message(self, value, row):
        return _(
            "There is no mobilization team for the residential group with the code "
            "“%(group)s” in the ward with the code “%(ward)s”."
        ) % {"group": value, "ward": row_ward_code(row)}


def team_field():
    return fields.Field(attribute="team", column_name=GROUP_CODE, widget=TeamWidget())


def group_name_field():
    """The team's group's name beside its code: written out for the reader, not read."""
    return fields.Field(
        attribute="team__residential_group__name", column_name="Tên tổ dân phố", readonly=True
    )


class TeamResource(NaturalKeyResource):
    ward_code = ward_code_field(f"{Team.ward_path}__code")
    residential_group = fields.Field(
        attribute="residential_group", column_name=GROUP_CODE, widget=GroupWidget()
    )
    founded_on = date_field("founded_on", "Ngày thành lập")

    class Meta(NaturalKeyResource.Meta):
        model = Team
        fields = ["ward_code", "residential_group", "founded_on"]
        import_id_fields = ["residential_group"]

    def get_queryset(self):
        return super().get_queryset().select_related(Team.ward_path)


class MemberResource(RoleResource):
    """A team's members with their persons' details (the phone and the identity number as
    `people.resources.PersonalDataResource` allows)."""

    ward_code = ward_code_field(f"{Member.ward_path}__code")
    team = team_field()
    group_name = group_name_field()
    is_party_member = yes_no_field("is_party_member", "Đảng viên")
    organisation = choice_field("organisation", "Đại diện tổ chức", Member.Organisation)
    role = choice_field("role", "Vai trò", Member.Role)
    joined_on = date_field("joined_on", "Ngày vào")
    left_on = date_field("left_on", "Ngày ra")

    class Meta(NaturalKeyResource.Meta):
        model = Member
        fields = [
            "ward_code",
            "team",
            "group_name",
            *PERSON_FIELDS,
            "is_party_member",
            "organisation",
            "role",
            "joined_on",
            "left_on",
        ]
        import_id_fields = ["team", "full_name", "birth_year"]

    def get_queryset(self):
        return super().get_queryset().select_related(Member.ward_path)


class ActivityResource(NaturalKeyResource):
    ward_code = ward_code_field(f"{Activity.team_ward_path}__code")
    team = team_field()
    group_name = group_name_field()
    date = date_field("date", "Ngày")
    field = choice_field("field", "Lĩnh vực", WorkField)
    title = text_field("title", "Tên hoạt động")
    description = text_field("description", "Mô tả")
    households_reached = count_field("households_reached", "Số hộ tiếp cận")
    participants = count_field("participants", "Số người tham gia")
    outcome = text_field("outcome", "Kết quả")

    class Meta(NaturalKeyResource.Meta):
        model = Activity
        fields = [
            "ward_code",
            "team",
            "group_name",
            "date",
            "field",
            "title",
            "description",
            "households_reached",
            "participants",
            "outcome",
        ]
        import_id_fields = ["team", "date", "title"]

    def get_queryset(self):
        return super().get_queryset().select_related(Activity.team_ward_path)


class FeedbackResource(NaturalKeyResource):
    ward_code = ward_code_field(f"{CitizenFeedback.ward_path}__code")
    team = team_field()
    group_name = group_name_field()
    received_on = date_field("received_on", "Ngày tiếp nhận")
    field = choice_field("field", "Lĩnh vực", WorkField)
    summary = text_field("summary", "Nội dung")
    status = choice_field("status", "Trạng thái", CitizenFeedback.Status)
    forwarded_to = text_field("forwarded_to", "Chuyển đến")
    forwarded_on = date_field("forwarded_on", "Ngày chuyển")
    answered_on = date_field("answered_on", "Ngày nhận trả lời")
    resolved_on = date_field("resolved_on", "Ngày giải quyết")

    class Meta(NaturalKeyResource.Meta):
        model = CitizenFeedback
        fields = [
            "ward_code",
            "team",
            "group_name",
            "received_on",
            "field",
            "summary",
            "status",
            "forwarded_to",
            "forwarded_on",
            "answered_on",
            "resolved_on",
        ]
        import_id_fields = ["team", "received_on", "summary"]

    def get_queryset(self):
        return super().get_queryset().select_related(CitizenFeedback.ward_path)


class ExemplaryModelResource(NaturalKeyResource):
    ward = fields.Field(
        attribute="ward", column_name=WARD_CODE, widget=CodeForeignKeyWidget(Ward, field="code")
    )
    name = text_field("name", "Tên mô hình")
    field = choice_field("field", "Lĩnh vực", WorkField)
    year = count_field("year", "Năm", blank=None)
    description = text_field("description", "Mô tả")
    people_involved = text_field("people_involved", "Người tham gia")
    status = choice_field("status", "Trạng thái", ExemplaryModel.Status)
    proposed_level = choice_field("proposed_level", "Cấp đề nghị", ExemplaryModel.Level)
    recognition_level = choice_field("recognition_level", "Cấp công nhận", ExemplaryModel.Level)
    decision_number = text_field("decision_number", "Số quyết định")
    decision_date = date_field("decision_date", "Ngày quyết định")
    reward = text_field("reward", "Khen thưởng")

    class Meta(NaturalKeyResource.Meta):
        model = ExemplaryModel
        fields = [
            "ward",
            "name",
            "field",
            "year",
            "description",
            "people_involved",
            "status",
            "proposed_level",
            "recognition_level",
            "decision_number",
            "decision_date",
            "reward",
        ]
        import_id_fields = ["ward", "name", "year"]

    def get_queryset(self):
        return super().get_queryset().select_related("ward")


class PrestigiousPersonResource(RoleResource):
    """Prestigious people of a residential group, with their persons' details."""

    ward_code = ward_code_field(f"{PrestigiousPerson.ward_path}__code")
    residential_group = fields.Field(
        attribute="residential_group", column_name=GROUP_CODE, widget=GroupWidget()
    )
    standing = text_field("standing", "Uy tín")
    since = date_field("since", "Từ ngày")
    until = date_field("until", "Đến ngày")

    class Meta(NaturalKeyResource.Meta):
        model = PrestigiousPerson
        fields = [
            "ward_code",
            "residential_group",
            *PERSON_FIELDS,
            "standing",
            "since",
            "until",
        ]
        import_id_fields = ["residential_group", "full_name", "birth_year"]

    def get_queryset(self):
        return super().get_queryset().select_related(PrestigiousPerson.ward_path)


class TrainingResource(NaturalKeyResource):
    """Trainings of a managing unit or of one of its wards (the ward's code empty for the
    unit's own), with the number of their attendees (written out, not read)."""

    district = fields.Field(
        attribute="district",
        column_name=DISTRICT_CODE,
        widget=CodeForeignKeyWidget(District, field="code"),
        readonly=True,
    )
    ward = fields.Field(
        attribute="ward", column_name=WARD_CODE, widget=CodeForeignKeyWidget(Ward, field="code")
    )
    date = date_field("date", "Ngày")
    title = text_field("title", "Tên lớp")
    status = choice_field("status", "Trạng thái", Training.Status)
    organiser_level = choice_field("organiser_level", "Cấp tổ chức", Training.Level)
    organiser = text_field("organiser", "Đơn vị tổ chức")
    place = text_field("place", "Địa điểm")
    hours = fields.Field(attribute="hours", column_name="Số giờ", widget=DecimalWidget())
    content = text_field("content", "Nội dung")
    attendee_count = fields.Field(
        attribute="attendee_count", column_name="Số người tham dự", readonly=True
    )

    class Meta(NaturalKeyResource.Meta):
        model = Training
        fields = [
            "district",
            "ward",
            "date",
            "title",
            "status",
            "organiser_level",
            "organiser",
            "place",
            "hours",
            "content",
            "attendee_count",
        ]
        import_id_fields = ["ward", "date", "title"]

    def get_queryset(self):
        return super().get_queryset().select_related("district", "ward")

    def filter_export(self, queryset, **kwargs):
        """Whatever list is written out, with its attendees counted in the same query."""
        if "attendee_count" not in queryset.query.annotations:
            queryset = queryset.annotate(attendee_count=Count("attendees"))
        return super().filter_export(queryset, **kwargs)
