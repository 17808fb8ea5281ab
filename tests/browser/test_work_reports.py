"""End to end, in Chromium, on the demo's report cycle: the city's staff read where the wards'
reports stand; the officer of Bồ Đề, on a phone, corrects the report returned to them and
sends it again."""

from pathlib import Path

from tests.browser.test_ward_officer_on_a_phone import SCREENSHOTS, sign_in

STAFF = "canbo.thanhpho"


def test_consolidation_page_staff_sees_each_wards_report_and_the_printed_one(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, site, STAFF)
    page.get_by_role("link", name="Báo cáo công tác").first.click()
    page.locator("table.records tbody tr a").first.click()
    page.wait_for_load_state("load")

    counts = " ".join(page.locator(".state-counts").inner_text().split())
    rows = [
        " ".join(row.split())
        for row in page.locator("[aria-labelledby=where] tbody tr").all_inner_texts()
    ]
    assert counts.startswith(
        "1 đã tiếp nhận 1 đã gửi, chờ xem xét 1 bị trả lại để bổ sung 1 chưa gửi 1 quá hạn"
    )
    assert [row.split(" ")[0:2] for row in rows] == [
        ["Bồ", "Đề"],
        ["Long", "Biên"],
        ["Phúc", "Lợi"],
        ["Việt", "Hưng"],
    ]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    link = page.get_by_role("link", name="Bản in báo cáo (PDF)")
    pdf = page.request.get(site + link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    if SCREENSHOTS:
        page.screenshot(
            path=str(Path(SCREENSHOTS) / "work-reports-consolidation-desktop.png"), full_page=True
        )
        (Path(SCREENSHOTS) / "consolidated-report.pdf").write_bytes(pdf.body())
    context.close()


def test_work_report_officer_on_a_phone_corrects_a_figure_with_a_reason_and_sends(phone, site):
    sign_in(phone, site)
    phone.locator(".due summary").click()
    phone.get_by_role("link", name="Báo cáo công tác Tháng").first.click()
    phone.wait_for_load_state("load")
    assert "Đề nghị bổ sung số hộ" in phone.locator("[role=alert]").first.inner_text()

    phone.locator("summary", has_text="Số hộ vận động, theo lĩnh vực").click()
    households = phone.locator("#id_value-households--environment")
    counted = int(households.input_value())
    households.fill(str(counted + 120))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    box = households.bounding_box()
    assert box["height"] >= 44
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Gửi báo cáo").click()
    reason = phone.locator(".figure-row.has-error")
    assert f"Hãy nêu lý do báo cáo {counted + 120} thay cho {counted} đếm được." in (
        reason.inner_text()
    )
    phone.fill("#id_reason-households--environment", "Hai buổi ra quân chưa nhập.")
    if SCREENSHOTS:
        phone.screenshot(path=str(Path(SCREENSHOTS) / "work-report-phone.png"), full_page=True)
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Gửi báo cáo").click()

    assert "Đã gửi báo cáo." in phone.locator(".messages").inner_text()
    assert phone.locator(".status").first.inner_text() == "Đã gửi"
    assert not phone.console_errors
