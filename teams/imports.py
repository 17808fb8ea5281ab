"""Bulk imports of the teams' records (see `core.imports`): a row names its team by the
ward and residential group codes, among the teams the importing user sees."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from core.imports import Importer, Relation, code_variants, register
from core.resources import managed
from core.tables import FileRefused
from core.writers import BATCH, insert_with_history
from people.identity import Identity, candidates, describe_person, match
from people.models import Person
from wards.imports import WARD
from wards.models import ResidentialGroup, current_last
from wards.resources import GROUP_CODE, WARD_CODE

from .models import ExemplaryModel, FeedbackStep, Member, Team
from .recognition import recognition_refusal
from .resources import (
    ActivityResource,
    ExemplaryModelResource,
    FeedbackResource,
    MemberResource,
    TeamResource,
)
from .services import implied_steps


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
    """Members with their persons: a row's person is the one already recorded that the
    row describes (`people.identity`: the same identity number, or the same name and year of
    birth with the same phone or group), or a new one; a row that only shares a name and a
    year of birth with someone recorded is refused with their names, not made a second
    record of them. A member is found by team and person."""

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

    # The person's columns: those that must be in the file, and those that may be left out.
    PERSON_REQUIRED = ("full_name", "gender")
    PERSON_OPTIONAL = ("birth_year", "phone", "id_number")

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("team", "person")
        self.person_fields = {
            name: self.resource.fields[name]
            for name in self.PERSON_REQUIRED + self.PERSON_OPTIONAL
        }

    def key_header(self):
        names = ("team", "full_name", "birth_year")
        return " + ".join([WARD_CODE, *(self.resource.fields[name].column_name for name in names)])

    def model_field(self, attribute):
        if attribute.startswith("person__"):
            return Person._meta.get_field(attribute.removeprefix("person__"))
        return super().model_field(attribute)

    def columns_of(self, headers):
        missing = [
            self.person_fields[name].column_name
            for name in self.PERSON_REQUIRED
            if self.person_fields[name].column_name not in headers
        ]
        if missing:
            raise FileRefused(
                _(
                    "The file lacks the column(s) %(missing)s. Start from the template: its "
                    "first row names the columns %(expected)s."
                )
                % {
                    "missing": ", ".join(f"“{header}”" for header in missing),
                    "expected": ", ".join(f"“{header}”" for header in self.headers),
                }
            )
        return super().columns_of(headers)

    def resolve(self, records, result):
        super().resolve(records, result)
        rows = [
            (record, self.person_of(record, result)) for record in records if not record.failed
        ]
        rows = [(record, person) for record, person in rows if person is not None]
        people = Person.objects.managed_by(self.user) if self.user else Person.objects.all()
        known = candidates(people, [Identity.of(person) for _record, person in rows])
        # A name with no year of birth names the person who has that name in the row's
        # team (its seat: the file imported again), no one else.
        seated = {
            (team, name, person)
            for team, name, person in Member.objects.filter(
                team__in={record.values["team"].pk for record, _person in rows},
                person__in=[person.pk for person in known if person.birth_year is None],
            ).values_list("team", "person__name_key", "person")
        }
        numbers = {person.id_number for _record, person in rows if person.id_number}
        elsewhere = set(
            Person.objects.filter(id_number__in=numbers)
            .exclude(pk__in=[person.pk for person in known])
            .values_list("id_number", flat=True)
        )
        by_number = {person.id_number: person for person in known if person.id_number}
        new = []  # the people this file adds, each once
        self.typed = {record.row: person for record, person in rows}
        self.person_updates = {}
        for record, row_person in rows:
            identity = Identity.of(row_person)
            if identity.id_number in elsewhere:
                self.fail(
                    result,
                    record,
                    self.person_fields["id_number"].column_name,
                    identity.id_number,
                    _(
                        "This identity number is already recorded, for a person you may not "
                        "change."
                    ),
                )
                continue
            # The identity number names its person wherever they live; without it, the people
            # of the row's ward are looked at.
            ward = record.values["team"].residential_group.ward_id
            found, likely = (
                ([by_number[identity.id_number]], [])
                if identity.id_number in by_number
                else match(identity, [p for p in known if p.residential_group.ward_id == ward])
            )
            if not found and identity.birth_year is None:
                team = record.values["team"].pk
                found = [p for p in likely if (team, identity.name_key, p.pk) in seated]
                likely = [] if found else likely
            if not found:
                found, _likely = match(identity, new)
            if len(found) > 1:
                self.fail(
                    result,
                    record,
                    self.person_fields["full_name"].column_name,
                    identity.full_name,
                    _("Several people recorded match this row: %(people)s. Merge them first.")
                    % {"people": ", ".join(describe_person(p) for p in found)},
                )
                continue
            person = found[0] if found else None
            if person is None and likely:
                self.fail(
                    result,
                    record,
                    self.person_fields["full_name"].column_name,
                    identity.full_name,
                    _(
                        "Maybe the same person as %(people)s, already recorded with the same "
                        "name and year of birth: give the identity number, the same phone or "
                        "group, or merge the records first."
                    )
                    % {"people": ", ".join(describe_person(p) for p in likely)},
                )
                continue
            if person is None:
                person = row_person
                new.append(person)
            record.values["person"] = person

    # The person's details an import updates on a person it found (name and year of birth
    # found them).
    UPDATED = ("gender", "phone", "id_number")

    def related_changes(self, record):
        """The person's details the row changes, kept for `write`."""
        found, typed = record.values["person"], self.typed[record.row]
        if found.pk is None:
            return []
        changed = [
            name
            for name in self.UPDATED
            if self.person_fields[name].column_name in record.cells
            and getattr(typed, name) != getattr(found, name)
        ]
        if changed:
            self.person_updates[found.pk] = (
                found,
                {name: getattr(typed, name) for name in changed},
            )
        return [
            f"{self.person_fields[name].column_name}: {getattr(found, name) or '–'} → "
            f"{getattr(typed, name) or '–'}"
            for name in changed
        ]

    def person_of(self, record, result):
        """The person the row describes, as an unsaved `Person`; None, with the row's errors,
        when a cell is wrong."""
        values = {}
        for name, field in self.person_fields.items():
            column = field.column_name
            if column not in record.cells:
                continue
            try:
                values[name] = field.widget.clean(record.cells[column], row=record.cells)
            except ValueError as error:
                self.fail(result, record, column, record.cells[column], str(error))
        if record.failed:
            return None
        team = record.values["team"]
        person = Person(residential_group=team.residential_group, **values)
        try:
            person.clean_fields(exclude=["residential_group"])
        except ValidationError as errors:
            for name, messages in errors.message_dict.items():
                column = self.person_fields[name].column_name
                self.fail(result, record, column, record.cells.get(column), " ".join(messages))
            return None
        person.fill_derived_fields()
        return person

    def write(self, records, result, attributes):
        """The new people first, then the members."""
        new_people = list(
            {
                id(record.values["person"]): record.values["person"]
                for record in records
                if record.action == "new" and record.values["person"].pk is None
            }.values()
        )
        updated, now = [], timezone.now()
        for person, values in self.person_updates.values():
            for name, value in values.items():
                setattr(person, name, value)
            person.updated_at = now  # bulk updates skip auto_now
            updated.append(person)
        with transaction.atomic():
            insert_with_history(Person, new_people, user=self.user)
            bulk_update_with_history(
                updated,
                Person,
                [*self.UPDATED, "updated_at"],
                batch_size=BATCH,
                default_user=self.user,
            )
            for record in records:
                if record.action == "new":
                    record.instance.person = record.values["person"]  # now with its id
            super().write(records, result, attributes)

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
