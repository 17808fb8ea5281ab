"""Synthetic data at the scale of a district, a city or the whole country, for benchmarks:
`manage.py seed_scale national` (or `district`, `city`; counts can be given one by one).

Rows are generated as tuples and written with COPY on PostgreSQL (bulk inserts on SQLite), in
chunks, so memory stays flat whatever the size. Everything is visibly synthetic (“Phường
X00042”, “Thành viên 123”). History is not written: no one changed these records.
"""

import datetime
import itertools
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from core.text import fold, name_sort_key, sort_key
from core.work_fields import WorkField
from core.writers import copy_rows
from meetings.models import (
    Directive,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
    TaskAssignment,
)
from people.models import Person
from reports import tallies
from teams.models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    FeedbackStep,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)
from wards.models import District, ResidentialGroup, Ward

PRESETS = {
    "district": {
        "districts": 1,
        "wards": 14,
        "groups": 300,
        "members": 2_100,
        "activities": 50_000,
        "feedback": 5_000,
        "seminars": 2,
    },
    "city": {
        "districts": 30,
        "wards": 580,
        "groups": 12_000,
        "members": 84_000,
        "activities": 600_000,
        "feedback": 60_000,
        "seminars": 10,
    },
    "national": {
        "districts": 700,
        "wards": 10_000,
        "groups": 100_000,
        "members": 700_000,
        "activities": 5_000_000,
        "feedback": 500_000,
        "seminars": 50,
    },
}
YEARS = 4  # of activities and feedback, up to today
CHUNK = 20_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quốc", "Thanh", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hương", "Khánh", "Lan", "Long", "Mai",
         "Nam", "Oanh", "Phúc", "Quang", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]  # fmt: skip
TITLES = {
    WorkField.ENVIRONMENT: ["Tổng vệ sinh ngõ xóm", "Ra quân “Ngày Chủ nhật xanh”"],
    WorkField.SECURITY: ["Tuần tra an ninh khu dân cư", "Vận động lắp camera an ninh"],
    WorkField.URBAN_ORDER: ["Vận động giải tỏa lấn chiếm vỉa hè", "Tuyên truyền trật tự đô thị"],
    WorkField.SOCIAL_WELFARE: ["Thăm hỏi hộ khó khăn", "Trao quà gia đình chính sách"],
    WorkField.EPIDEMIC_PREVENTION: ["Phun thuốc diệt muỗi", "Tuyên truyền phòng dịch"],
    WorkField.EMULATION: ["Phát động phong trào thi đua", "Sơ kết phong trào thi đua"],
    WorkField.TEAM_OPERATIONS: ["Họp tổ dân vận định kỳ", "Phân công nhiệm vụ tổ viên"],
}
FIELDS = list(TITLES)
ORGANISATIONS = list(Member.Organisation.values)


