"""Bulk imports of the teams' records (see `core.imports`): a row names its team by the
ward and residential group codes, among the teams the importing user sees."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import Importer, Relation, code_variants, register
from core.resources import managed
from wards.imports import WARD
from wards.models import ResidentialGroup, current_last
from wards.resources import GROUP_CODE, WARD_CODE

from .models import Member, Team
from .resources import (
    ActivityResource,
    ExemplaryModelResource,
    FeedbackResource,
    MemberResource,
    TeamResource,
)


def teams_by_codes(user, keys):
    """{(ward code, group code): team} of the keys, among the teams `user` may change: of
    the ward's current group with that code (see `groups_by_codes`)."""
    teams = managed(
        Team.objects.filter(
            **{f"{Team.ward_path}__code__in": code_variants(ward for ward, _group in keys)},
            residential_group__code__in=code_variants(group for _ward, group in keys),
        )
        .select_related(Team.ward_path)
        .order_by(current_last("residential_group")),
        user,
    )
    return {(t.residential_group.ward.code, t.residential_group.code): t for t in teams}


def groups_by_codes(user, keys):
    """{(ward code, group code): group} among the groups `user` may change: a code names the
    ward's current group, or, when no current group has it, the last that had it (groups
    are renumbered: an ended group keeps its code)."""
    groups = managed(
        ResidentialGroup.objects.filter(
            ward__code__in=code_variants(ward for ward, _group in keys),
            code__in=code_variants(group for _ward, group in keys),
        )
        .select_related("ward")
        .order_by(current_last()),
        user,
    )
    return {(g.ward.code, g.code): g for g in groups}


TEAM = Relation(
    "team",
    (WARD_CODE, GROUP_CODE),
    teams_by_codes,
    gettext_lazy(
        "No mobilization team you may change belongs to the residential group “%(1)s” of "
        "the ward “%(0)s”."
    ),
)


@register("team")
class TeamImporter(Importer):
    resource_class = TeamResource
    example = {WARD_CODE: "00115", GROUP_CODE: "07", "Ngày thành lập": "15/03/2015"}
    relations = (
        Relation(
            "residential_group",
            (WARD_CODE, GROUP_CODE),
            groups_by_codes,
            gettext_lazy(
                "No residential group you may change has the code “%(1)s” in the ward “%(0)s”."
            ),
        ),
    )


@register("member")
class MemberImporter(Importer):
    resource_class = MemberResource
    relations = (TEAM,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Họ và tên": "Nguyễn Thị Lan",
        "Giới tính": "Nữ",
        "Năm sinh": 1968,
        "Điện thoại": "0912 345 678",
        "Đảng viên": "Có",
        "Đại diện tổ chức": "Chi hội Phụ nữ",
        "Vai trò": "Tổ viên",
        "Ngày vào": "01/03/2020",
        "Ngày ra": "",
    }

    def check_rows(self, records, result):
        """At most one current leader per team, counting the team's other members too."""
        leaders = {}
        for record in records:
            member = record.instance
            if member.role == Member.Role.LEADER and member.left_on is None:
                leaders.setdefault(member.team_id, []).append(record)
        named = {record.instance.pk for record in records if record.instance.pk}
        others = (
            Member.objects.filter(team__in=leaders, role=Member.Role.LEADER, left_on__isnull=True)
            .exclude(pk__in=named)
            .values_list("team_id", flat=True)
        )
        for team in others:
            leaders[team].append(None)
        for rows in leaders.values():
            if len(rows) > 1:
                for record in filter(None, rows):
                    self.fail(
                        result,
                        record,
                        self.header_of("role"),
                        record.cells.get(self.header_of("role")),
                        _("This team already has a current leader."),
                    )

    def update_batches(self, changed):
        """Members who stop being a current leader first, then the others."""
        leaders = [m for m in changed if m.role == Member.Role.LEADER and m.left_on is None]
        others = [m for m in changed if m not in leaders]
        return [batch for batch in (others, leaders) if batch]


@register("activity")
class ActivityImporter(Importer):
    resource_class = ActivityResource
    relations = (TEAM,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Ngày": "05/09/2025",
        "Lĩnh vực": "Vệ sinh môi trường",
        "Tên hoạt động": "Tổng vệ sinh ngõ 12",
        "Mô tả": "Ra quân dọn vệ sinh, khơi thông cống rãnh.",
        "Số hộ tiếp cận": 35,
        "Số người tham gia": 20,
        "Kết quả": "Thu gom 2 tấn rác.",
    }


@register("feedback")
class FeedbackImporter(Importer):
    resource_class = FeedbackResource
    relations = (TEAM,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Ngày tiếp nhận": "12/09/2025",
        "Lĩnh vực": "Trật tự đô thị",
        "Nội dung": "Đề nghị lắp đèn chiếu sáng ngõ 12.",
        "Trạng thái": "Đã chuyển xử lý",
        "Chuyển đến": "UBND phường",
        "Ngày giải quyết": "",
    }


@register("exemplary")
class ExemplaryModelImporter(Importer):
    resource_class = ExemplaryModelResource
    example = {
        WARD_CODE: "00115",
        "Tên mô hình": "Ngõ phố văn minh",
        "Lĩnh vực": "Vệ sinh môi trường",
        "Năm": 2025,
        "Cấp công nhận": "Cấp phường",
        "Khen thưởng": "Giấy khen của UBND phường",
    }
    relations = (WARD,)
