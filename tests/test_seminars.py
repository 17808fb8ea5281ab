"""Seminars in the browser and their printed reports: the page and the PDFs state the seed
seminar's facts counted from its records, the editor saves rows all or nothing and gives the
tasks to the wards, and WeasyPrint reads nothing but the project's own files."""

import datetime
import io
import re
import threading

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from weasyprint.text import ffi

from meetings.demo import DIRECTIVE_POINTS, TASKS, load_demo_seminar
from meetings.models import Contribution, DirectiveTask, Seminar, TaskAssignment
from reports import checks, pdf
from tests.factories import (
    AttendeeFactory,
    ContributionFactory,
    DirectivePointFactory,
    DirectiveTaskFactory,
    ProgressReportFactory,
    RoleUserFactory,
    SeminarFactory,
    SeminarSessionFactory,
    TaskAssignmentFactory,
    WardFactory,
)
from tests.shared import pdf_pages as pdf_text
from wards.demo import load_demo_units
from wards.models import SecurityEvent, Ward
from wards.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed():
    """The seed seminar of the 2019 article, on the 14 wards of Long Biên."""
    return load_demo_seminar(load_demo_units())


@pytest.fixture
def staff(seed):
    return RoleUserFactory(role=Role.DISTRICT_STAFF, district=seed.district)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def squashed(text):
    """`text` without spaces: PDF text breaks lines after hyphens and slashes."""
    return "".join(text.split())


def fonts_of(response):
    """Each font the PDF's pages use: its name and whether its file is embedded."""
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2"))
                fonts[str(font["/BaseFont"]).split("+")[-1]] = embedded
    return fonts


# The report (BÁO CÁO)


def test_seminar_report_district_staff_states_the_articles_facts(staff_client, seed):
    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    pages = pdf_text(response)
    text = " ".join(pages)
    assert text.startswith("QUẬN ỦY LONG BIÊN BAN DÂN VẬN * Số 45-BC/BDVQU")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Long Biên, ngày 02 tháng 8 năm 2019" in text
    assert "BÁO CÁO Kết quả tọa đàm “Nâng cao chất lượng hoạt động của tổ dân vận" in text
    assert "tổng số 18 ý kiến phát biểu, tham luận (10 ý kiến ở cụm 1, 8 ý kiến ở cụm 2)" in text
    assert "cụm 1 ngày 31/07/2019 tại Hội trường UBND phường Thượng Thanh, gồm 7 phường" in text
    assert "cụm 2 ngày 02/08/2019 tại Hội trường UBND phường Thạch Bàn, gồm 7 phường" in text
    assert "nhấn mạnh 3 nội dung" in text
    for point in DIRECTIVE_POINTS:
        assert squashed(point) in squashed(text)
    assert "tập trung thực hiện 6 nhiệm vụ trọng tâm" in text
    for _category, task, _due in TASKS:
        assert squashed(task) in squashed(text)
    assert "T/M BAN DÂN VẬN TRƯỞNG BAN Nguyễn Quốc Long" in text
    assert "Nơi nhận:" in text


def test_seminar_report_prints_recipients_typed_with_their_punctuation_once(staff_client, seed):
    seed.recipients = (
        "- Thường trực Quận ủy (để b/c),\n  Các phường;\n\n• Lưu BDVQU.\nVăn phòng Quận ủy"
    )
    seed.save()

    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    text = " ".join(pdf_text(response))
    assert (
        "Nơi nhận: - Thường trực Quận ủy (để b/c), - Các phường, - Lưu BDVQU, "
        "- Văn phòng Quận ủy." in text
    )


def test_seminar_report_prints_the_speakers_ward_unless_their_title_names_it(staff_client, seed):
    cluster_2 = seed.sessions.get(number=2)
    ward = cluster_2.wards.get(name="Thạch Bàn")
    ContributionFactory(
        session=cluster_2,
        order=9,
        speaker="Ngô Văn Z",
        speaker_title="Chủ tịch UBND",
        ward=ward,
        summary="Ý kiến thêm.",
    )
    ContributionFactory(
        session=cluster_2,
        order=10,
        speaker="Lý Thị Y",
        speaker_title="Bí thư Đảng ủy phường Thạch Bàn",
        ward=ward,
        summary="Ý kiến nữa.",
    )

    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    text = " ".join(pdf_text(response))
    assert "Ngô Văn Z, Chủ tịch UBND, phường Thạch Bàn: Ý kiến thêm." in text
    assert "Lý Thị Y, Bí thư Đảng ủy phường Thạch Bàn: Ý kiến nữa." in text


