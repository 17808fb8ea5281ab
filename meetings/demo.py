"""The seed seminar exactly as the 2019 article reports it (shared/seed/), with demo progress.

Facts from the article: the title, organiser, the two clusters (dates, venues, 7 wards each),
the three leaders with their titles and roles, 18 contributions (10 and 8) on the fields the
article names, the 3 directing points and the 6 conclusion tasks, word for word. The speakers,
the split of wards between clusters, the documents' numbers and recipients and the progress
reports are fictitious.
"""

import datetime
import random

from django.utils import timezone

from core.demo import create_missing, fictitious_name
from core.work_fields import WorkField as F
from registry.models import DocumentKind
from registry.services import document_issue
from wards.demo import LONG_BIEN_WARDS
from wards.models import District, Ward

from .models import (
    Attendee,
    Contribution,
    Directive,
    DirectivePoint,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
    TaskAssignment,
)

TITLE = "Nâng cao chất lượng hoạt động của tổ dân vận ở tổ dân phố"

SESSIONS = [
    (1, datetime.date(2019, 7, 31), "Hội trường UBND phường Thượng Thanh"),
    (2, datetime.date(2019, 8, 2), "Hội trường UBND phường Thạch Bàn"),
]

LEADERS = [
    (
        "Nguyễn Quốc Long",
        "Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Quận ủy",
        "Quận ủy Long Biên",
        Attendee.Role.CHAIR,
    ),
    (
        "Nguyễn Huy Thắng",
        "Phó Bí thư thường trực Quận ủy",
        "Quận ủy Long Biên",
        Attendee.Role.DIRECTING,
    ),
    (
        "Đào Ngọc Triệu",
        "Phó trưởng Ban thường trực Ban Dân vận Thành ủy",
        "Thành ủy Hà Nội",
        Attendee.Role.GUEST,
    ),
]

INTRODUCTORY_REPORT = (
    "Báo cáo đề dẫn do đồng chí Nguyễn Quốc Long, Ủy viên Ban Thường vụ, Trưởng Ban Dân vận "
    "Quận ủy trình bày, tóm tắt những thành tích đạt được của tổ dân vận trong thời gian qua, "
    "nêu một số hạn chế cần khắc phục và định hướng những vấn đề cần đi sâu trong tọa đàm."
)

DISCUSSION_SUMMARY = (
    "Hầu hết các ý kiến đều thống nhất với những vấn đề nêu ra trong báo cáo đề dẫn, nhấn mạnh "
    "các kinh nghiệm thực hiện công tác dân vận của khối vận phường, tổ dân vận ở tổ dân phố trên "
    "một số lĩnh vực trọng tâm; đồng thời đưa ra nhiều giải pháp, kiến nghị nhằm nâng cao hơn nữa "
    "chất lượng hoạt động của các tổ dân vận ở tổ dân phố."
)

RECIPIENTS = "\n".join(
    [
        "Ban Dân vận Thành ủy (để báo cáo)",
        "Thường trực Quận ủy (để báo cáo)",
        "Đảng ủy, khối dân vận 14 phường (để thực hiện)",
        "Lưu Ban Dân vận Quận ủy",
    ]
)

BLOC_HEAD = "Trưởng khối dân vận phường"
TEAM_LEADER = "Tổ trưởng tổ dân vận"