class Command(BaseCommand):
    help = "Generate synthetic data at a preset scale (district, city, national) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("preset", choices=sorted(PRESETS))
        for name in PRESETS["district"]:
            parser.add_argument(f"--{name}", type=int, help=f"override the preset's {name}")
        parser.add_argument("--seed", type=int, default=2019)

    def handle(self, *args, preset, seed, **options):
        counts = {
            name: options[name] if options.get(name) is not None else value
            for name, value in PRESETS[preset].items()
        }
        if counts["wards"] < counts["districts"] or counts["groups"] < counts["wards"]:
            raise CommandError("Each district needs a ward, and each ward a residential group.")
        self.random = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            steps = [
                ("units", self.units),
                ("members", self.members),
                ("activities", self.activities),
                ("feedback", self.feedback),
                ("roles", self.roles),
                ("seminars", self.seminars),
            ]
            for name, step in steps:
                step_started = time.perf_counter()
                step(counts)
                self.stdout.write(f"{name}: {time.perf_counter() - step_started:.1f} s")
            if connection.vendor == "postgresql":
                models = [District, Ward, ResidentialGroup, Team, Person, CitizenFeedback,
                          Training, Seminar, SeminarSession, DirectiveTask,
                          TaskAssignment]  # fmt: skip
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(statement)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # Counted once the planner knows the new rows (before ANALYZE it took 97 s, not 34).
        step_started = time.perf_counter()
        tallies.rebuild()
        self.stdout.write(f"tallies: {time.perf_counter() - step_started:.1f} s")
        self.stdout.write(
            f"{preset}: "
            + ", ".join(f"{value:,} {name}" for name, value in counts.items())
            + f" in {time.perf_counter() - started:.0f} s"
        )

    # Writing

    def write(self, model, columns, rows, *, through=None):
        """Write `rows` (tuples in the order of `columns`, attnames) into `model`'s table."""
        table = through or model
        fields = [table._meta.get_field(column) for column in columns]
        if connection.vendor == "postgresql":
            copy_rows(table, fields, rows)
            return
        for chunk in batched(rows, CHUNK // 4):
            table._base_manager.bulk_create(
                [table(**dict(zip(columns, row, strict=True))) for row in chunk]
            )

    @staticmethod
    def first_id(model):
        return (model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def stamps(self):
        return (self.now, self.now)

    # The steps

    def units(self, counts):
        now = self.stamps()
        district_id = self.first_id(District)
        self.districts = list(range(district_id, district_id + counts["districts"]))
        self.write(
            District,
            ["id", "created_at", "updated_at", "code", "name", "sort_name", "kind", "province",
             "party_committee", "office", "office_symbol", "is_active"],
            (
                (pk, *now, f"S{pk:05d}", f"Quận mẫu {pk}", name_sort_key(f"Quận mẫu {pk}"),
                 "urban_district", "Tỉnh mẫu", f"Quận ủy mẫu {pk}", "Ban Dân vận Quận ủy",
                 "BDVQU", True)
                for pk in self.districts
            ),
        )  # fmt: skip
        ward_id = self.first_id(Ward)
        self.wards = list(range(ward_id, ward_id + counts["wards"]))
        self.ward_district = {
            ward: self.districts[index % len(self.districts)]
            for index, ward in enumerate(self.wards)
        }
        self.write(
            Ward,
            [
                "id",
                "created_at",
                "updated_at",
                "district_id",
                "code",
                "name",
                "sort_name",
                "kind",
                "is_active",
            ],
            (
                (
                    pk,
                    *now,
                    self.ward_district[pk],
                    f"X{pk:06d}",
                    f"Phường mẫu {pk}",
                    name_sort_key(f"Phường mẫu {pk}"),
                    "ward",
                    True,
                )
                for pk in self.wards
            ),
        )
        group_id = self.first_id(ResidentialGroup)
        self.groups = list(range(group_id, group_id + counts["groups"]))
        self.group_ward = {
            group: self.wards[index % len(self.wards)] for index, group in enumerate(self.groups)
        }
        number = len(self.wards)
        self.write(
            ResidentialGroup,
            ["id", "created_at", "updated_at", "ward_id", "code", "name", "search_text",
             "households", "population", "is_active"],
            (
                (pk, *now, self.group_ward[pk], f"{index // number + 1:02d}",
                 f"Tổ dân phố số {index // number + 1}",
                 f" {index // number + 1:02d} to dan pho so {index // number + 1}", 200, 800, True)
                for index, pk in enumerate(self.groups)
            ),
        )  # fmt: skip
        team_id = self.first_id(Team)
        self.teams = list(range(team_id, team_id + counts["groups"]))
        self.write(
            Team,
            ["id", "created_at", "updated_at", "residential_group_id", "founded_on"],
            (
                (pk, *now, group, datetime.date(2015, 3, 1))
                for pk, group in zip(self.teams, self.groups, strict=True)
            ),
        )

    def members(self, counts):
        """A person for each member, living in the team's group, but for every twentieth
        member: the person of the member before, in a second team (one person, two seats).
        Every woman of the women's seat also heads her group's women's branch."""
        now = self.stamps()
        names = [f"{f} {m} {g}" for f in FAMILY for m in MIDDLE for g in GIVEN]
        keys = {name: (" " + fold(name), sort_key(name), fold(name)) for name in names}
        teams, groups = self.teams, self.groups
        person_id = self.first_id(Person)
        seats = []  # (team, person id, person's index)
        people = []  # index of the member whose details the person holds
        for index in range(counts["members"]):
            if index % 20 == 19 and people:
                seats.append((teams[index % len(teams)], person_id + len(people) - 1))
                continue
            people.append(index)
            seats.append((teams[index % len(teams)], person_id + len(people) - 1))

        def person_rows():
            for number, index in enumerate(people):
                name = names[index % len(names)]
                search, sort, key = keys[name]
                yield (
                    person_id + number, *now, search, name,
                    "female" if " Thị " in name else "male", 1945 + index % 55,
                    f"09{index % 100_000_000:08d}", "", groups[index % len(groups)], "", sort,
                    key,
                )  # fmt: skip

        self.write(
            Person,
            ["id", "created_at", "updated_at", "search_text", "full_name", "gender",
             "birth_year", "phone", "id_number", "residential_group_id", "address",
             "sort_name", "name_key"],
            person_rows(),
        )  # fmt: skip

        def member_rows():
            for index, (team, person) in enumerate(seats):
                leader = index < len(teams)  # the first member of each team leads it
                yield (
                    *now, team, person, index % 3 == 0,
                    ORGANISATIONS[index % len(ORGANISATIONS)], "leader" if leader else "member",
                    datetime.date(2015 + index % 9, 1 + index % 12, 1), None,
                )  # fmt: skip

        self.write(
            Member,
            ["created_at", "updated_at", "team_id", "person_id", "is_party_member",
             "organisation", "role", "joined_on", "left_on"],
            member_rows(),
        )  # fmt: skip
        self.people = (person_id, [groups[index % len(groups)] for index in people])

    def roles(self, counts):
        """In proportion: a prestigious person in every fifth group (one of its people); a
        training of each managing unit this year, for the leaders; a “Dân vận khéo” model of
        each ward last year, recognised at the ward's level, and one this year, registered."""
        now = self.stamps()
        first_person, homes = self.people  # the group of each person, in the order of ids
        self.write(
            PrestigiousPerson,
            ["created_at", "updated_at", "person_id", "residential_group_id", "standing"],
            (
                (*now, first_person + number, homes[number], "Trưởng họ")
                for number in range(0, len(homes), 5)
            ),
        )
        training_id = self.first_id(Training)
        trainings = {district: training_id + i for i, district in enumerate(self.districts)}
        self.write(
            Training,
            ["id", "created_at", "updated_at", "district_id", "status", "date", "title",
             "organiser_level", "organiser", "place", "content"],
            (
                (pk, *now, district, "held", self.today, "Tập huấn tổ trưởng", "district",
                 "Ban Dân vận", "Hội trường", "")
                for district, pk in trainings.items()
            ),
        )  # fmt: skip
        self.write(
            Training,
            ["training_id", "person_id"],
            (
                (trainings[self.ward_district[self.group_ward[home]]], first_person + number)
                for number, home in enumerate(homes[: len(self.teams)])
            ),
            through=Training.attendees.through,
        )
        year = self.today.year
        self.write(
            ExemplaryModel,
            ["created_at", "updated_at", "search_text", "ward_id", "name", "field", "year",
             "description", "people_involved", "status", "proposed_level", "recognition_level",
             "decision_number", "decision_date", "reward"],
            (
                (*now, " mo hinh dan van kheo", ward, "Mô hình dân vận khéo", FIELDS[0],
                 model_year, "", "", *(
                    ("recognised", "", "ward", "1-QĐ/ĐU", datetime.date(model_year, 12, 1), "")
                    if model_year < year else ("registered", "", "", "", None, "")
                 ))
                for ward in self.ward_district
                for model_year in (year - 1, year)
            ),
        )  # fmt: skip

    def days(self):
        """The days of the last YEARS years, up to today."""
        first = self.today - datetime.timedelta(days=365 * YEARS)
        return [first + datetime.timedelta(days=n) for n in range((self.today - first).days)]

    def activities(self, counts):
        now = self.stamps()
        days = self.days()
        choices = [
            (field, title, " " + fold(title)) for field in FIELDS for title in TITLES[field]
        ]
        pick = self.random.randrange
        teams = self.teams
        wards = [self.group_ward[group] for group in self.groups]  # of each team

        def rows():
            for index in range(counts["activities"]):
                field, title, search = choices[pick(len(choices))]
                yield (
                    *now, search, teams[index % len(teams)], wards[index % len(teams)],
                    days[pick(len(days))], field, title, "", pick(5, 120), pick(5, 60), "",
                )  # fmt: skip

        self.write(
            Activity,
            ["created_at", "updated_at", "search_text", "team_id", "ward_id", "date", "field",
             "title", "description", "households_reached", "participants", "outcome"],
            rows(),
        )  # fmt: skip

    def feedback(self, counts):
        now = self.stamps()
        days = self.days()
        summaries = [
            "Đề nghị sửa đèn chiếu sáng ngõ",
            "Phản ánh ngập úng khi mưa lớn",
            "Đề nghị xử lý tiếng ồn quán karaoke",
            "Kiến nghị thu gom rác đúng giờ",
        ]
        folded = {summary: " " + fold(summary) for summary in summaries}
        pick = self.random.randrange
        teams = self.teams

        def rows():
            for index in range(counts["feedback"]):
                summary = summaries[index % len(summaries)]
                received = days[pick(len(days))]
                state = index % 3
                status = ("new", "forwarded", "resolved")[state]
                resolved = received + datetime.timedelta(days=pick(1, 60)) if state == 2 else None
                forwarded = received + datetime.timedelta(days=pick(0, 5)) if state else None
                answered = forwarded + datetime.timedelta(days=pick(1, 20)) if state == 2 else None
                if resolved is not None:
                    forwarded, answered = min(forwarded, resolved), min(answered, resolved)
                awaiting = None if state == 2 else (forwarded or received)
                # The follow-up log of what was forwarded, answered, resolved: the steps the
                # dates say, written after the feedback.
                pk = feedback_id + index
                if forwarded:
                    steps.append((pk, "forwarded", forwarded, "UBND phường", "", self.now))
                if answered:
                    steps.append((pk, "answered", answered, "UBND phường", "", self.now))
                if resolved:
                    steps.append((pk, "resolved", resolved, "", "", self.now))
                yield (
                    feedback_id + index, *now, folded[summary], teams[index % len(teams)],
                    received, FIELDS[index % len(FIELDS)], summary, status,
                    "UBND phường" if state else "", forwarded, answered, resolved, awaiting,
                )  # fmt: skip

        feedback_id = self.first_id(CitizenFeedback)
        steps = []
        self.write(
            CitizenFeedback,
            ["id", "created_at", "updated_at", "search_text", "team_id", "received_on", "field",
             "summary", "status", "forwarded_to", "forwarded_on", "answered_on", "resolved_on",
             "awaiting_since"],
            rows(),
        )  # fmt: skip
        self.write(
            FeedbackStep, ["feedback_id", "kind", "date", "party", "note", "created_at"], steps
        )

    def seminars(self, counts):
        """Seminars of the first districts, two clusters each over the district's wards,
        six tasks given to all of them, and a report on each every quarter since."""
        now = self.stamps()
        wards_of = {}
        for ward, district in self.ward_district.items():
            wards_of.setdefault(district, []).append(ward)
        seminar_ids = itertools.count(self.first_id(Seminar))
        directive_ids = itertools.count(self.first_id(Directive))
        session_ids = itertools.count(self.first_id(SeminarSession))
        task_ids = itertools.count(self.first_id(DirectiveTask))
        assignment_ids = itertools.count(self.first_id(TaskAssignment))
        seminars, sessions, attended, tasks, assignments, reports = [], [], [], [], [], []
        directives = []
        for index in range(counts["seminars"]):
            district = self.districts[index % len(self.districts)]
            wards = wards_of.get(district, [])
            held = self.today - datetime.timedelta(days=90 * (1 + index % 12))
            seminar = next(seminar_ids)
            seminars.append(
                (seminar, *now, district, f"Tọa đàm mẫu số {index + 1}", "", "Ban Dân vận",
                 "concluded", "", "", "", "", "Trưởng ban", "")
            )  # fmt: skip
            directive = next(directive_ids)
            directives.append(
                (directive, *now, district, "conclusion", "", held, "Ban Dân vận",
                 f"Tọa đàm mẫu số {index + 1}", "", seminar)
            )  # fmt: skip
            for number, half in ((1, wards[::2]), (2, wards[1::2])):
                session = next(session_ids)
                sessions.append((session, *now, seminar, number, held, f"Hội trường {number}"))
                attended += [(session, ward) for ward in half]
            for number in range(1, 7):
                task = next(task_ids)
                tasks.append(
                    (task, *now, directive, number, "other", f"Nhiệm vụ mẫu {number}", "once")
                )
                for ward in wards:
                    assignment = next(assignment_ids)
                    assignments.append(
                        (assignment, *now, task, ward, held + datetime.timedelta(days=365))
                    )
                    reports += self.quarterly_reports(assignment, held, now)
        self.write(
            Seminar,
            ["id", "created_at", "updated_at", "district_id", "title", "theme", "organiser",
             "status", "introductory_report", "discussion_summary", "report_number",
             "notice_number", "signer_position", "recipients"],
            seminars,
        )  # fmt: skip
        self.write(
            SeminarSession,
            ["id", "created_at", "updated_at", "seminar_id", "number", "date", "venue"],
            sessions,
        )
        self.write(
            SeminarSession,
            ["seminarsession_id", "ward_id"],
            attended,
            through=SeminarSession.wards.through,
        )
        self.write(
            Directive,
            ["id", "created_at", "updated_at", "district_id", "kind", "number", "signed_on",
             "issuer", "title", "text", "seminar_id"],
            directives,
        )  # fmt: skip
        self.write(
            DirectiveTask,
            ["id", "created_at", "updated_at", "directive_id", "number", "category", "text",
             "rhythm"],
            tasks,
        )  # fmt: skip
        self.write(
            TaskAssignment,
            ["id", "created_at", "updated_at", "task_id", "ward_id", "due_on"],
            assignments,
        )
        self.write(
            ProgressReport,
            ["created_at", "updated_at", "assignment_id", "period_start", "period_end",
             "status", "percent", "narrative", "reported_at"],
            reports,
        )  # fmt: skip

    def quarterly_reports(self, assignment, held, now):
        percent, start = 0, held
        rows = []
        while start + datetime.timedelta(days=90) <= self.today:
            end = start + datetime.timedelta(days=89)
            percent = min(100, percent + self.random.choice([0, 20, 30]))
            status = "completed" if percent == 100 else "in_progress" if percent else "not_started"
            rows.append((*now, assignment, start, end, status, percent, "", self.now))
            start = end + datetime.timedelta(days=1)
        return rows


def batched(rows, size):
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk
