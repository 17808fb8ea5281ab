"""Demo teams: a team per residential group, its members, a year of activities and feedback,
“Dân vận khéo” models, trainings and prestigious people.

People are visibly fictitious (“Nguyễn Văn A”). The records of a month are drawn from a
generator seeded by the group and the month, so a re-run creates nothing new: only the days
that have passed since the last run are added.
"""

import datetime
import random

from django.db.models import Q

from core.demo import create_missing, fictitious_name, fictitious_phone
from core.work_fields import WorkField
from wards.models import District, ResidentialGroup

from .models import (
    Activity,
    CitizenFeedback,
    ExemplaryModel,
    Member,
    PrestigiousPerson,
    Team,
    Training,
)

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

FORWARDED_TO = ["UBND phường", "Công an phường", "Đội quản lý trật tự xây dựng đô thị"]

PRESTIGIOUS_STANDINGS = [
    "Nguyên hiệu trưởng trường tiểu học",
    "Trưởng họ, cựu chiến binh",
    "Bác sĩ nghỉ hưu",
    "Nguyên bí thư chi bộ",
]


def months_before(today, count):
    """The first days of the `count` months up to and including today's."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def load_demo_teams(district: District, *, today: datetime.date):
    """Teams, members, prestigious people, a year of activities and feedback, models and
    trainings for every residential group of the district."""
    groups = list(ResidentialGroup.objects.filter(ward__district=district).select_related("ward"))
    create_missing(
        Team.objects.filter(residential_group__in=groups),
        [
            Team(residential_group=group, founded_on=datetime.date(2010, 3, 1 + index % 28))
            for index, group in enumerate(groups)
        ],
        ["residential_group_id"],
    )
    teams = {
        team.residential_group_id: team
        for team in Team.objects.filter(residential_group__in=groups)
    }
    members, people, activities, feedback = [], [], [], []
    for index, group in enumerate(groups):
        team = teams[group.pk]
        rng = random.Random(f"team-{group.ward.code}-{group.code}")
        for seat, (organisation, role, party) in enumerate(TEAM_SEATS):
            number = index * len(TEAM_SEATS) + seat
            female = organisation == Member.Organisation.WOMEN or rng.random() < 0.3
            members.append(
                Member(
                    team=team,
                    full_name=fictitious_name(number, female=female),
                    gender=Member.Gender.FEMALE if female else Member.Gender.MALE,
                    birth_year=rng.randrange(1990, 2000)
                    if organisation == Member.Organisation.YOUTH
                    else rng.randrange(1945, 1975),
                    phone=fictitious_phone(number),
                    is_party_member=party,
                    organisation=organisation,
                    role=role,
                    joined_on=datetime.date(2010 + rng.randrange(10), 1 + rng.randrange(12), 1),
                )
            )
        for seat in range(2):
            number = 5000 + index * 2 + seat
            people.append(
                PrestigiousPerson(
                    residential_group=group,
                    full_name=fictitious_name(number, female=seat == 1),
                    standing=PRESTIGIOUS_STANDINGS[(index + seat) % len(PRESTIGIOUS_STANDINGS)],
                    phone=fictitious_phone(number),
                )
            )
        for first in months_before(today, 12):
            activities += monthly_activities(team, group, first, today)
            feedback += monthly_feedback(team, group, first, today)
    team_ids = [team.pk for team in teams.values()]
    create_missing(Member.objects.filter(team__in=team_ids), members, ["team_id", "full_name"])
    create_missing(
        PrestigiousPerson.objects.filter(residential_group__in=groups),
        people,
        ["residential_group_id", "full_name"],
    )
    create_missing(
        Activity.objects.filter(team__in=team_ids), activities, ["team_id", "date", "title"]
    )
    create_missing(
        CitizenFeedback.objects.filter(team__in=team_ids),
        feedback,
        ["team_id", "received_on", "summary"],
    )
    load_demo_exemplary_models(groups, teams, today=today)
    load_demo_trainings(district, today=today)


def monthly_activities(team, group, first, today):
    rng = random.Random(f"activities-{group.ward.code}-{group.code}-{first:%Y-%m}")
    activities = []
    for _ in range(rng.randrange(1, 4)):
        field = rng.choice(list(ACTIVITY_TITLES))
        date = first.replace(day=rng.randrange(1, 29))
        if date > today:
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


def monthly_feedback(team, group, first, today):
    rng = random.Random(f"feedback-{group.ward.code}-{group.code}-{first:%Y-%m}")
    if rng.random() < 0.5:
        return []
    received = first.replace(day=rng.randrange(1, 29))
    if received > today:
        return []
    field = rng.choice(list(FEEDBACK_SUMMARIES))
    age = (today - received).days
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
    return [
        CitizenFeedback(
            team=team,
            received_on=received,
            field=field,
            summary=FEEDBACK_SUMMARIES[field],
            status=status,
            forwarded_to="" if status == CitizenFeedback.Status.NEW else rng.choice(FORWARDED_TO),
            resolved_on=resolved_on,
        )
    ]


def load_demo_exemplary_models(groups, teams, *, today):
    """One “Dân vận khéo” model a year for the first group of each ward, these two years."""
    first_group_of_ward = {}
    for group in groups:
        first_group_of_ward.setdefault(group.ward_id, group)
    levels = list(ExemplaryModel.Level)
    models = []
    for index, group in enumerate(first_group_of_ward.values()):
        for year in (today.year - 1, today.year):
            field = list(EXEMPLARY_TOPICS)[(index + year) % len(EXEMPLARY_TOPICS)]
            models.append(
                ExemplaryModel(
                    ward=group.ward,
                    team=teams[group.pk],
                    name=f"“Dân vận khéo” trong {EXEMPLARY_TOPICS[field]} ở {group.name}",
                    field=field,
                    year=year,
                    recognition_level=levels[(index + year) % len(levels)],
                    reward="Giấy khen" if (index + year) % 2 else "",
                )
            )
    wards = {group.ward_id for group in groups}
    create_missing(
        ExemplaryModel.objects.filter(ward__in=wards), models, ["ward_id", "name", "year"]
    )


def load_demo_trainings(district, *, today):
    """A district training for every team leader and deputy, each March of these two years."""
    for year in (today.year - 1, today.year):
        date = datetime.date(year, 3, 15)
        if date > today:
            continue
        training, created = Training.objects.get_or_create(
            district=district,
            title=f"Tập huấn nghiệp vụ công tác dân vận cho tổ trưởng, tổ phó năm {year}",
            defaults={"date": date, "organiser_level": Training.Level.DISTRICT},
        )
        if created:
            training.attendees.set(
                Member.objects.filter(
                    Q(role=Member.Role.LEADER) | Q(role=Member.Role.DEPUTY),
                    **{f"{Member.ward_path}__district": district},
                )
            )