# (cluster, speaker's ward or None, unit when not a ward, position, fields, summary)
CONTRIBUTIONS = [
    (1, "Thượng Thanh", "", BLOC_HEAD, [F.DEMOCRACY_SITE_CLEARANCE],
     "Kinh nghiệm thực hiện QCDC trong giải phóng mặt bằng các dự án trên địa bàn phường."),
    (1, "Ngọc Thụy", "", TEAM_LEADER, [F.NO_LIVESTOCK],
     "Vận động các hộ chấm dứt chăn nuôi gia súc trong khu dân cư."),
    (1, "Giang Biên", "", BLOC_HEAD, [F.DEMOCRACY_SITE_CLEARANCE],
     "Công khai, đối thoại với nhân dân trong bồi thường, hỗ trợ GPMB."),
    (1, "Đức Giang", "", TEAM_LEADER, [F.URBAN_ORDER],
     "Vai trò tổ dân vận trong giữ gìn trật tự đô thị, vỉa hè, lòng đường."),
    (1, "Việt Hưng", "", BLOC_HEAD, [F.CONSTRUCTION_ORDER, F.URBAN_ORDER],
     "Phối hợp quản lý trật tự xây dựng, trật tự đô thị ở khu đô thị mới."),
    (1, "Gia Thụy", "", TEAM_LEADER, [F.EPIDEMIC_PREVENTION],
     "Vận động nhân dân phòng chống dịch bệnh, diệt bọ gậy."),
    (1, "Phúc Lợi", "", BLOC_HEAD, [F.NO_LIVESTOCK, F.EPIDEMIC_PREVENTION],
     "Không chăn nuôi gia súc trong khu dân cư để phòng chống dịch tả lợn châu Phi."),
    (1, "Thượng Thanh", "", TEAM_LEADER, [F.TEAM_OPERATIONS],
     "Thực trạng hoạt động của tổ dân vận và kiến nghị về chế độ cho tổ viên."),
    (1, None, "Hội Liên hiệp Phụ nữ quận", "Đại diện lãnh đạo", [F.EPIDEMIC_PREVENTION],
     "Chi hội phụ nữ phối hợp với tổ dân vận vận động vệ sinh phòng dịch."),
    (1, "Ngọc Thụy", "", BLOC_HEAD, [F.TEAM_OPERATIONS],
     "Phân công nhiệm vụ cụ thể cho từng thành viên tổ dân vận."),
    (2, "Thạch Bàn", "", BLOC_HEAD, [F.DEMOCRACY_SITE_CLEARANCE],
     "Thực hiện QCDC trong GPMB dự án đường dẫn cầu."),
    (2, "Cự Khối", "", TEAM_LEADER, [F.DEMOCRACY_SITE_CLEARANCE, F.NO_LIVESTOCK],
     "Vận động hộ dân bàn giao mặt bằng và không chăn nuôi trong khu dân cư."),
    (2, "Bồ Đề", "", BLOC_HEAD, [F.URBAN_ORDER],
     "Giữ gìn trật tự đô thị ở các tuyến phố chính."),
    (2, "Ngọc Lâm", "", TEAM_LEADER, [F.CONSTRUCTION_ORDER],
     "Phát hiện, báo cáo kịp thời công trình xây dựng sai phép."),
    (2, "Long Biên", "", BLOC_HEAD, [F.URBAN_ORDER, F.CONSTRUCTION_ORDER],
     "Kinh nghiệm phối hợp với chính quyền trong quản lý trật tự đô thị, trật tự xây dựng."),
    (2, "Sài Đồng", "", TEAM_LEADER, [F.EPIDEMIC_PREVENTION],
     "Tuyên truyền phòng chống dịch bệnh mùa hè."),
    (2, "Phúc Đồng", "", BLOC_HEAD, [F.TEAM_OPERATIONS],
     "Kiện toàn tổ dân vận và bồi dưỡng kỹ năng cho tổ viên."),
    (2, None, "Ủy ban MTTQ quận", "Đại diện lãnh đạo", [F.TEAM_OPERATIONS],
     "Phối hợp giữa tổ dân vận với Ban công tác Mặt trận ở tổ dân phố."),
]  # fmt: skip

DIRECTIVE_POINTS = [
    "Phải coi công tác dân vận là trách nhiệm lãnh đạo, chỉ đạo của cấp ủy, chính quyền các cấp.",
    "Cần quan tâm đến vai trò, trách nhiệm của khối vận phường, tổ dân vận ở tổ dân phố, các "
    "thành viên của tổ, có sự phân công nhiệm vụ phù hợp tránh chồng chéo.",
    "Cần có sự phối hợp hoạt động đồng bộ giữa tổ dân vận với Ban công tác mặt trận, các chi hội "
    "đoàn thể ở tổ dân phố.",
]

C = DirectiveTask.Category
# (category, text, due date)
TASKS = [
    (
        C.PUBLIC_OPINION,
        "Tiếp tục nắm bắt tình hình tư tưởng, nguyện vọng của người dân trong việc thực hiện chủ "
        "trương, chính sách của Đảng, pháp luật của Nhà nước; vận động nhân dân tham gia tích cực "
        "các phong trào thi đua yêu nước.",
        datetime.date(2020, 6, 30),
    ),
    (
        C.TRAINING,
        "Tiếp tục tập huấn cho đội ngũ cán bộ làm công tác dân vận phường, tổ dân phố.",
        datetime.date(2019, 12, 31),
    ),
    (
        C.PRESTIGIOUS_PEOPLE,
        "Tập trung phát huy vai trò của người đứng đầu, người có uy tín trong cộng đồng dân cư để "
        "thực hiện hiệu quả công tác vận động quần chúng.",
        datetime.date(2020, 6, 30),
    ),
    (
        C.GRASSROOTS_DEMOCRACY,
        "Đẩy mạnh thực hiện QCDC ở cơ sở, đặc biệt là Pháp lệnh 34/2007/PL-UBTVQH11, 6 QCDC do "
        "quận ban hành.",
        datetime.date(2020, 6, 30),
    ),
    (
        C.EXEMPLARY_MODELS,
        "Duy trì việc tổ chức các cuộc tọa đàm nhằm trao đổi kinh nghiệm hoạt động giữa các tổ "
        "dân vận. Khen thưởng kịp thời, nhân rộng các mô hình điển hình trong thực hiện công tác "
        "dân vận, phong trào thi đua Dân vận khéo.",
        datetime.date(2019, 12, 31),
    ),
    (
        C.COORDINATION,
        "Các cấp ủy đảng lãnh đạo thực hiện việc phối hợp hoạt động giữa khối vận các cấp với "
        "khối chính quyền, tổ dân vận với Ban công tác mặt trận, các chi hội đoàn thể ở tổ dân "
        "phố.",
        datetime.date(2020, 6, 30),
    ),
]

