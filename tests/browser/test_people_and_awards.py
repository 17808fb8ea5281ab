"""End to end, in Chromium, on a phone: the officer of Bồ Đề finds a person recorded twice,
merges the two records after a preview and reads the person's roles; the city's staff read
this year's “Dân vận khéo” models at every step, a model's evidence and evaluation, and
evaluate the model proposed."""

from pathlib import Path

from tests.browser.test_ward_officer_on_a_phone import SCREENSHOTS, sign_in

STAFF = "canbo.thanhpho"


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_officer_on_a_phone_merges_a_person_recorded_twice_and_reads_their_roles(phone, site):
    sign_in(phone, site)
    phone.get_by_role("link", name="Người dân").first.click()
    phone.wait_for_load_state("load")
    phone.get_by_role("link", name="Người bị ghi trùng").click()
    phone.wait_for_load_state("load")
    pair = phone.locator(".items li", has_text="Cùng một người").first
    name = pair.locator("a").first.inner_text()
    fits(phone)

    pair.get_by_role("link", name="Xem trước khi gộp").click()
    phone.wait_for_load_state("load")
    assert "1 vai trò được chuyển sang hồ sơ giữ lại" in phone.locator("main").inner_text()
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Gộp").click()

    text = " ".join(phone.locator("main").inner_text().split())
    assert f"Đã gộp {name} vào {name}: chuyển 1 vai trò." in text
    # (The city's trainings the person attended are the city's: the ward reads its own.)
    for role in ("Tổ trưởng tổ dân vận", "Người có uy tín", "Hồ sơ đã gộp"):
        assert role in text
    fits(phone)
    if SCREENSHOTS:
        phone.screenshot(path=str(Path(SCREENSHOTS) / "person-phone.png"), full_page=True)


def test_staff_on_a_phone_read_the_cycle_and_evaluate_the_model_proposed(phone, site):
    sign_in(phone, site, STAFF)
    phone.get_by_role("button", name="Menu").click()  # the header's links, on a phone
    phone.get_by_role("link", name="Dân vận khéo").first.click()
    phone.wait_for_load_state("load")
    states = phone.locator("table.records tbody td[data-label='Trạng thái']").all_inner_texts()
    assert {state.split(" · ")[0] for state in states} == {
        "Đã đăng ký",
        "Đề nghị công nhận",
        "Đã thẩm định",
        "Đã công nhận",
        "Không công nhận",
    }
    fits(phone)
    if SCREENSHOTS:
        phone.screenshot(path=str(Path(SCREENSHOTS) / "dan-van-kheo-phone.png"), full_page=True)

    phone.locator("table.records tbody tr", has_text="Đã công nhận").get_by_role("link").click()
    phone.wait_for_load_state("load")
    carriers = phone.locator(".items.people li a").all_inner_texts()
    assert len(carriers) == 2  # the ward's team leaders, whose pages list the model
    files = phone.locator(".items.evidence li a").all()
    assert [link.inner_text() for link in files] == [
        "anh-hoat-dong.png",
        "bien-ban-hop-to-dan-pho.pdf",
        "ket-qua-thuc-hien.xlsx",
    ]
    minutes = phone.request.get(site + files[1].get_attribute("href"))
    assert minutes.headers["content-type"] == "application/pdf"
    assert minutes.body().startswith(b"%PDF-")
    assert "89 / 100" in phone.locator("main").inner_text()
    fits(phone)
    if SCREENSHOTS:
        phone.screenshot(
            path=str(Path(SCREENSHOTS) / "dan-van-kheo-model-phone.png"), full_page=True
        )

    phone.go_back()
    phone.locator("table.records tbody tr", has_text="Đề nghị công nhận").get_by_role(
        "link"
    ).click()
    phone.wait_for_load_state("load")
    for field, points in (
        ("results", "25"),
        ("participation", "22"),
        ("approach", "12"),
        ("spread", "12"),
        ("lasting", "10"),
    ):
        phone.fill(f"#id_score_{field}", points)
    phone.fill("#id_comment", "Mô hình thiết thực, nhân dân đồng tình.")
    phone.check("#id_recommended")
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Lưu").first.click()
    assert "81 / 100" in phone.locator("main").inner_text()
    assert "Đã thẩm định" in phone.locator("main").inner_text()
