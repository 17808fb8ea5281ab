"""Every page of every role, on a phone and on a desktop, checked by axe-core (WCAG 2.0–2.2 A
and AA rules, from the npm registry: `package.json`): no serious or critical violation, every
`aria-describedby` names an element of the page, and no page of the site scrolls sideways on
a phone.

The pages are found as a user finds them: from each role's landing page and the admin's
index, by following links. Each URL pattern is checked once, by the first role that reaches it
(the officer first: the phone is theirs); a pattern's other addresses (another record, a query
string) render the same template, and so do an admin's history, import and export pages for
every model.
"""

import contextlib
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import Resolver404, resolve

from .conftest import ROOT
from .test_ward_officer_on_a_phone import sign_in

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The officer first (the phone is theirs), then the roles that read and those that manage.
ROLES = ["canbo.bode", "xem.longbien", "canbo.quan", "quantri.longbien", "admin"]
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# Not pages: files, the sign-out and the language (POSTs), what deletes, an admin's popup.
NOT_PAGES = re.compile(
    r"/logout|/i18n/|\.pdf|\.xlsx|/pdf/|/download|/export|/template|/evidence/|"
    r"format=|_popup=|/delete/"
)

RUN_AXE = """rules => { window.axeResult = axe.run(document, {
    runOnly: {type: "tag", values: rules}, resultTypes: ["violations"]}); }"""
CHECKS = """async () => {
  const result = await window.axeResult;
  const violations = result.violations
    .filter(rule => rule.impact === "serious" || rule.impact === "critical")
    .map(rule => `${rule.id}: ${rule.nodes.map(node => node.target.join(" ")).join(", ")}`);
  const missing = [...document.querySelectorAll("[aria-describedby]")].flatMap(element =>
    element.getAttribute("aria-describedby").split(/\\s+/)
      .filter(id => id && !document.getElementById(id))
      .map(id => `aria-describedby="${id}" names no element`));
  return {problems: [...violations, ...missing], width: document.documentElement.scrollWidth};
}"""
LINKS = """() => [...document.querySelectorAll("a[href]")]
    .map(link => new URL(link.getAttribute("href"), location.href).href)"""


def open_in_each(pages, url):
    """Open `url` in every page at once (each browser context loads it on its own core);
    the responses by page name."""
    with contextlib.ExitStack() as stack:
        loads = {
            name: stack.enter_context(page.expect_navigation()) for name, page in pages.items()
        }
        for page in pages.values():
            page.evaluate("url => { location.href = url; }", url)
    return {name: load.value for name, load in loads.items()}


def site_links(page, site):
    return [link for link in page.evaluate(LINKS) if link.startswith(site)]


# Admin pages whose template and fields are the same for every model: checked once.
SAME_FOR_EVERY_MODEL = re.compile(r"^admin:[a-z]+_[a-z]+_(history|import|process_import|export)$")


def pattern(url):
    """The URL pattern an address is of (an admin page the same for every model, by its
    kind), or None when it is not the site's."""
    try:
        name = resolve(urlparse(url).path).view_name
    except Resolver404:
        return None
    return SAME_FOR_EVERY_MODEL.sub(r"admin:\1", name)


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make setup` installs it (npm ci)")
    return AXE.read_text()


def test_every_page_of_every_role_passes_axe_on_a_phone_and_a_desktop(browser, site, axe_source):
    checked, problems = set(), []
    for role in ROLES:
        pages = {}
        for name, (width, height) in WIDTHS.items():
            # The tool is the test's, not the site's: it comes in past the site's CSP.
            context = browser.new_context(
                viewport={"width": width, "height": height}, bypass_csp=True
            )
            context.add_init_script(script=axe_source)
            pages[name] = context.new_page()
            sign_in(pages[name], site, role)
        # The role's own landing page and the admin's index are read for their links
        # whoever checked them first.
        hubs = [pages["phone"].url, urljoin(site, "/admin/")]
        queue, visited = list(hubs), set()
        while queue:
            url = queue.pop(0)
            key = pattern(url)
            if key is None or key in visited or NOT_PAGES.search(url):
                continue
            visited.add(key)
            if key in checked and url not in hubs:
                continue
            responses = open_in_each(pages, url)
            if any(
                response.status != 200
                or not response.headers["content-type"].startswith("text/html")
                for response in responses.values()
            ):
                continue  # not this role's page: another role checks it
            if key in checked:
                queue += site_links(pages["phone"], site)
                continue
            checked.add(key)
            for page in pages.values():
                page.evaluate(RUN_AXE, RULES)  # both widths at once, one core each
            for name, page in pages.items():
                found = page.evaluate(CHECKS)
                where = f"{role} {name} {url.removeprefix(site)}"
                problems += [f"{where}: {problem}" for problem in found["problems"]]
                site_page = not key.startswith("admin:")
                if name == "phone" and site_page and found["width"] > WIDTHS["phone"][0]:
                    problems.append(f"{where}: {found['width']} px wide")
            queue += site_links(pages["phone"], site)
        for page in pages.values():
            page.context.close()

    assert not problems, "\n".join(problems)
    # The crawl reached the site and the admin as each kind of user does.
    for key in (
        "reports:ward_home",
        "reports:ward_dashboard",
        "reports:overview",
        "meetings:seminar_detail",
        "admin:index",
        "admin:teams_member_changelist",
        "admin:teams_team_change",
        "admin:import",
        "admin:wards_user_add",
    ):
        assert key in checked, key
    assert len(checked) > 120, len(checked)


CONTRAST = """element => {
  const rgb = color => color.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = color => {
    const [r, g, b] = rgb(color).map(v => v / 255)
      .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(element);
  let back = element.parentElement;
  while (getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") back = back.parentElement;
  const [high, low] = [luminance(style.borderTopColor),
                       luminance(getComputedStyle(back).backgroundColor)].sort((a, b) => b - a);
  return Math.round((high + 0.05) / (low + 0.05) * 100) / 100;
}"""


def test_keyboard_first_tab_offers_to_skip_to_the_content_and_focus_shows(phone, site):
    sign_in(phone, site)
    phone.goto(site + "/wards/90003/activities/add/")

    phone.keyboard.press("Tab")
    skip = phone.locator(":focus")
    assert skip.inner_text() == "Chuyển đến nội dung chính"
    assert skip.bounding_box()["y"] >= 0  # shown once focused, not off the screen
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main"
    # The next Tab is in the content: the form's first field, its focus drawn.
    phone.keyboard.press("Tab")
    focused = phone.locator(":focus")
    assert focused.evaluate("element => element.closest('main') !== null")
    assert focused.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    assert focused.evaluate("element => getComputedStyle(element).outlineWidth") == "3px"
    # An unfocused field's border stands out from the card (WCAG 1.4.11: at least 3:1).
    assert phone.locator("#id_title").evaluate(CONTRAST) >= 3