def test_conclusion_notice_prints_the_tasks_stored_numbers_not_a_count(staff_client, seed):
    # Numbers with a gap, as after a task was deleted: the document follows them.
    DirectiveTask.objects.filter(directive__seminar=seed, number=2).update(number=9)

    response = staff_client.get(reverse("reports:conclusion_notice_pdf", args=[seed.pk]))

    numbers = re.findall(r"(?:^| )(\d)\. ", " ".join(pdf_text(response)))
    assert numbers[-6:] == ["1", "3", "4", "5", "6", "9"]


def test_seminar_report_one_more_contribution_in_cluster_2_says_19_and_9(staff_client, seed):
    cluster_2 = seed.sessions.get(number=2)
    ContributionFactory(session=cluster_2, order=9, speaker="Ngô Văn Z", summary="Ý kiến thêm.")

    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    text = " ".join(pdf_text(response))
    assert "tổng số 19 ý kiến phát biểu, tham luận (10 ý kiến ở cụm 1, 9 ý kiến ở cụm 2)" in text


def test_seminar_report_embeds_its_serif_font_page_numbers_included(staff_client, seed):
    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    fonts = fonts_of(response)
    faces = {f"Danvan-Serif{face}" for face in ("", "-Bold", "-Italic", "-Bold-Italic")}
    assert "Danvan-Serif" in fonts and set(fonts) <= faces, fonts
    assert all(fonts.values())  # every font's file is in the PDF
    pages = pdf_text(response)
    assert len(pages) >= 2
    # Numbered from page 2 (the number's box is laid out, so extracted, last).
    assert [page.rsplit(" ", 1)[-1] for page in pages[1:]] == [
        str(number) for number in range(2, len(pages) + 1)
    ]
    assert not pages[0].endswith(" 1")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)


def test_documents_printed_one_after_another_are_set_in_the_stylesheet_parsed_once(
    staff_client, seed
):
    pdf.warm_up()  # as the web server does at start-up
    parsed = pdf.document_style()

    notice = staff_client.get(reverse("reports:conclusion_notice_pdf", args=[seed.pk]))
    report = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    assert pdf.document_style() is parsed
    assert "Danvan-Serif" in fonts_of(notice) and "Danvan-Serif" in fonts_of(report)
    assert all(fonts_of(notice).values()) and all(fonts_of(report).values())


@pytest.mark.parametrize(("subsetter", "warnings"), [(object(), []), (None, ["reports.W001"])])
def test_deploy_check_warns_when_fonts_would_be_subset_by_fonttools(
    monkeypatch, subsetter, warnings
):
    monkeypatch.setattr(ffi, "harfbuzz_subset", subsetter)

    assert [warning.id for warning in checks.font_subsetter(None)] == warnings


def test_seminar_report_is_logged_as_an_export(staff_client, seed, staff):
    staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.EXPORT)
    assert (event.user, event.detail) == (staff, f"bao-cao-toa-dam-{seed.pk}")


# The conclusion notice and the progress report


def test_conclusion_notice_district_staff_lists_the_six_tasks_with_due_dates(staff_client, seed):
    response = staff_client.get(reverse("reports:conclusion_notice_pdf", args=[seed.pk]))

    text = " ".join(pdf_text(response))
    assert "Số 46-TB/BDVQU" in text
    assert "THÔNG BÁO KẾT LUẬN tại tọa đàm" in text
    assert "18 ý kiến phát biểu, tham luận" in text
    assert "với sự tham gia của 14 phường" in text
    assert "tập trung thực hiện 6 nhiệm vụ trọng tâm" in text
    for _category, task, due in TASKS:
        assert squashed(f"{task} (hạn {due:%d/%m/%Y})") in squashed(text)


def test_progress_report_district_staff_has_the_chart_and_every_ward(staff_client, seed):
    response = staff_client.get(
        reverse("reports:progress_report_pdf", args=[seed.pk]), {"period": "2019-Q4"}
    )

    text = " ".join(pdf_text(response))
    assert "ở tổ dân phố”, quý IV/2019 -----" in text  # the period, mid-sentence
    assert "Tiến độ thực hiện các nhiệm vụ ở các phường, tính đến 31/12/2019" in text  # chart
    assert "6 nhiệm vụ đã được giao 84 lượt cho các phường" in text
    for ward in Ward.objects.filter(district=seed.district):
        assert ward.name in text


