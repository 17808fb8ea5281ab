"""The demo's “Dân vận khéo” cycle of the current year: a model at each step —
registered, proposed, evaluated, recognised, not recognised — with evaluations and evidence
files (a photo, a PDF minutes, a workbook of results) made here, as real files."""

import datetime
import io
import itertools

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from weasyprint import HTML

from core.work_fields import WorkField
from teams.models import ExemplaryModel, Member

from . import services
from .files import checked_upload

# (name, field, how far the cycle went, the level proposed or recognised at)
CYCLE = [
    ("Tuyến phố văn minh, không rác thải nhựa", WorkField.ENVIRONMENT, "recognised", "city"),
    ("Camera an ninh do nhân dân đóng góp", WorkField.SECURITY, "evaluated", "city"),
    ("Bữa cơm nghĩa tình cho người neo đơn", WorkField.SOCIAL_WELFARE, "proposed", "city"),
    ("Vận động hiến đất mở ngõ", WorkField.DEMOCRACY_SITE_CLEARANCE, "registered", ""),
    ("Sân chơi cộng đồng từ bãi đất trống", WorkField.EMULATION, "not_recognised", "city"),
]
SCORES = {
    "recognised": {
        "results": 28,
        "participation": 23,
        "approach": 13,
        "spread": 13,
        "lasting": 12,
    },
    "evaluated": {"results": 26, "participation": 20, "approach": 12, "spread": 11, "lasting": 10},
    "not_recognised": {
        "results": 15,
        "participation": 14,
        "approach": 9,
        "spread": 8,
        "lasting": 6,
    },
}


def load_demo_award_cycle(wards, *, today, officer, staff):
    """A model of each of `wards` at a step of this year's cycle, taken through the same
    services as the pages: `officer` registers and proposes, `staff` evaluates and
    recognises; a ward gets a second model when there are more steps than wards. A model
    already there is left as it is."""
    year = today.year
    for ward, (name, field, reached, level) in zip(itertools.cycle(wards), CYCLE):
        if ExemplaryModel.objects.filter(ward=ward, name=name, year=year).exists():
            continue
        model = ExemplaryModel.objects.create(
            ward=ward,
            name=name,
            field=field,
            year=year,
            description=f"Mô hình “{name}” của {ward.name}: tổ dân vận vận động nhân dân "
            "cùng bàn, cùng làm, cùng kiểm tra, cùng hưởng thụ.",
            people_involved="Nguyễn Văn A – tổ trưởng tổ dân vận\n"
            "Trần Thị B – chi hội trưởng chi hội Phụ nữ",
        )
        # The ward's team leaders carry it: their pages list it.
        model.people.add(
            *Member.objects.filter(
                **{Member.ward_path: ward},
                role=Member.Role.LEADER,
                left_on__isnull=True,
            ).values_list("person", flat=True)[:2]
        )
        for upload in evidence_files(model):
            facts = checked_upload(upload)
            services.evidence_add(model, upload=upload, facts=facts, caption="", user=officer)
        if reached == "registered":
            continue
        services.propose(model, level=level)
        if reached == "proposed":
            continue
        scores = SCORES[reached]
        services.evaluate(
            model,
            scores=scores,
            comment="Mô hình thiết thực, được nhân dân đồng tình."
            if reached != "not_recognised"
            else "Kết quả chưa rõ, cần duy trì thêm trước khi đề nghị.",
            recommended=reached != "not_recognised",
            user=staff,
        )
        if reached == "recognised":
            services.recognise(
                model,
                level=level,
                decision_number="215-QĐ/TU",
                decision_date=min(datetime.date(year, 11, 20), today),
                reward="Bằng khen của Ban Thường vụ Thành ủy",
                user=staff,
            )


def evidence_files(model):
    """A photo, the minutes of the residents' meeting (PDF) and a workbook of its results."""
    photo = Image.new("RGB", (640, 400), (226, 236, 228))
    drawing = ImageDraw.Draw(photo)
    drawing.rectangle((40, 260, 600, 360), fill=(120, 160, 120))
    drawing.text((40, 40), model.name, fill=(20, 40, 20))
    png = io.BytesIO()
    photo.save(png, format="PNG")
    minutes = HTML(
        string=f"<h1>Biên bản họp tổ dân phố</h1><p>Về mô hình “{model.name}”, "
        f"{model.ward.name}, năm {model.year}.</p><p>Các hộ thống nhất cùng thực hiện.</p>"
    ).write_pdf()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append(["Tháng", "Số hộ tham gia"])
    for month in range(1, 11):
        sheet.append([month, 20 + 3 * month])
    workbook = io.BytesIO()
    book.save(workbook)
    return [
        SimpleUploadedFile("anh-hoat-dong.png", png.getvalue()),
        SimpleUploadedFile("bien-ban-hop-to-dan-pho.pdf", minutes),
        SimpleUploadedFile("ket-qua-thuc-hien.xlsx", workbook.getvalue()),
    ]