NARRATIVES = {
    ProgressReport.Status.NOT_STARTED: "Phường {ward} đang xây dựng kế hoạch, chưa triển khai.",
    ProgressReport.Status.IN_PROGRESS: "Phường {ward} đã triển khai đến các tổ dân phố.",
    ProgressReport.Status.COMPLETED: "Phường {ward} đã hoàn thành, đang sơ kết rút kinh nghiệm.",
}

# Reporting periods after the seminar: the rest of Q3 2019, then Q4 2019.
PERIODS = [
    (datetime.date(2019, 8, 3), datetime.date(2019, 9, 30)),
    (datetime.date(2019, 10, 1), datetime.date(2019, 12, 31)),
]


def load_demo_seminar(district: District):
    """The seed seminar with its clusters, people, contributions, points, tasks and progress."""
    seminar, created = Seminar.objects.get_or_create(
        district=district,
        title=TITLE,
        defaults={
            "theme": "Tọa đàm chuyên đề " + TITLE.lower(),
            "organiser": "Ban Dân vận Quận ủy",
            "status": Seminar.Status.CONCLUDED,
            "introductory_report": INTRODUCTORY_REPORT,
            "discussion_summary": DISCUSSION_SUMMARY,
            "report_number": "45-BC/BDVQU",
            "notice_number": "46-TB/BDVQU",
            "recipients": RECIPIENTS,
        },
    )
    if created:  # its documents' numbers, given on paper in 2019, entered in the register
        for kind, number, document in (
            (DocumentKind.REPORT, 45, "Báo cáo"),
            (DocumentKind.NOTICE, 46, "Thông báo kết luận"),
        ):
            document_issue(
                district=district,
                kind=kind,
                number=number,
                title=f"{document} tọa đàm “{TITLE}”",
                day=SESSIONS[-1][1],
                user=None,
            )
    wards = {ward.name: ward for ward in Ward.objects.filter(district=district)}
    sessions = {}
    for number, date, venue in SESSIONS:
        session, created = SeminarSession.objects.get_or_create(
            seminar=seminar, number=number, defaults={"date": date, "venue": venue}
        )
        if created:
            session.wards.set(
                wards[name] for _, name, cluster in LONG_BIEN_WARDS if cluster == number
            )
        sessions[number] = session

    bloc_heads = {
        name: fictitious_name(9000 + index, female=index % 3 == 0)
        for index, (_, name, _) in enumerate(LONG_BIEN_WARDS)
    }
    attendees = [
        Attendee(
            seminar=seminar, full_name=name, title=title, organisation=org, role=role, order=i
        )
        for i, (name, title, org, role) in enumerate(LEADERS, start=1)
    ]
    attendees += [
        Attendee(
            seminar=seminar,
            session=sessions[cluster],
            full_name=bloc_heads[name],
            title=f"{BLOC_HEAD} {name}",
            organisation=f"Phường {name}",
            role=Attendee.Role.PARTICIPANT,
            order=len(LEADERS) + index,
        )
        for index, (_, name, cluster) in enumerate(LONG_BIEN_WARDS, start=1)
    ]
    create_missing(Attendee.objects.filter(seminar=seminar), attendees, ["full_name", "title"])

    contributions, order = [], {1: 0, 2: 0}
    for index, (cluster, ward, unit, position, fields, summary) in enumerate(CONTRIBUTIONS):
        order[cluster] += 1
        contributions.append(
            Contribution(
                session=sessions[cluster],
                order=order[cluster],
                speaker=bloc_heads[ward]
                if position == BLOC_HEAD
                else fictitious_name(9100 + index, female=index % 2 == 0),
                speaker_title=f"{position} {ward}" if position == BLOC_HEAD else position,
                ward=wards[ward] if ward else None,
                unit=unit,
                fields=[str(field) for field in fields],
                summary=summary,
            )
        )
    create_missing(
        Contribution.objects.filter(session__seminar=seminar),
        contributions,
        ["session_id", "order"],
    )

    director = Attendee.objects.get(seminar=seminar, role=Attendee.Role.DIRECTING)
    create_missing(
        DirectivePoint.objects.filter(seminar=seminar),
        [
            DirectivePoint(
                seminar=seminar, session=sessions[2], speaker=director, number=number, text=text
            )
            for number, text in enumerate(DIRECTIVE_POINTS, start=1)
        ],
        ["number"],
    )
    conclusion, _ = Directive.objects.get_or_create(
        seminar=seminar,
        defaults={
            "district": district,
            "kind": Directive.Kind.CONCLUSION,
            "number": seminar.notice_number,
            "signed_on": SESSIONS[-1][1],
            "issuer": seminar.organiser,
            "title": seminar.title,
        },
    )
    create_missing(
        conclusion.tasks.all(),
        [
            DirectiveTask(directive=conclusion, number=number, category=category, text=text)
            for number, (category, text, _) in enumerate(TASKS, start=1)
        ],
        ["number"],
    )
    tasks = {task.number: task for task in conclusion.tasks.all()}
    create_missing(
        TaskAssignment.objects.filter(task__directive=conclusion),
        [
            TaskAssignment(task=tasks[number], ward=ward, due_on=due_on)
            for number, (_, _, due_on) in enumerate(TASKS, start=1)
            for ward in wards.values()
        ],
        ["task_id", "ward_id"],
    )
    load_demo_progress(seminar)
    return seminar