def test_progress_report_prints_its_chart_in_the_documents_serif(staff_client, seed):
    response = staff_client.get(
        reverse("reports:progress_report_pdf", args=[seed.pk]), {"period": "2019-Q4"}
    )

    fonts = fonts_of(response)
    assert set(fonts) == {
        "Danvan-Serif",
        "Danvan-Serif-Bold",
        "Danvan-Serif-Italic",
        "Danvan-Serif-Bold-Italic",
    }, fonts


def test_progress_report_ward_officer_shows_only_their_ward(client, seed):
    ward = Ward.objects.get(name="Thượng Thanh")
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER, wards=[ward]))

    response = client.get(
        reverse("reports:progress_report_pdf", args=[seed.pk]), {"period": "2019-Q4"}
    )

    text = " ".join(pdf_text(response))
    # The ward's own document: its committee's heading, number and signature.
    assert text.startswith(
        "ĐẢNG BỘ QUẬN LONG BIÊN ĐẢNG ỦY PHƯỜNG THƯỢNG THANH * Số …/BC-ĐU ĐẢNG CỘNG SẢN VIỆT NAM "
        "Thượng Thanh, ngày "
    )
    assert (
        "tại tọa đàm “Nâng cao chất lượng hoạt động của tổ dân vận ở tổ dân phố”, quý IV/2019"
        in text
    )
    assert "T/M ĐẢNG ỦY PHƯỜNG THƯỢNG THANH BÍ THƯ" in text
    assert "BAN DÂN VẬN" not in text
    assert "6 nhiệm vụ đã được giao 6 lượt" in text
    assert "Thượng Thanh" in text
    assert "Thạch Bàn 0%" not in text and "Bồ Đề" not in text


# Safe rendering


@pytest.mark.parametrize(
    "summary",
    [
        '<img src="file:///etc/passwd">',
        '<img src="http://127.0.0.1:9/theo-doi.png"> <link rel="stylesheet" href="http://x.vn/a.css">',
        "<style>@import url(file:///etc/hostname);</style>",
    ],
)
def test_seminar_report_user_text_with_markup_is_printed_as_text_and_nothing_is_fetched(
    staff_client, seed, monkeypatch, summary
):
    ContributionFactory(session=seed.sessions.get(number=1), order=11, summary=summary)
    fetched = []
    fetch = pdf.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesFetcher, "fetch", spy)
    monkeypatch.setattr(pdf, "_parsed", threading.local())  # the stylesheet read again

    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    assert " ".join(summary.split()) in " ".join(pdf_text(response))
    static = pdf.static_roots()[0].resolve().as_uri()
    assert fetched and all(url.startswith(static + "/") for url in fetched), fetched


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "data:text/css,body{}",
        "STATIC/../manage.py",
        "STATIC/fonts/liberation-serif/",
    ],
)
def test_static_files_fetcher_refuses_anything_but_a_static_file(url):
    root = pdf.static_roots()[0].resolve()
    fetcher = pdf.StaticFilesFetcher([root])

    with pytest.raises(ValueError):
        fetcher.fetch(url.replace("STATIC", root.as_uri()))


def test_static_files_fetcher_reads_a_font():
    root = pdf.static_roots()[0].resolve()
    url = (root / "fonts/liberation-serif/LiberationSerif-Regular.ttf").as_uri()

    response = pdf.StaticFilesFetcher([root]).fetch(url)

    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
    response.close()


def test_seminar_report_too_large_is_refused_with_a_message(staff_client, seed, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_HTML_CHARACTERS", 1000)

    response = staff_client.get(reverse("reports:seminar_report_pdf", args=[seed.pk]))

    assert response.status_code == 413
    assert "Văn bản quá lớn để in" in response.text
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT).exists()


# The seminar's page


def test_seminar_detail_district_staff_reads_like_the_article(staff_client, seed):
    response = staff_client.get(reverse("meetings:seminar_detail", args=[seed.pk]))

    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "tổng số 18 ý kiến phát biểu, tham luận (10 ý kiến ở cụm 1, 8 ý kiến ở cụm 2)" in text
    assert "nhấn mạnh 3 nội dung" in text
    assert "tập trung thực hiện 6 nhiệm vụ trọng tâm" in text
    assert "Thực hiện QCDC trong giải phóng mặt bằng (4)" in text
    progress = response.context["progress"]
    assert [item.ward_count for item in progress] == [14] * 6


