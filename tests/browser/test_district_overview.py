"""In Chromium: the city's staff open the overview of the demo data, charts drawn without
JavaScript: its latest directive is this year's plan of three tasks for the four new wards;
they also carry the seed seminar's six tasks, and 2019 shows the seminar's 14 wards, as they
were."""

from pathlib import Path

from tests.browser.test_ward_officer_on_a_phone import SCREENSHOTS, sign_in

STAFF = "canbo.thanhpho"
# Whether every chart is drawn within the width of its box.
CHARTS_FIT = """() => [...document.querySelectorAll("svg.chart")].every(
    (svg) => svg.getBoundingClientRect().width <= svg.parentElement.clientWidth
)"""
SEED = "Nâng cao chất lượng hoạt động của tổ dân vận ở tổ dân phố"


def test_district_overview_shows_figures_charts_and_the_seed_seminars_matrix(browser, site):
    for width, height, name in [(1280, 900, "desktop"), (360, 740, "phone")]:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        errors = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        sign_in(page, site, STAFF)

        assert page.url.endswith("/overview/")
        assert page.locator("h1").inner_text().startswith("Tổng quan toàn quận")
        assert page.locator("svg.chart").count() == 3
        assert page.locator("table.matrix tbody tr").count() == 4
        assert page.locator("table.matrix thead th").count() == 1 + 3
        with page.expect_navigation(wait_until="load"):
            page.select_option("#directive", label=SEED)
            page.get_by_role("button", name="Xem", exact=True).click()
        assert page.locator("table.matrix tbody tr").count() == 4
        assert page.locator("table.matrix thead th").count() == 1 + 6
        # Charts fit their box; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(CHARTS_FIT)
        # The six tasks fit a desktop's matrix; on a phone the ward column stays in view.
        wrap = page.locator(".matrix-wrap")
        if name == "desktop":
            assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
        assert (
            page.locator("table.matrix tbody th").first.evaluate(
                "th => getComputedStyle(th).position"
            )
            == "sticky"
        )
        assert not errors
        if SCREENSHOTS:
            page.screenshot(
                path=str(Path(SCREENSHOTS) / f"district-overview-{name}.png"), full_page=True
            )
        with page.expect_navigation(wait_until="load"):
            page.goto(page.url + "&period=2019")
        assert page.locator("table.matrix tbody tr").count() == 14
        context.close()


def test_the_lineage_of_the_new_long_bien_names_its_predecessors_and_the_decision(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, site, STAFF)
    with page.expect_navigation(wait_until="load"):
        page.goto(site + "/wards/90001/lineage/")

    text = page.locator("main").inner_text()
    assert "Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/06/2025" in text
    for old in ("Long Biên", "Cự Khối", "Phúc Đồng", "Thạch Bàn", "Bồ Đề", "Gia Thụy"):
        assert f"Phường {old}" in text
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / "ward-lineage-desktop.png"), full_page=True)
    context.close()


def test_rows_of_contributions_are_added_without_a_round_trip_and_saved_at_once(browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    sign_in(page, site, "admin")  # the seed seminar's unit ended: only a superuser edits it
    page.goto(site + "/seminars/", wait_until="load")
    page.get_by_role("link", name=SEED).first.click()
    page.wait_for_load_state("load")
    seminar = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"{site}/seminars/{seminar}/contributions/", wait_until="load")
    rows = page.locator("fieldset.row-card")
    before = rows.count()  # the seminar's 18 contributions and 2 blank rows

    page.get_by_role("button", name="Thêm dòng").click()
    page.get_by_role("button", name="Thêm dòng").click()
    added = rows.nth(before + 1)
    added.locator("select[name$=session]").select_option(index=1)
    added.locator("input[name$=speaker]").fill("Đinh Thị Mới")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Lưu").click()

    assert before == 18 + 2
    assert "Đã lưu" in page.locator(".messages").inner_text()
    assert "Đinh Thị Mới" in page.locator("main").inner_text()
    assert not errors
    context.close()
