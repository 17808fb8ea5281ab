"""End to end, in Chromium: a ward officer on a phone records an activity, finds it by an
accent-free search, and downloads the list."""

import io
import os
import uuid
from pathlib import Path

import openpyxl

OFFICER = "canbo.bode"  # of a ward of today: Thượng Thanh's officer now only reads
PASSWORD = "danvan-demo-2019"
# `make screenshots` sets it to docs/, for the README.
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def sign_in(page, site, username=OFFICER):
    """Sign in, and wait until the landing page has loaded, stylesheet included (layout
    checks measure the page as styled)."""
    page.goto(site + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.click("button[type=submit]")


def test_ward_officer_on_a_phone_records_finds_and_exports_an_activity(phone, site):
    sign_in(phone, site)
    assert phone.url.endswith("/wards/90003/")
    assert phone.locator("h1").inner_text() == "Phường Bồ Đề"

    marker = uuid.uuid4().hex[:6]
    phone.get_by_role("link", name="Ghi hoạt động").first.click()
    phone.select_option("#id_team", label="Tổ dân phố số 2")
    phone.select_option("#id_field", value="environment")
    phone.fill("#id_title", f"Ra quân dọn vệ sinh ngõ Bồ Đề {marker}")
    phone.fill("#id_households_reached", "42")
    phone.fill("#id_participants", "18")
    # Each click loads a page: the checks wait for it (a loaded machine is slow to answer).
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Lưu").click()

    assert "/activities/" in phone.url
    assert "Đã lưu" in phone.locator(".messages").inner_text()

    phone.fill("input[name=q]", f"don ve sinh bo de {marker}")
    with phone.expect_navigation(wait_until="load"):
        phone.get_by_role("button", name="Tìm kiếm").click()
    rows = phone.locator("table.records tbody tr")
    assert rows.count() == 1
    assert f"Ra quân dọn vệ sinh ngõ Bồ Đề {marker}" in rows.first.inner_text()

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Tải về Excel").click()
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    titles = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [f"Ra quân dọn vệ sinh ngõ Bồ Đề {marker}"]
    assert not phone.console_errors


def test_ward_home_fits_a_phone_and_a_desktop(browser, site):
    for width, height, name in [(360, 740, "phone"), (1280, 900, "desktop")]:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, site)

        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.get_by_text("Nhiệm vụ giao cho phường").is_visible()
        if SCREENSHOTS:
            page.screenshot(path=str(Path(SCREENSHOTS) / f"ward-home-{name}.png"), full_page=True)
        context.close()


# What a finger taps on a phone: the header's, the ward's and the period's links, the list
# actions, every button and select of the page (links inside running text are exempt).
TAPPED = (
    ".site-header a, .site-header button, .ward-nav a, .period-nav a, .list-actions a, "
    ".pagination a, main button, main select, main summary, .languages button"
)


def too_small(page, selector, least):
    """The visible elements of `selector` narrower or shorter than `least` px, named."""
    return page.evaluate(
        """([selector, least]) => [...document.querySelectorAll(selector)]
            .filter((element) => element.getClientRects().length)
            .map((element) => [element, element.getBoundingClientRect()])
            .filter(([, box]) => box.width < least || box.height < least)
            .map(([element, box]) => `${(element.textContent || element.name).trim()}: `
                + `${Math.round(box.width)}×${Math.round(box.height)}`)""",
        [selector, least],
    )


# Whether every visible box's placeholder fits the box, measured in the box's own font.
PLACEHOLDERS_FIT = """() => [...document.querySelectorAll("input[placeholder]")]
    .filter((input) => input.getClientRects().length)
    .every((input) => {
        const style = getComputedStyle(input);
        const context = document.createElement("canvas").getContext("2d");
        context.font = style.font;
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        return context.measureText(input.placeholder).width <= input.clientWidth - padding;
    })"""


def test_a_phone_header_is_compact_and_every_control_is_finger_sized(phone, site):
    sign_in(phone, site)

    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 60
    assert not phone.get_by_role("link", name="Đổi mật khẩu").is_visible()
    phone.get_by_role("button", name="Menu").click()
    assert phone.get_by_role("link", name="Đổi mật khẩu").is_visible()
    assert too_small(phone, TAPPED, 44) == []

    for path in ("/wards/90003/dashboard/", "/wards/90003/activities/", "/wards/90003/people/"):
        phone.goto(site + path, wait_until="load")
        assert too_small(phone, TAPPED, 44) == [], (path, too_small(phone, TAPPED, 44))
        # A search box's hint is not cut.
        assert phone.evaluate(PLACEHOLDERS_FIT), path
    phone.goto(site + "/wards/90003/activities/add/", wait_until="load")
    assert too_small(phone, "input[type=checkbox]", 24) == []
    assert not phone.console_errors