def load_demo_progress(seminar):
    """Most wards report on most tasks each quarter; some lag behind, some never report."""
    reports = []
    assignments = TaskAssignment.objects.filter(
        task__directive__seminar=seminar, carried_from__isnull=True
    ).select_related("task", "ward")
    for assignment in assignments:
        rng = random.Random(f"progress-{assignment.ward.code}-{assignment.task.number}")
        percent = 0
        for start, end in PERIODS:
            if rng.random() < 0.25:
                continue
            percent = min(100, percent + rng.choice([0, 20, 30, 40, 50, 60]))
            if percent == 100:
                status = ProgressReport.Status.COMPLETED
            elif percent == 0:
                status = ProgressReport.Status.NOT_STARTED
            else:
                status = ProgressReport.Status.IN_PROGRESS
            reports.append(
                ProgressReport(
                    assignment=assignment,
                    period_start=start,
                    period_end=end,
                    status=status,
                    percent=percent,
                    narrative=NARRATIVES[status].format(ward=assignment.ward.name),
                    reported_at=timezone.make_aware(
                        datetime.datetime.combine(
                            end + datetime.timedelta(days=5), datetime.time(16)
                        )
                    ),
                )
            )
    create_missing(
        ProgressReport.objects.filter(assignment__task__directive__seminar=seminar),
        reports,
        ["assignment_id", "period_start", "period_end"],
    )


PLAN_TASKS = [
    (
        DirectiveTask.Category.EXEMPLARY_MODELS,
        "Mỗi phường đăng ký ít nhất một mô hình “Dân vận khéo” trong năm.",
        DirectiveTask.Rhythm.QUARTERLY,
    ),
    (
        DirectiveTask.Category.TRAINING,
        "Kiện toàn và tập huấn tổ trưởng tổ dân vận ở các tổ dân phố mới sau sắp xếp.",
        DirectiveTask.Rhythm.ONCE,
    ),
    (
        DirectiveTask.Category.PUBLIC_OPINION,
        "Nắm tình hình tư tưởng, dư luận của nhân dân và báo cáo hằng tháng.",
        DirectiveTask.Rhythm.MONTHLY,
    ),
]


def load_demo_plan(city: District, *, year: int):
    """A plan of the city for the new wards, its tasks given to all of them."""
    plan, created = Directive.objects.get_or_create(
        district=city,
        kind=Directive.Kind.PLAN,
        title=f"Kế hoạch triển khai phong trào thi đua “Dân vận khéo” năm {year}",
        defaults={
            "number": f"{year - 2020}-KH/BTGDVTU",
            "signed_on": datetime.date(year, 2, 10),
            "issuer": "Ban Thường vụ Thành ủy",
            "text": "Triển khai phong trào thi đua “Dân vận khéo” ở các phường mới.",
        },
    )
    if not created:
        return plan
    tasks = DirectiveTask.objects.bulk_create(
        DirectiveTask(directive=plan, number=number, category=category, text=text, rhythm=rhythm)
        for number, (category, text, rhythm) in enumerate(PLAN_TASKS, start=1)
    )
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task=task, ward=ward, due_on=datetime.date(year, 12, 15))
        for task in tasks
        for ward in Ward.objects.filter(district=city).order_by("name")
    )
    return plan
