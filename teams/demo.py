"""Demo teams: a team per residential group, its members, activities and feedback month by
month, “Dân vận khéo” models, trainings and prestigious people; after the 2025 reform, the
teams of the new groups made from the old ones (kiện toàn), their members carried.

People are visibly fictitious (“Nguyễn Văn A”). The records of a month are drawn from a
generator seeded by the group and the month, so a re-run creates nothing new: only the days
that have passed since the last run are added.
"""

import datetime
import random

from django.db.models import Q

from core.demo import create_missing, fictitious_name, fictitious_phone
from core.periods import next_month
from core.work_fields import WorkField
from people.models import Person, Position

from . import reorganisations
from .models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    FeedbackStep,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)
from .services import implied_steps

# (organisation, role, is a party member) of the usual team, in the order people are listed.
TEAM_SEATS = [
    (Member.Organisation.PARTY_CELL, Member.Role.LEADER, True),
    (Member.Organisation.FRONT_COMMITTEE, Member.Role.DEPUTY, True),
    (Member.Organisation.GROUP_HEAD, Member.Role.MEMBER, True),
    (Member.Organisation.WOMEN, Member.Role.MEMBER, False),
    (Member.Organisation.VETERANS, Member.Role.MEMBER, True),
    (Member.Organisation.ELDERLY, Member.Role.MEMBER, False),
    (Member.Organisation.YOUTH, Member.Role.MEMBER, False),
]

ACTIVITY_TITLES = {
    WorkField.DEMOCRACY_SITE_CLEARANCE: [
        "Vận động các hộ bàn giao mặt bằng dự án mở rộng đường",
        "Đối thoại với hộ dân về phương án bồi thường, hỗ trợ GPMB",
    ],
    WorkField.URBAN_ORDER: [
        "Vận động hộ kinh doanh không lấn chiếm vỉa hè",
        "Ra quân lập lại trật tự đô thị trên tuyến phố",
    ],
    WorkField.CONSTRUCTION_ORDER: [
        "Tuyên truyền quy định cấp phép xây dựng nhà ở riêng lẻ",
        "Phối hợp nhắc nhở công trình xây dựng sai phép",
    ],
    WorkField.EPIDEMIC_PREVENTION: [
        "Ra quân diệt bọ gậy phòng chống sốt xuất huyết",
        "Vận động người dân tiêm vắc-xin phòng bệnh",
    ],
    WorkField.NO_LIVESTOCK: ["Vận động hộ dân không chăn nuôi gia súc trong khu dân cư"],
    WorkField.ENVIRONMENT: [
        "Tổng vệ sinh môi trường khu dân cư",
        "Hướng dẫn phân loại rác thải tại nguồn",
    ],
    WorkField.SECURITY: [
        "Tuyên truyền phòng chống tội phạm, tệ nạn xã hội",
        "Vận động nhân dân tham gia phòng cháy, chữa cháy",
    ],
    WorkField.EMULATION: [
        "Vận động xây dựng tổ dân phố văn hóa",
        "Phát động phong trào thi đua “Dân vận khéo” ở tổ dân phố",
    ],
    WorkField.SOCIAL_WELFARE: [
        "Thăm hỏi, tặng quà gia đình chính sách",
        "Vận động ủng hộ Quỹ “Vì người nghèo”",
    ],
    WorkField.TEAM_OPERATIONS: ["Sinh hoạt định kỳ tổ dân vận"],
}

FEEDBACK_SUMMARIES = {
    WorkField.URBAN_ORDER: "Đề nghị xử lý tình trạng đỗ xe lấn chiếm lối đi chung",
    WorkField.CONSTRUCTION_ORDER: "Phản ánh công trình xây dựng gây nứt tường nhà bên cạnh",
    WorkField.ENVIRONMENT: "Đề nghị tăng tần suất thu gom rác thải",
    WorkField.SECURITY: "Đề nghị lắp thêm camera an ninh ở ngõ",
    WorkField.DEMOCRACY_SITE_CLEARANCE: "Kiến nghị công khai phương án bồi thường GPMB",
    WorkField.SOCIAL_WELFARE: "Đề nghị xem xét hỗ trợ hộ có hoàn cảnh khó khăn",
    WorkField.OTHER: "Đề nghị sửa chữa đèn chiếu sáng ngõ",
}

