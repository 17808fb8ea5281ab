"""Excel/CSV import and export of teams, members and activities, keyed on natural keys.

A team is named by its ward and residential group codes; a member by team, full name and
year of birth; an activity by team, date and title. Importing the same file twice changes
nothing.
"""

from import_export import fields, widgets

from wards.resources import (
    GROUP_CODE,
    WARD_CODE,
    ChoiceLabelWidget,
    DateWidget,
    GroupWidget,
    NaturalKeyResource,
    YesNoWidget,
    ward_code_field,
)
from wards.work_fields import WorkField

from .models import Activity, Member, Team


class TeamWidget(widgets.ForeignKeyWidget):
    """The team of the residential group named by the row's ward and group codes."""

    def __init__(self, **kwargs):
        super().__init__(Team, field="residential_group__code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Team.objects.filter(
            residential_group__ward__code=str(row.get(WARD_CODE, "")).strip()
        )


class TeamResource(NaturalKeyResource):
    ward_code = ward_code_field("residential_group__ward__code")
    residential_group = fields.Field(
        attribute="residential_group", column_name=GROUP_CODE, widget=GroupWidget()
    )
    founded_on = fields.Field(
        attribute="founded_on", column_name="Ngày thành lập", widget=DateWidget()
    )

    class Meta(NaturalKeyResource.Meta):
        model = Team
        fields = ["ward_code", "residential_group", "founded_on"]
        import_id_fields = ["residential_group"]

    def get_queryset(self):
        return super().get_queryset().select_related("residential_group__ward")


class MemberResource(NaturalKeyResource):
    ward_code = ward_code_field("team__residential_group__ward__code")
    team = fields.Field(attribute="team", column_name=GROUP_CODE, widget=TeamWidget())
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(
        attribute="gender", column_name="Giới tính", widget=ChoiceLabelWidget(Member.Gender)
    )
    birth_year = fields.Field(
        attribute="birth_year", column_name="Năm sinh", widget=widgets.IntegerWidget()
    )
    phone = fields.Field(attribute="phone", column_name="Điện thoại")
    is_party_member = fields.Field(
        attribute="is_party_member", column_name="Đảng viên", widget=YesNoWidget()
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="Đại diện tổ chức",
        widget=ChoiceLabelWidget(Member.Organisation),
    )
    role = fields.Field(
        attribute="role", column_name="Vai trò", widget=ChoiceLabelWidget(Member.Role)
    )
    joined_on = fields.Field(attribute="joined_on", column_name="Ngày vào", widget=DateWidget())
    left_on = fields.Field(attribute="left_on", column_name="Ngày ra", widget=DateWidget())

    class Meta(NaturalKeyResource.Meta):
        model = Member
        fields = [
            "ward_code",
            "team",
            "full_name",
            "gender",
            "birth_year",
            "phone",
            "is_party_member",
            "organisation",
            "role",
            "joined_on",
            "left_on",
        ]
        import_id_fields = ["team", "full_name", "birth_year"]

    def get_queryset(self):
        return super().get_queryset().select_related("team__residential_group__ward")


class ActivityResource(NaturalKeyResource):
    ward_code = ward_code_field("team__residential_group__ward__code")
    team = fields.Field(attribute="team", column_name=GROUP_CODE, widget=TeamWidget())
    date = fields.Field(attribute="date", column_name="Ngày", widget=DateWidget())
    field = fields.Field(
        attribute="field", column_name="Lĩnh vực", widget=ChoiceLabelWidget(WorkField)
    )
    title = fields.Field(attribute="title", column_name="Tên hoạt động")
    description = fields.Field(attribute="description", column_name="Mô tả")
    households_reached = fields.Field(
        attribute="households_reached",
        column_name="Số hộ tiếp cận",
        widget=widgets.IntegerWidget(),
    )
    participants = fields.Field(
        attribute="participants", column_name="Số người tham gia", widget=widgets.IntegerWidget()
    )
    outcome = fields.Field(attribute="outcome", column_name="Kết quả")

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
        return super().get_queryset().select_related("team__residential_group__ward")
