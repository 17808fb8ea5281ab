"""The “Dân vận khéo” cycle: a ward registers and proposes, the managing unit evaluates and
recognises at its own level at most — through the page, the admin and an import alike;
evidence files are checked by their content and read only by those who see the ward."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.files import checked_upload
from awards.models import Evaluation, Evidence
from core.imports import importer_for
from core.tables import Table
from teams.models import ExemplaryModel
from tests.factories import DistrictFactory, ExemplaryModelFactory, RoleUserFactory, WardFactory
from tests.shared import pdf_pages
from wards.models import District
from wards.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def ward():
    return WardFactory(district=DistrictFactory(kind=District.Kind.URBAN_DISTRICT))


@pytest.fixture
def model(ward):
    return ExemplaryModelFactory(ward=ward, name="Ngõ phố văn minh", year=2026)


def login(client, role, ward):
    if role == Role.WARD_OFFICER:
        user = RoleUserFactory(role=role, wards=[ward])
    else:
        user = RoleUserFactory(role=role, district=ward.district)
    client.force_login(user)
    return user


def step(client, model, name, **data):
    return client.post(reverse("awards:model_detail", args=[model.pk]), {"step": name, **data})


SCORES = {
    "score_results": "28",
    "score_participation": "22",
    "score_approach": "12",
    "score_spread": "12",
    "score_lasting": "10",
}
DECISION = {
    "decision_number": "125-QĐ/BDVQU",
    "decision_date": "20/11/2026",
    "reward": "Giấy khen",
}


def state(model):
    model.refresh_from_db()
    return model.status, model.proposed_level, model.recognition_level


def test_cycle_ward_proposes_district_evaluates_and_recognises_at_its_level(client, model):
    ward = model.ward
    login(client, Role.WARD_OFFICER, ward)
    step(client, model, "propose", level="district")
    assert state(model) == ("proposed", "district", "")

    login(client, Role.DISTRICT_STAFF, ward)
    step(client, model, "evaluate", comment="Hiệu quả rõ.", recommended="on", **SCORES)
    assert state(model) == ("evaluated", "district", "")
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.total, evaluation.recommended) == ("district", 84, True)
    assert evaluation.scores == {
        "results": 28,
        "participation": 22,
        "approach": 12,
        "spread": 12,
        "lasting": 10,
    }

    response = step(client, model, "recognise", level="district", **DECISION)

    assert response.status_code == 302
    assert state(model) == ("recognised", "district", "district")
    assert (model.decision_number, model.decision_date) == (
        "125-QĐ/BDVQU",
        datetime.date(2026, 11, 20),
    )


def test_evaluation_recommending_below_the_pass_mark_is_refused(client, model):
    login(client, Role.WARD_OFFICER, model.ward)
    step(client, model, "propose", level="district")
    login(client, Role.DISTRICT_STAFF, model.ward)

    response = step(
        client,
        model,
        "evaluate",
        comment="Chưa rõ.",
        recommended="on",
        **{**SCORES, "score_results": "5"},
    )

    assert list(response.context["forms"]["evaluate"].errors) == ["recommended"]
    assert state(model) == ("proposed", "district", "")


def test_recognise_ward_officer_above_the_wards_level_is_a_form_error(client, model):
    login(client, Role.WARD_OFFICER, model.ward)

    response = step(client, model, "recognise", level="city", **DECISION)

    assert response.status_code == 200
    assert list(response.context["forms"]["recognise"].errors) == ["level"]
    assert state(model) == ("registered", "", "")


def test_recognise_ward_officer_at_the_wards_own_level_is_allowed(client, model):
    login(client, Role.WARD_OFFICER, model.ward)

    step(client, model, "recognise", level="ward", **DECISION)

    assert state(model) == ("recognised", "", "ward")


def test_recognise_district_staff_above_their_units_level_is_a_form_error(client, model):
    login(client, Role.WARD_OFFICER, model.ward)
    step(client, model, "propose", level="city")
    login(client, Role.DISTRICT_STAFF, model.ward)
    step(client, model, "evaluate", comment="Tốt.", recommended="on", **SCORES)

    response = step(client, model, "recognise", level="city", **DECISION)

    assert list(response.context["forms"]["recognise"].errors) == ["level"]
    assert state(model) == ("evaluated", "city", "")


def test_evaluate_ward_officer_is_refused_with_403(client, model):
    login(client, Role.WARD_OFFICER, model.ward)
    step(client, model, "propose", level="district")

    response = step(client, model, "evaluate", comment="Tự chấm.", recommended="on", **SCORES)

    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_admin_change_ward_officer_cannot_set_a_recognition(client, model):
    login(client, Role.WARD_OFFICER, model.ward)
    url = reverse("admin:teams_exemplarymodel_change", args=[model.pk])

    client.post(
        url,
        {
            "ward": model.ward.pk,
            "name": model.name,
            "field": model.field,
            "year": "2026",
            "status": "recognised",
            "recognition_level": "city",
            "reward": "Bằng khen của Thành ủy",
        },
    )

    assert state(model) == ("registered", "", "")
    assert model.reward == ""


def import_row(ward, **cells):
    return {
        "Mã phường": ward.code,
        "Tên mô hình": "Ngõ phố văn minh",
        "Lĩnh vực": "Vệ sinh môi trường",
        "Năm": "2026",
        "Trạng thái": "Đã công nhận",
        "Cấp công nhận": "Cấp thành phố",
        "Số quyết định": "12-QĐ/TU",
        "Ngày quyết định": "20/11/2026",
        "Khen thưởng": "Bằng khen",
        **cells,
    }


def run_import(user, row):
    table = Table(list(row), [(2, list(row.values()))])
    return importer_for(ExemplaryModel)(user=user).run(table, commit=True)


def test_import_district_staff_recognising_at_city_level_is_a_row_error(ward):
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=ward.district)

    result = run_import(staff, import_row(ward))

    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (
            2,
            "Cấp công nhận",
            "Công nhận ở cấp thành phố do cấp đó quyết định: bạn chỉ được công nhận tối đa ở "
            "cấp quận.",
        )
    ]
    assert not ExemplaryModel.objects.exists()


def test_import_district_staff_recognising_at_district_level_is_written(ward):
    staff = RoleUserFactory(role=Role.DISTRICT_STAFF, district=ward.district)

    result = run_import(staff, import_row(ward, **{"Cấp công nhận": "Cấp quận"}))

    assert result.errors == []
    assert list(ExemplaryModel.objects.values_list("status", "recognition_level")) == [
        ("recognised", "district")
    ]


def office_file(main_part, *, macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def upload(client, model, name, content):
    return step(client, model, "evidence", file=SimpleUploadedFile(name, content), caption="")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bien-ban.pdf", EXE, "Nội dung tệp “bien-ban.pdf” không phải tệp PDF như tên tệp ghi."),
        ("anh.jpg", PDF, "Nội dung tệp “anh.jpg” không phải tệp JPG như tên tệp ghi."),
        ("chuong-trinh.exe", EXE, "Không nhận loại tệp này."),
        (
            "bao-cao.docx",
            office_file("word/document.xml", macros=True),
            "Nội dung tệp “bao-cao.docx” không phải tệp DOCX như tên tệp ghi.",
        ),
        ("lon.pdf", PDF + b"0" * (2 * 2**20), "Tệp có dung lượng 2.0 MB; tệp minh chứng chỉ"),
    ],
)
def test_evidence_upload_refuses_what_its_content_belies_or_is_too_large(
    client, model, settings, name, content, message
):
    settings.EVIDENCE_MAX_MB = 1
    login(client, Role.WARD_OFFICER, model.ward)

    response = upload(client, model, name, content)

    assert response.status_code == 200
    errors = response.context["forms"]["evidence"].errors["file"]
    assert errors[0].startswith(message)
    assert not Evidence.objects.exists()


def test_checked_upload_refuses_a_name_with_a_folder():
    """Django's parser keeps the last part of a name sent with folders; a name that comes
    another way (a command, a test) is refused whole."""
    for name in ("../../etc/bien-ban.pdf", "..\\bien-ban.pdf", ".htaccess.pdf"):
        upload = SimpleUploadedFile("bien-ban.pdf", PDF)
        upload._name = name
        with pytest.raises(ValidationError) as refusal:
            checked_upload(upload)
        assert refusal.value.code == "path"


def test_evidence_upload_sent_with_folders_in_its_name_is_kept_under_its_last_part(
    client, model, settings
):
    login(client, Role.WARD_OFFICER, model.ward)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="step"\r\n\r\nevidence\r\n'
        b'--B\r\nContent-Disposition: form-data; name="file"; '
        b'filename="../../../etc/passwd.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        + PDF
        + b"\r\n--B--\r\n"
    )

    client.post(
        reverse("awards:model_detail", args=[model.pk]),
        body,
        content_type="multipart/form-data; boundary=B",
    )

    evidence = Evidence.objects.get()
    assert evidence.name == "passwd.pdf"
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT / "evidence" / "2026"))


def test_evidence_upload_keeps_the_file_outside_the_web_root_under_a_random_name(
    client, model, settings
):
    login(client, Role.WARD_OFFICER, model.ward)

    upload(client, model, "Biên bản họp.pdf", PDF)
    docx = office_file("word/document.xml")
    upload(client, model, "bao-cao.docx", docx)

    files = list(Evidence.objects.values_list("name", "kind", "size"))
    assert files == [
        ("Biên bản họp.pdf", "pdf", len(PDF)),
        ("bao-cao.docx", "document", len(docx)),
    ]
    stored = Evidence.objects.first().file
    assert stored.name.startswith("evidence/2026/") and "Bi" not in stored.name
    assert stored.path.startswith(str(settings.MEDIA_ROOT))


def test_evidence_file_is_served_to_the_ward_and_404_to_another_wards_officer(client, model):
    login(client, Role.WARD_OFFICER, model.ward)
    upload(client, model, "bien-ban.pdf", PDF)
    evidence = Evidence.objects.get()
    url = reverse("awards:evidence_file", args=[evidence.pk])

    served = client.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"

    login(client, Role.WARD_OFFICER, WardFactory(district=model.ward.district))
    assert client.get(url).status_code == 404
    assert client.get(reverse("awards:model_detail", args=[model.pk])).status_code == 404


def test_recognised_list_prints_by_level_as_a_pdf_and_a_workbook(client, ward):
    ExemplaryModelFactory(
        ward=ward,
        name="Dòng họ hiếu học",
        year=2026,
        status="recognised",
        recognition_level="district",
        decision_number="12-QĐ/QU",
        decision_date=datetime.date(2026, 10, 1),
    )
    ExemplaryModelFactory(ward=ward, name="Chưa xét", year=2026)
    login(client, Role.DISTRICT_STAFF, ward)

    pdf = client.get(reverse("awards:model_list"), {"year": "2026", "format": "pdf"})
    xlsx = client.get(reverse("awards:model_list"), {"year": "2026", "format": "xlsx"})

    text = " ".join(pdf_pages(pdf))
    assert "DANH SÁCH" in text and "Dòng họ hiếu học" in text and "12-QĐ/QU, 01/10/2026" in text
    assert "Chưa xét" not in text
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith(
        'attachment; filename="mo-hinh-dan-van-kheo-2026'
    )


@pytest.mark.parametrize(
    ("role", "buttons"),
    [
        (Role.WARD_OFFICER, ["Đăng ký mô hình của Phường Một"]),
        (Role.DISTRICT_STAFF, []),
        ("superuser", []),
    ],
)
def test_model_list_offers_to_register_a_model_of_an_officers_own_wards_only(
    client, django_user_model, role, buttons
):
    """Staff and superusers register a ward's model from the ward's pages: a button for each
    ward they manage was 10,000 buttons (1.8 s) for a superuser at national scale."""
    ward = WardFactory(name="Phường Một", district=DistrictFactory())
    WardFactory(name="Phường Hai", district=ward.district)
    if role == "superuser":
        client.force_login(django_user_model.objects.create_superuser("quantri", password="x"))
    else:
        login(client, role, ward)

    page = client.get(reverse("awards:model_list")).text

    assert [
        text
        for text in ("Đăng ký mô hình của Phường Một", "Đăng ký mô hình của Phường Hai")
        if text in page
    ] == buttons