# The symbol of the body whose decision recognises a model, by level.
DECIDERS = {"ward": "ĐU", "district": "QU", "city": "TU"}
EXEMPLARY_TOPICS = {
    WorkField.DEMOCRACY_SITE_CLEARANCE: "giải phóng mặt bằng",
    WorkField.URBAN_ORDER: "giữ gìn trật tự đô thị",
    WorkField.CONSTRUCTION_ORDER: "quản lý trật tự xây dựng",
    WorkField.EPIDEMIC_PREVENTION: "phòng chống dịch bệnh",
    WorkField.NO_LIVESTOCK: "không chăn nuôi gia súc trong khu dân cư",
    WorkField.ENVIRONMENT: "bảo vệ môi trường",
    WorkField.SECURITY: "giữ gìn an ninh trật tự",
    WorkField.EMULATION: "xây dựng tổ dân phố văn hóa",
    WorkField.SOCIAL_WELFARE: "chăm lo an sinh xã hội",
    WorkField.TEAM_OPERATIONS: "sinh hoạt tổ dân vận",
}

FEEDBACK_REPLY = "Đã thông báo kết quả trả lời của cơ quan chức năng tại cuộc họp tổ dân phố."
FORWARDED_TO = ["UBND phường", "Công an phường", "Đội quản lý trật tự xây dựng đô thị"]

PRESTIGIOUS_STANDINGS = [
    "Nguyên hiệu trưởng trường tiểu học",
    "Trưởng họ, cựu chiến binh",
    "Bác sĩ nghỉ hưu",
    "Nguyên bí thư chi bộ",
]