def test_seminar_detail_queries_do_not_grow_with_the_seminar(client):
    district = WardFactory().district
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=district))
    seminar = SeminarFactory(district=district)

    def grow(n):
        session = SeminarSessionFactory(seminar=seminar)
        ward = WardFactory(district=district)
        session.wards.add(ward)
        task = DirectiveTaskFactory(seminar=seminar)
        for _ in range(n):
            ContributionFactory(session=session, ward=ward)
        ProgressReportFactory(assignment=TaskAssignmentFactory(task=task, ward=ward))

    url = reverse("meetings:seminar_detail", args=[seminar.pk])
    grow(1)
    client.get(url)  # the session's first request writes it
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        grow(5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert len(large) == len(small)
    assert response.context["facts"].contribution_count == 21


def test_seminar_list_ward_officer_sees_the_seminars_of_their_ward_only(client, seed):
    other = SeminarFactory(title="Tọa đàm của quận khác")
    client.force_login(
        RoleUserFactory(role=Role.WARD_OFFICER, wards=[Ward.objects.get(name="Bồ Đề")])
    )

    response = client.get(reverse("meetings:seminar_list"))

    assert list(response.context["page_obj"]) == [seed]
    assert client.get(reverse("meetings:seminar_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("meetings:seminar_edit", args=[seed.pk])).status_code == 403


# The editor


def formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def new_seminar(staff_client, staff):
    response = staff_client.post(
        reverse("meetings:seminar_add"),
        {
            "title": "Phát huy vai trò người có uy tín",
            "organiser": "Ban Dân vận Quận ủy",
            "status": "planned",
            "signer_position": "Trưởng ban",
        },
    )
    seminar = Seminar.objects.get(title="Phát huy vai trò người có uy tín")
    assert response.url == reverse("meetings:seminar_detail", args=[seminar.pk])
    assert seminar.district == staff.district
    return seminar


def test_seminar_editor_staff_records_clusters_contributions_and_tasks_for_every_ward(
    staff_client, new_seminar
):
    seminar = new_seminar
    wards = list(Ward.objects.filter(district=seminar.district).order_by("name")[:3])
    sessions = formset_data(
        "sessions",
        [
            {"number": "1", "date": "05/03/2026", "venue": "Hội trường A", "wards": [wards[0].pk]},
            {"number": "2", "date": "06/03/2026", "venue": "Hội trường B", "wards": [wards[1].pk]},
        ],
    )
    assert (
        staff_client.post(
            reverse("meetings:seminar_sessions", args=[seminar.pk]), sessions
        ).status_code
        == 302
    )
    cluster_1, cluster_2 = seminar.sessions.order_by("number")
    # Quick entry: three speakers in a row, without places; one empty row.
    contributions = formset_data(
        "contributions",
        [
            {"session": cluster_1.pk, "speaker": "Lê Thị A", "fields": ["environment"]},
            {"session": cluster_1.pk, "speaker": "Trần Văn B", "ward": wards[0].pk},
            {"session": cluster_2.pk, "speaker": "Phạm Văn C", "summary": "Ý kiến."},
            {},
        ],
    )
    assert (
        staff_client.post(
            reverse("meetings:seminar_contributions", args=[seminar.pk]), contributions
        ).status_code
        == 302
    )
    tasks = formset_data(
        "tasks",
        [
            {"number": "1", "category": "training", "text": "Tập huấn.", "due_on": "30/06/2026"},
            {"number": "2", "category": "other", "text": "Sơ kết.", "due_on": ""},
        ],
    )
    assert (
        staff_client.post(reverse("meetings:seminar_tasks", args=[seminar.pk]), tasks).status_code
        == 302
    )

    assert list(
        Contribution.objects.filter(session__seminar=seminar)
        .order_by("session__number", "order")
        .values_list("session__number", "order", "speaker")
    ) == [(1, 1, "Lê Thị A"), (1, 2, "Trần Văn B"), (2, 1, "Phạm Văn C")]
    assignments = TaskAssignment.objects.filter(task__directive__seminar=seminar)
    assert set(assignments.values_list("task__number", "ward", "due_on")) == {
        (1, wards[0].pk, datetime.date(2026, 6, 30)),
        (1, wards[1].pk, datetime.date(2026, 6, 30)),
        (2, wards[0].pk, None),
        (2, wards[1].pk, None),
    }

    # A third ward joins cluster 2: it is given both tasks, task 1 with its due date.
    sessions = formset_data(
        "sessions",
        [
            {
                "id": cluster_1.pk,
                "number": "1",
                "date": "05/03/2026",
                "venue": "Hội trường A",
                "wards": [wards[0].pk],
            },
            {
                "id": cluster_2.pk,
                "number": "2",
                "date": "06/03/2026",
                "venue": "Hội trường B",
                "wards": [wards[1].pk, wards[2].pk],
            },
        ],
        initial=2,
    )
    staff_client.post(reverse("meetings:seminar_sessions", args=[seminar.pk]), sessions)
    assert set(assignments.filter(ward=wards[2]).values_list("task__number", "due_on")) == {
        (1, datetime.date(2026, 6, 30)),
        (2, None),
    }


def test_seminar_editor_two_tasks_with_one_number_are_refused_and_nothing_is_saved(
    staff_client, new_seminar
):
    tasks = formset_data(
        "tasks",
        [
            {"number": "1", "category": "training", "text": "Tập huấn."},
            {"number": "1", "category": "other", "text": "Sơ kết."},
        ],
    )

    response = staff_client.post(
        reverse("meetings:seminar_tasks", args=[new_seminar.pk]), tasks, follow=True
    )

    assert response.status_code == 200
    assert "trùng số thứ tự" in response.text
    assert not DirectiveTask.objects.filter(directive__seminar=new_seminar).exists()


def test_seminar_editor_task_with_progress_reports_is_not_deleted(staff_client, seed):
    task = seed.conclusion.tasks.get(number=1)
    rows = [
        {"id": t.pk, "number": t.number, "category": t.category, "text": t.text}
        for t in seed.conclusion.tasks.order_by("number")
    ]
    rows[0]["DELETE"] = "on"

    response = staff_client.post(
        reverse("meetings:seminar_tasks", args=[seed.pk]),
        formset_data("tasks", rows, initial=len(rows)),
        follow=True,
    )

    assert "đã có báo cáo tiến độ, không thể xóa" in response.text
    assert DirectiveTask.objects.filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.VIEWER, 403), (Role.WARD_OFFICER, 403), (Role.DISTRICT_STAFF, 404)]
)
def test_seminar_editor_others_are_refused_and_nothing_changes(client, seed, role, status):
    """A viewer and a ward officer of the seminar's district may read it, not change it;
    district staff of another district do not see it at all."""
    ward = Ward.objects.get(name="Bồ Đề")
    user = {
        Role.VIEWER: lambda: RoleUserFactory(role=role, district=seed.district),
        Role.WARD_OFFICER: lambda: RoleUserFactory(role=role, wards=[ward]),
        Role.DISTRICT_STAFF: lambda: RoleUserFactory(role=role, district=WardFactory().district),
    }[role]()
    client.force_login(user)
    before = list(Contribution.objects.values_list("pk", "speaker", "order"))
    contributions = formset_data(
        "contributions", [{"session": seed.sessions.first().pk, "speaker": "Kẻ lạ"}]
    )

    rows = client.post(reverse("meetings:seminar_contributions", args=[seed.pk]), contributions)
    edit = client.post(
        reverse("meetings:seminar_edit", args=[seed.pk]),
        {"title": "Đổi tên", "organiser": "X", "status": "held", "signer_position": "X"},
    )

    assert (rows.status_code, edit.status_code) == (status, status)
    assert list(Contribution.objects.values_list("pk", "speaker", "order")) == before
    assert Seminar.objects.get(pk=seed.pk).title == seed.title


