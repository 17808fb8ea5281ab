"""Bulk imports of the teams' records (see `core.imports`): a row names its team by the
ward and residential group codes, among the teams the importing user sees."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import AMBIGUOUS, Importer, Relation, canonical, code_variants, register
from core.resources import managed
from core.writers import BATCH
from people.imports import RoleImporter
from wards.imports import GROUP, WARD, a_ward_of
from wards.models import Ward, current_last
from wards.resources import DISTRICT_CODE, GROUP_CODE, WARD_CODE

from .models import ExemplaryModel, FeedbackStep, Member, PrestigiousPerson, Team
from .recognition import recognition_refusal
from .resources import (
    ActivityResource,
    ExemplaryModelResource,
    FeedbackResource,
    MemberResource,
    PrestigiousPersonResource,
    TeamResource,
    TrainingResource,
)
from .services import implied_steps


def teams_by_codes(user, keys):
    """{(ward code, group code): team} of the keys, among the teams `user` may change: of
    the ward's current group with that code (see `wards.imports.groups_by_codes`)."""
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


def a_team_of(user):
    """The codes of a current group's team `user` may change, for a template's example."""
    team = (
        Team.objects.managed_by(user)
        .filter(residential_group__valid_until__isnull=True)
        .select_related(Team.ward_path)
        .order_by(f"{Team.ward_path}__sort_name", "residential_group__code")
        .first()
    )
    return (team.residential_group.ward.code, team.residential_group.code) if team else None


TEAM = Relation(
    "team",
    (WARD_CODE, GROUP_CODE),
    teams_by_codes,
    gettext_lazy(
        "No mobilization team you may change belongs to the residential group “%(1)s” of "
        "the ward “%(0)s”."
    ),
    example=a_team_of,
)


@register("team")
class TeamImporter(Importer):
    resource_class = TeamResource
    example = {WARD_CODE: "00115", GROUP_CODE: "07", "Ngày thành lập": "15/03/2015"}
    relations = (GROUP,)


@register("member")
class MemberImporter(RoleImporter):
    """Members with their persons (`people.imports`), found by team and person."""

    resource_class = MemberResource
    relations = (TEAM,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Họ và tên": "Nguyễn Thị Lan",
        "Giới tính": "Nữ",
        "Năm sinh": 1968,
        "Điện thoại": "0912 345 678",
        "Số định danh": "",
        "Đảng viên": "Có",
        "Đại diện tổ chức": "Chi hội Phụ nữ",
        "Vai trò": "Tổ viên",
        "Ngày vào": "01/03/2020",
        "Ngày ra": "",
    }
    PERSON_REQUIRED = ("full_name", "gender")
    PERSON_OPTIONAL = ("birth_year", "phone", "id_number")

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("team", "person")

    def key_header(self):
        names = ("team", "full_name", "birth_year")
        return " + ".join([WARD_CODE, *(self.resource.fields[name].column_name for name in names)])

    def group_of(self, record):
        return record.values["team"].residential_group

    def role_of(self, record):
        return record.values["team"].pk

    def holders(self, rows, people):
        return set(
            Member.objects.filter(
                team__in={record.values["team"].pk for record, _person in rows},
                person__in=[person.pk for person in people],
            ).values_list("team", "person")
        )

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
        "Ngày chuyển": "15/09/2025",
        "Ngày nhận trả lời": "",
        "Ngày giải quyết": "",
    }

    def write(self, records, result, attributes):
        """The rows and, in the feedback's follow-up logs, the steps their forwarding,
        answer or resolution say were taken (`services.implied_steps`)."""
        with transaction.atomic():
            super().write(records, result, attributes)
            FeedbackStep.objects.bulk_create(
                [
                    step
                    for record in records
                    if record.action in ("new", "changed")
                    for step in implied_steps(record.before, record.instance, user=self.user)
                ],
                batch_size=BATCH,
            )


