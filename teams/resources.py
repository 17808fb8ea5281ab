"""Excel/CSV import and export of teams, members and activities, keyed on natural keys.

A team is named by its ward and residential group codes; a member by team and person (the
person found by `people.identity`, see `imports.MemberImporter`); an activity by team, date
and title. Importing the same file twice changes nothing.
"""

import functools

from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.resources import (
    ChoiceLabelWidget,
    CodeForeignKeyWidget,
    NaturalKeyResource,
    WholeNumberWidget,
    choice_field,
    count_field,
    date_field,
    scoped,
    text_field,
    yes_no_field,
)
from core.work_fields import WorkField
from people.models import Person
from people.protection import may_export_personal
from wards.models import Ward
from wards.resources import GROUP_CODE, WARD_CODE, GroupWidget, row_ward_code, ward_code_field
from wards.scope import managed_wards

from .models import Activity, CitizenFeedback, ExemplaryModel, Member, Team


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


def person_field(attribute, column, widget=None):
    """A column of the member's person: written out, and read by the import's matching of
    people (`imports.MemberImporter`), not set on the member."""
    return fields.Field(
        attribute=f"person__{attribute}",
        column_name=column,
        widget=widget or widgets.CharWidget(),
        readonly=True,
    )


class MemberResource(NaturalKeyResource):
    """A team's members with their persons' details. The phone and the identity number are
    personal data: written out only for a user with `personal` (`people.protection`)."""

    ward_code = ward_code_field(f"{Member.ward_path}__code")
    team = team_field()
    full_name = person_field("full_name", "Họ và tên")
    gender = person_field("gender", "Giới tính", ChoiceLabelWidget(Person.Gender))
    birth_year = person_field("birth_year", "Năm sinh", WholeNumberWidget(blank=None))
    phone = person_field("phone", "Điện thoại")
    id_number = person_field("id_number", "Số định danh")
    is_party_member = yes_no_field("is_party_member", "Đảng viên")
    organisation = choice_field("organisation", "Đại diện tổ chức", Member.Organisation)
    role = choice_field("role", "Vai trò", Member.Role)
    joined_on = date_field("joined_on", "Ngày vào")
    left_on = date_field("left_on", "Ngày ra")

    PERSONAL = ("phone", "id_number")

    class Meta(NaturalKeyResource.Meta):
        model = Member
        fields = [
            "ward_code",
            "team",
            "full_name",
            "gender",
            "birth_year",
            "phone",
            "id_number",
            "is_party_member",
            "organisation",
            "role",
            "joined_on",
            "left_on",
        ]
        import_id_fields = ["team", "full_name", "birth_year"]

    def __init__(self, user=None, *, personal=None, **kwargs):
        # By default, as the user's role allows (a command run without a user: everything).
        if personal is None:
            personal = user is None or may_export_personal(user)
        self.personal = personal
        super().__init__(user=user, **kwargs)

    def get_export_fields(self, selected_fields=None):
        exported = super().get_export_fields(selected_fields)
        if self.personal:
            return exported
        return [
            field
            for field in exported
            if field.attribute.removeprefix("person__") not in self.PERSONAL
        ]

    def get_queryset(self):
        return super().get_queryset().select_related(Member.ward_path, "person__residential_group")

    def export_field(self, field, instance, **kwargs):
        """A personal cell is written for a person the user may change only (one who lives
        in a ward they manage), blank otherwise."""
        personal = field.attribute.removeprefix("person__") in self.PERSONAL
        if personal and not self.manages(instance.person):
            return ""
        return super().export_field(field, instance, **kwargs)

    def manages(self, person):
        if self.user is None or self.user.is_superuser:
            return True
        return person.residential_group.ward_id in self.managed_ward_ids

    @functools.cached_property
    def managed_ward_ids(self):
        return set(managed_wards(self.user).values_list("pk", flat=True))


class ActivityResource(NaturalKeyResource):
    ward_code = ward_code_field(f"{Activity.ward_path}__code")
    team = team_field()
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
        return super().get_queryset().select_related(Activity.ward_path)


class FeedbackResource(NaturalKeyResource):
    ward_code = ward_code_field(f"{CitizenFeedback.ward_path}__code")
    team = team_field()
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