# What the review of the editor found


def test_seminar_editor_other_districts_staff_who_see_it_through_a_ward_cannot_change_it(
    client, seed
):
    """A seminar of Long Biên that a ward of another district attended: that district's
    staff read it, and may not change it."""
    guest_ward = WardFactory()
    seed.sessions.get(number=1).wards.add(guest_ward)
    client.force_login(RoleUserFactory(role=Role.DISTRICT_STAFF, district=guest_ward.district))

    page = client.get(reverse("meetings:seminar_detail", args=[seed.pk]))
    edit = client.post(
        reverse("meetings:seminar_edit", args=[seed.pk]),
        {"title": "Đổi tên", "organiser": "X", "status": "held", "signer_position": "X"},
    )
    rows = client.get(reverse("meetings:seminar_sessions", args=[seed.pk]))

    assert (page.status_code, edit.status_code, rows.status_code) == (200, 403, 403)
    assert reverse("meetings:seminar_edit", args=[seed.pk]) not in page.text  # no dead link
    assert Seminar.objects.get(pk=seed.pk).title == seed.title


def test_seminar_editor_refuses_a_ward_ticked_in_two_clusters_beside_the_second(
    staff_client, new_seminar
):
    seminar = new_seminar
    ward, other = Ward.objects.filter(district=seminar.district).order_by("code")[:2]
    sessions = formset_data(
        "sessions",
        [
            {"number": "1", "date": "05/03/2026", "venue": "Hội trường A", "wards": [ward.pk]},
            {
                "number": "2",
                "date": "06/03/2026",
                "venue": "Hội trường B",
                "wards": [other.pk, ward.pk],
            },
        ],
    )

    response = staff_client.post(reverse("meetings:seminar_sessions", args=[seminar.pk]), sessions)

    assert response.status_code == 200
    assert [form.errors for form in response.context["formset"].forms[:2]] == [
        {},
        {"wards": [f"{ward} đã thuộc cụm 1."]},
    ]
    assert not seminar.sessions.exists()