@register("exemplary")
class ExemplaryModelImporter(Importer):
    resource_class = ExemplaryModelResource
    example = {
        WARD_CODE: "00115",
        "Tên mô hình": "Ngõ phố văn minh",
        "Lĩnh vực": "Vệ sinh môi trường",
        "Năm": 2025,
        "Mô tả": "Vận động các hộ giữ ngõ sạch, đẹp, trồng cây xanh.",
        "Người tham gia": "Tổ dân vận tổ dân phố số 7",
        "Trạng thái": "Đã công nhận",
        "Cấp đề nghị": "",
        "Cấp công nhận": "Cấp phường",
        "Số quyết định": "125-QĐ/ĐU",
        "Ngày quyết định": "15/12/2025",
        "Khen thưởng": "Giấy khen của Đảng ủy phường",
    }
    relations = (WARD,)

    def check_rows(self, records, result):
        """A row that recognises a model names the decision, at a level the importing user
        has the right to (`recognition.recognition_refusal`)."""
        level_header = self.header_of("recognition_level")
        for record in records:
            model = record.instance
            if model.status != ExemplaryModel.Status.RECOGNISED:
                continue
            refusal = recognition_refusal(self.user, model.recognition_level or "ward")
            if refusal:
                self.fail(result, record, level_header, model.recognition_level, refusal)
            elif not model.decision_number or model.decision_date is None:
                self.fail(
                    result,
                    record,
                    self.header_of("decision_number"),
                    model.decision_number,
                    _("A recognised model needs the number and date of its decision."),
                )


@register("prestigious")
class PrestigiousPersonImporter(RoleImporter):
    """Prestigious people of a residential group, with their persons (`people.imports`),
    found by group and person."""

    resource_class = PrestigiousPersonResource
    relations = (GROUP,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Họ và tên": "Phạm Văn Minh",
        "Giới tính": "Nam",
        "Năm sinh": 1950,
        "Điện thoại": "",
        "Số định danh": "",
        "Uy tín": "Nhà giáo nghỉ hưu, trưởng họ Phạm",
        "Từ ngày": "01/01/2024",
        "Đến ngày": "",
    }

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("residential_group", "person")

    def key_header(self):
        names = ("residential_group", "full_name", "birth_year")
        return " + ".join([WARD_CODE, *(self.resource.fields[name].column_name for name in names)])

    def holders(self, rows, people):
        return set(
            PrestigiousPerson.objects.filter(
                residential_group__in={self.role_of(record) for record, _person in rows},
                person__in=[person.pk for person in people],
            ).values_list("residential_group", "person")
        )


@register("training")
class TrainingImporter(Importer):
    """Trainings: a row with a ward's code is that ward's (among the wards the user
    manages); a row without one is the importing user's managing unit's own."""

    resource_class = TrainingResource
    example = {
        DISTRICT_CODE: "",
        WARD_CODE: "00115",
        "Ngày": "20/03/2026",
        "Tên lớp": "Bồi dưỡng kỹ năng dân vận khéo",
        "Trạng thái": "Dự kiến tổ chức",
        "Cấp tổ chức": "Phường",
        "Đơn vị tổ chức": "Đảng ủy phường",
        "Địa điểm": "Hội trường UBND phường",
        "Số giờ": "3,5",
        "Nội dung": "Kỹ năng tiếp xúc, vận động nhân dân.",
        "Số người tham dự": "",
    }

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("district", "ward", "date", "title")

    def validate(self, record, result):
        # The rules on the training's ward (`clean_loaded`) read the ward the row named,
        # not a query per row.
        record.instance.ward = record.values["ward"]
        super().validate(record, result)

    def example_row(self):
        row = super().example_row()
        ward = a_ward_of(self.user) if self.user else None
        if ward:
            (row[WARD_CODE],) = ward
        return row

    def key_header(self):
        names = ("ward", "date", "title")
        return " + ".join(self.resource.fields[name].column_name for name in names)

    def resolve(self, records, result):
        """The ward of each row with a ward's code, and its managing unit; the user's unit
        for a row without."""
        codes = {self.key_cell(record.cells.get(WARD_CODE)) for record in records} - {""}
        wards = Ward.objects.filter(code__in=code_variants(codes)).select_related("district")
        found = {}
        for ward in managed(wards, self.user):
            key = canonical(ward.code)
            found[key] = AMBIGUOUS if key in found else ward
        unit = getattr(self.user, "district", None)
        for record in records:
            code = self.key_cell(record.cells.get(WARD_CODE))
            ward = found.get(canonical(code)) if code else None
            if ward is AMBIGUOUS:
                self.fail(
                    result,
                    record,
                    WARD_CODE,
                    code,
                    _("Several records match these codes; correct them in the admin first."),
                )
            elif code and ward is None:
                self.fail(result, record, WARD_CODE, code, str(WARD.message) % {"0": code})
            elif ward is None and unit is None:
                self.fail(
                    result,
                    record,
                    WARD_CODE,
                    code,
                    _("Give the ward's code: you organise trainings for your wards."),
                )
            else:
                record.values["ward"] = ward
                record.values["district"] = ward.district if ward else unit
