"""In Chromium: district staff open the district overview of the demo data, charts drawn
without JavaScript, and the seed seminar's progress matrix of 14 wards by 6 tasks."""

from pathlib import Path

from tests.browser.test_ward_officer_on_a_phone import SCREENSHOTS, sign_in

STAFF = "canbo.quan"


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
        assert page.locator("table.matrix tbody tr").count() == 14
        assert page.locator("table.matrix thead th").count() == 1 + 6
        # Charts scroll inside their box on a phone; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not errors
        if SCREENSHOTS:
            page.screenshot(
                path=str(Path(SCREENSHOTS) / f"district-overview-{name}.png"), full_page=True
            )
        context.close()