def test_seminar_editor_deleting_a_cluster_keeps_its_attendees_and_takes_back_its_tasks(
    staff_client, seed
):
    cluster_2 = seed.sessions.get(number=2)
    chair = seed.attendees.get(role="chair")
    chair.session = cluster_2
    chair.save()
    ward = cluster_2.wards.order_by("name").first()
    unreported = TaskAssignment.objects.filter(ward=ward, progress_reports__isnull=True)
    reported = set(
        TaskAssignment.objects.filter(ward=ward, progress_reports__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    assert unreported.exists() and reported
    rows = [
        {
            "id": s.pk,
            "number": s.number,
            "date": f"{s.date:%d/%m/%Y}",
            "venue": s.venue,
            "wards": list(s.wards.values_list("pk", flat=True)),
        }
        for s in seed.sessions.order_by("number")
    ]
    rows[1]["DELETE"] = "on"

    response = staff_client.post(
        reverse("meetings:seminar_sessions", args=[seed.pk]),
        formset_data("sessions", rows, initial=2),
    )

    assert response.status_code == 302
    chair.refresh_from_db()
    assert chair.session is None
    # The ward's tasks without reports are taken back; those it reported on stay.
    assert set(TaskAssignment.objects.filter(ward=ward).values_list("pk", flat=True)) == reported


def test_seminar_editor_rows_without_a_place_come_after_those_typed(staff_client, seed):
    cluster_2 = seed.sessions.get(number=2)  # places 1 to 8 are taken
    rows = formset_data(
        "contributions",
        [
            {"session": cluster_2.pk, "speaker": "Không ghi số"},
            {"session": cluster_2.pk, "speaker": "Ghi số 9", "order": "9"},
        ],
    )

    response = staff_client.post(reverse("meetings:seminar_contributions", args=[seed.pk]), rows)

    assert response.status_code == 302
    assert list(
        cluster_2.contributions.filter(order__gt=8)
        .order_by("order")
        .values_list("order", "speaker")
    ) == [(9, "Ghi số 9"), (10, "Không ghi số")]


@pytest.mark.parametrize("part", ["sessions", "attendees", "contributions", "points", "tasks"])
def test_seminar_editor_queries_do_not_grow_with_the_rows(staff_client, seed, part):
    url = reverse(f"meetings:seminar_{part}", args=[seed.pk])
    staff_client.get(url)  # the session's first request writes it
    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    session = seed.sessions.get(number=1)
    session.wards.add(WardFactory(district=seed.district))
    for number in range(20, 26):
        ContributionFactory(session=session, order=number)
        DirectiveTaskFactory(seminar=seed, number=number)
        DirectivePointFactory(seminar=seed, number=number)
        AttendeeFactory(seminar=seed, session=session)
    SeminarSessionFactory(seminar=seed, number=3)

    with CaptureQueriesContext(connection) as after:
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(after) == len(before), [q["sql"][:90] for q in after.captured_queries]


@pytest.mark.parametrize(
    "query",
    [
        {"period": "0000"},
        {"period": "9999"},
        {"from": "0001-01-01", "to": "0001-01-02"},
        {"date_from": "01/12/9999", "date_to": "31/12/9999"},
    ],
)
def test_overview_extreme_periods_are_explained_not_500(staff_client, seed, query):
    response = staff_client.get(reverse("reports:overview"), query)

    assert response.status_code == 200
    assert response.context["period_form"].errors
    assert (
        staff_client.get(reverse("reports:overview"), {**query, "format": "xlsx"}).status_code
        == 200
    )


def test_home_ward_officer_without_a_ward_is_told_so(client):
    client.force_login(RoleUserFactory(role=Role.WARD_OFFICER))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Tài khoản của bạn chưa được gắn với phường nào" in response.text