def months_between(first, last):
    """The first days of the months from `first`'s to `last`'s."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = next_month(day)
    return months


def load_demo_teams(groups):
    """A team founded long ago for each of `groups` that has none, with its members."""
    create_missing(
        Team.objects.filter(residential_group__in=groups),
        [
            Team(residential_group=group, founded_on=datetime.date(2010, 3, 1 + index % 28))
            for index, group in enumerate(groups)
        ],
        ["residential_group_id"],
    )
    teams = teams_of(groups)
    # Teams that have members already keep them (their people may have moved on since).
    seated = set(
        Member.objects.filter(team__in=[team.pk for team in teams.values()]).values_list(
            "team__residential_group", flat=True
        )
    )
    people, seats = [], []
    for index, group in enumerate(groups):
        if group.pk in seated:
            continue
        rng = random.Random(f"team-{group.ward.code}-{group.code}")
        for seat, (organisation, role, party) in enumerate(TEAM_SEATS):
            number = index * len(TEAM_SEATS) + seat
            female = organisation == Member.Organisation.WOMEN or rng.random() < 0.3
            people.append(
                Person(
                    residential_group=group,
                    full_name=fictitious_name(number, female=female),
                    gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
                    birth_year=rng.randrange(1990, 2000)
                    if organisation == Member.Organisation.YOUTH
                    else rng.randrange(1945, 1975),
                    phone=fictitious_phone(number),
                )
            )
            joined_on = datetime.date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1)
            seats.append((group, people[-1].full_name, organisation, role, party, joined_on))
    found = people_by_name(groups, people)
    create_missing(
        Member.objects.filter(team__in=[team.pk for team in teams.values()]),
        [
            Member(
                team=teams[group.pk],
                person=found[group.pk, name],
                is_party_member=party,
                organisation=organisation,
                role=role,
                joined_on=joined_on,
            )
            for group, name, organisation, role, party, joined_on in seats
        ],
        ["team_id", "person_id"],
    )
    # The women's branch head of each group sits in its team for the branch: two roles.
    create_missing(
        Position.objects.filter(person__residential_group__in=groups),
        [
            Position(
                person=found[group.pk, name],
                kind=Position.Kind.BRANCH_HEAD,
                organisation=f"Chi hội Phụ nữ {group.name}",
                started_on=joined_on,
            )
            for group, name, organisation, _role, _party, joined_on in seats
            if organisation == Member.Organisation.WOMEN
        ],
        ["person_id", "kind"],
    )


def people_by_name(groups, people):
    """{(group id, full name): person} of `groups`, `people` (unsaved) created if missing."""
    create_missing(
        Person.objects.filter(residential_group__in=groups),
        people,
        ["residential_group_id", "full_name"],
    )
    return {
        (person.residential_group_id, person.full_name): person
        for person in Person.objects.filter(residential_group__in=groups)
    }


def reorganise_demo_teams(groups):
    """A team for each of `groups` (made by the reform) from its predecessors' teams, with
    their members (kiện toàn tổ dân vận): the leader of the first old team leads."""
    for group in groups:
        if not Team.objects.filter(residential_group=group).exists():
            reorganisations.apply(reorganisations.preview(group, user=None))


def teams_of(groups):
    return {
        team.residential_group_id: team
        for team in Team.objects.filter(residential_group__in=groups)
    }


def load_demo_work(groups, *, first, last, person_offset):
    """Two prestigious people in each of `groups`, and their teams' activities and feedback
    of every month from `first` to `last` (none after `last`)."""
    teams = teams_of(groups)
    respected = set(
        PrestigiousPerson.objects.filter(residential_group__in=groups).values_list(
            "residential_group", flat=True
        )
    )
    people, standings, activities, feedback = [], [], [], []
    for index, group in enumerate(groups):
        team = teams[group.pk]
        for seat in range(0 if group.pk in respected else 2):
            number = person_offset + index * 2 + seat
            people.append(
                Person(
                    residential_group=group,
                    full_name=fictitious_name(number, female=seat == 1),
                    gender=Person.Gender.FEMALE if seat == 1 else Person.Gender.MALE,
                    birth_year=1940 + (number % 25),
                    phone=fictitious_phone(number),
                )
            )
            standing = PRESTIGIOUS_STANDINGS[(index + seat) % len(PRESTIGIOUS_STANDINGS)]
            standings.append((group, people[-1].full_name, standing))
        for month in months_between(first, last):
            activities += monthly_activities(team, group, month, last)
            feedback += monthly_feedback(team, group, month, last)
    team_ids = [team.pk for team in teams.values()]
    found = people_by_name(groups, people)
    create_missing(
        PrestigiousPerson.objects.filter(residential_group__in=groups),
        [
            PrestigiousPerson(
                person=found[group.pk, name], residential_group=group, standing=standing
            )
            for group, name, standing in standings
        ],
        ["residential_group_id", "person_id"],
    )
    create_missing(
        Activity.objects.filter(team__in=team_ids), activities, ["team_id", "date", "title"]
    )
    create_missing(
        CitizenFeedback.objects.filter(team__in=team_ids),
        feedback,
        ["team_id", "received_on", "summary"],
    )
    load_demo_follow_ups(team_ids)
    link_demo_prestigious_people(groups)


def load_demo_duplicate(groups):
    """The leader of the first group's team recorded a second time, as a prestigious person
    of the next group, with the same name, year of birth and phone: a pair for the page of
    people recorded twice to find, and to merge."""
    leader = (
        Member.objects.filter(team__residential_group=groups[0], role=Member.Role.LEADER)
        .select_related("person")
        .first()
    )
    if leader is None or len(groups) < 2:
        return
    person = leader.person
    twin, created = Person.objects.get_or_create(
        full_name=person.full_name,
        birth_year=person.birth_year,
        residential_group=groups[1],
        defaults={"gender": person.gender, "phone": person.phone},
    )
    if created:
        PrestigiousPerson.objects.create(
            person=twin, residential_group=groups[1], standing="Tổ trưởng tổ dân phố nhiều năm"
        )


def link_demo_prestigious_people(groups):
    """The first prestigious person of each group helped with its team's first activity and
    first feedback of each year."""
    for role in PrestigiousPerson.objects.filter(residential_group__in=groups).order_by("pk"):
        if (
            role.activities.exists()
            or PrestigiousPerson.objects.filter(
                residential_group=role.residential_group, pk__lt=role.pk
            ).exists()
        ):
            continue
        team = Team.objects.filter(residential_group=role.residential_group).first()
        if team is None:
            continue
        role.activities.set(first_of_each_year(team.activities, "date"))
        role.feedback.set(first_of_each_year(team.feedback, "received_on"))


def first_of_each_year(records, date_field):
    firsts = {}
    for record in records.order_by(date_field):
        firsts.setdefault(getattr(record, date_field).year, record)
    return list(firsts.values())


def monthly_activities(team, group, first, last):
    rng = random.Random(f"activities-{group.ward.code}-{group.code}-{first:%Y-%m}")
    activities = []
    for _ in range(rng.randrange(1, 4)):
        field = rng.choice(list(ACTIVITY_TITLES))
        date = first.replace(day=rng.randrange(1, 29))
        if date > last:
            continue
        households = rng.randrange(10, min(group.households, 200))
        activities.append(
            Activity(
                team=team,
                date=date,
                field=field,
                title=rng.choice(ACTIVITY_TITLES[field]),
                description=f"Tổ dân vận {group.name} phối hợp các chi hội đoàn thể thực hiện.",
                households_reached=households,
                participants=rng.randrange(5, 40),
                outcome=f"Đã vận động được {households} hộ.",
            )
        )
    return activities


def monthly_feedback(team, group, first, last):
    rng = random.Random(f"feedback-{group.ward.code}-{group.code}-{first:%Y-%m}")
    if rng.random() < 0.5:
        return []
    received = first.replace(day=rng.randrange(1, 29))
    if received > last:
        return []
    field = rng.choice(list(FEEDBACK_SUMMARIES))
    age = (last - received).days
    # Older feedback has mostly been dealt with; the latest is mostly still open.
    if age > 45 and rng.random() < 0.8:
        status = CitizenFeedback.Status.RESOLVED
    elif age > 10 and rng.random() < 0.6:
        status = CitizenFeedback.Status.FORWARDED
    else:
        status = CitizenFeedback.Status.NEW
    resolved_on = None
    if status == CitizenFeedback.Status.RESOLVED:
        resolved_on = received + datetime.timedelta(days=rng.randrange(3, 40))
    forwarded_to = "" if status == CitizenFeedback.Status.NEW else rng.choice(FORWARDED_TO)
    # Forwarded within days; answered before it was resolved, or, for some still open, already.
    forwarded_on = answered_on = None
    if forwarded_to:
        forwarded_on = min(received + datetime.timedelta(days=rng.randrange(0, 4)), last)
    if resolved_on:
        forwarded_on = min(forwarded_on, resolved_on)
        answered_on = forwarded_on + datetime.timedelta(
            days=rng.randrange(0, (resolved_on - forwarded_on).days + 1)
        )
    elif forwarded_on and rng.random() < 0.4:
        answered_on = min(forwarded_on + datetime.timedelta(days=rng.randrange(3, 20)), last)
    return [
        CitizenFeedback(
            team=team,
            received_on=received,
            field=field,
            summary=FEEDBACK_SUMMARIES[field],
            status=status,
            forwarded_to=forwarded_to,
            forwarded_on=forwarded_on,
            answered_on=answered_on,
            resolved_on=resolved_on,
        )
    ]


def load_demo_follow_ups(team_ids):
    """The follow-up log of the teams' feedback that has none yet: the steps its dates say
    were taken, and for what was answered, the reply given to the residents."""
    logged = FeedbackStep.objects.filter(feedback__team__in=team_ids).values("feedback")
    untracked = CitizenFeedback.objects.filter(team__in=team_ids).exclude(pk__in=logged)
    steps = []
    for feedback in untracked.exclude(status=CitizenFeedback.Status.NEW):
        steps += implied_steps(None, feedback, user=None)
        if feedback.answered_on:
            steps.append(
                FeedbackStep(
                    feedback=feedback,
                    kind=FeedbackStep.Kind.REPLIED,
                    date=feedback.resolved_on or feedback.answered_on,
                    party="Tổ trưởng tổ dân phố",
                    note=FEEDBACK_REPLY,
                )
            )
    FeedbackStep.objects.bulk_create(sorted(steps, key=lambda step: step.date))


def load_demo_exemplary_models(groups, *, years):
    """One “Dân vận khéo” model a year for the first group of each ward, in `years`, each
    recognised at the end of its year by a decision of the level that recognised it."""
    teams = teams_of(groups)
    first_group_of_ward = {}
    for group in groups:
        first_group_of_ward.setdefault(group.ward_id, group)
    levels = list(ExemplaryModel.Level)
    models = []
    for index, group in enumerate(first_group_of_ward.values()):
        for year in years:
            field = list(EXEMPLARY_TOPICS)[(index + year) % len(EXEMPLARY_TOPICS)]
            models.append(
                ExemplaryModel(
                    ward=group.ward,
                    team=teams[group.pk],
                    name=f"“Dân vận khéo” trong {EXEMPLARY_TOPICS[field]} ở {group.name}",
                    field=field,
                    year=year,
                    status=ExemplaryModel.Status.RECOGNISED,
                    recognition_level=levels[(index + year) % len(levels)],
                    decision_number=f"{100 + index}-QĐ/{DECIDERS[levels[(index + year) % 3]]}",
                    decision_date=datetime.date(year, 12, 20),
                    reward="Giấy khen" if (index + year) % 2 else "",
                )
            )
    wards = {group.ward_id for group in groups}
    create_missing(
        ExemplaryModel.objects.filter(ward__in=wards), models, ["ward_id", "name", "year"]
    )


def load_demo_trainings(district, *, year, level):
    """A training of the managing unit for every current team leader and deputy of its
    wards, in March of `year`."""
    date = datetime.date(year, 3, 15)
    training, created = Training.objects.get_or_create(
        district=district,
        title=f"Tập huấn nghiệp vụ công tác dân vận cho tổ trưởng, tổ phó năm {year}",
        defaults={
            "date": date,
            "organiser_level": level,
            "organiser": district.office or "Ban Dân vận",
            "place": "Hội trường Trung tâm Chính trị",
            "hours": 8,
            "content": "Quy chế dân chủ ở cơ sở; kỹ năng vận động nhân dân; "
            "phong trào thi đua “Dân vận khéo”.",
        },
    )
    if created:
        training.attendees.set(
            Person.objects.filter(
                pk__in=Member.objects.filter(
                    Q(role=Member.Role.LEADER) | Q(role=Member.Role.DEPUTY),
                    left_on__isnull=True,
                    **{f"{Member.ward_path}__district": district},
                ).values("person")
            )
        )


def load_demo_planned_training(ward, *, today):
    """A training `ward` plans for next month, with no attendee yet."""
    Training.objects.get_or_create(
        district=ward.district,
        ward=ward,
        title="Tập huấn kỹ năng tiếp nhận, theo dõi ý kiến, kiến nghị của nhân dân",
        defaults={
            "status": Training.Status.PLANNED,
            "date": today + datetime.timedelta(days=30),
            "organiser_level": Training.Level.WARD,
            "organiser": f"Đảng ủy phường {ward.name}",
            "place": f"Hội trường UBND phường {ward.name}",
            "hours": 4,
            "content": "Ghi nhận ý kiến, chuyển xử lý, theo dõi trả lời và báo cáo lại nhân dân.",
        },
    )
