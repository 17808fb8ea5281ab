"""Every page in Vietnamese: each URL of the site and the admin (`tests.test_access.ROUTES`:
lists, add and change forms, history, past versions, import, export, the site's pages),
rendered for the superuser, who opens them all, and for a ward officer, whose pages differ,
shows no text of the English catalogue: no msgid of the project's, Django's or a third-party
package's catalogue that the page printed untranslated.

The text a user reads is compared: text nodes and the attributes read aloud or shown (title,
placeholder, aria-label, alt, a button's value), each as a whole, and against a msgid with
placeholders (“Select %s to change”) as a pattern.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests.test_access import (
    ROUTE_KEYS,
    ROUTES,
    records_of,
    route_url,
    signed_in,
    world,  # noqa: F401 (the records the URLs are of)
)
from tests.test_i18n import po_entries

# A msgid that reads the same in both languages is no sign of a missing translation.
SAME_IN_BOTH_LANGUAGES = {"Email", "Excel", "CSV", "ID", "OK", "No", "English", "Menu"}
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^}]*\}")
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# A msgid written in Vietnamese, decomposed: đ, or a mark of ă â ê ô ơ ư or of a tone.
VIETNAMESE = re.compile("[đĐ\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323]")


def catalogues():
    """The .po file of each translated package: Django's, its contrib apps', those of the
    installed packages (in English, or in the first language they have), the project's."""
    folders = [Path(django.__file__).parent / "conf"]
    folders += [Path(config.path) for config in apps.get_app_configs()]
    for folder in folders:
        languages = sorted((folder / "locale").glob("*/LC_MESSAGES/django.po"))
        english = [path for path in languages if path.parts[-3] == "en"]
        yield from (english or languages)[:1]
    yield from (Path(path) / "vi" / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS)


def english_strings():
    """The English texts a Vietnamese page must not show: each msgid (and plural), as a
    whole text or, with placeholders, as a pattern of at least two words."""
    whole, patterns = set(), set()
    for path in catalogues():
        for _context, msgid, plural in po_entries(path):
            for text in filter(None, (msgid, plural)):
                text = " ".join(text.split())
                if text in SAME_IN_BOTH_LANGUAGES or not re.search(r"[A-Za-z]{2}", text):
                    continue
                if VIETNAMESE.search(unicodedata.normalize("NFD", text)):  # “Dân vận khéo”
                    continue
                words = PLACEHOLDER.split(text)
                if len(words) == 1:
                    whole.add(text)
                elif sum(len(re.findall(r"[A-Za-z]{2,}", part)) for part in words) >= 2:
                    patterns.add(".+?".join(re.escape(part) for part in words))
    return whole, re.compile("|".join(sorted(patterns, key=len, reverse=True)))


class ReadText(HTMLParser):
    """The texts a user reads on a page, each stripped; none of a part in another
    language (`lang="en"`: the language switcher's “English”) or of a script."""

    SKIPPED = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.stack = [], []

    def skipping(self):
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_language = attrs.get("lang", "vi")[:2] != "vi"
        if not self.skipping() and not other_language:
            self.texts += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.texts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append(tag in self.SKIPPED or other_language)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.texts.append(data)


def english_on(page, whole, patterns):
    parser = ReadText()
    parser.feed(page)
    found = []
    for text in parser.texts:
        text = " ".join(text.split()).rstrip(":")
        if text in whole or (patterns.pattern and patterns.fullmatch(text)):
            found.append(text)
    return found


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def english():
    return english_strings()


def test_the_english_catalogue_is_read(english):
    whole, patterns = english
    # Django's, the admin's, import-export's and the project's msgids that are all in words.
    for text in ("Save and add another", "Import", "Export", "Change password", "Reminders"):
        assert text in whole
    assert patterns.fullmatch("Select hoạt động to change")
    # A msgid with typographic quotes is English too.
    assert patterns.fullmatch("The hoạt động “Họp tổ” was added successfully.")
    assert english_on('<p title="Log out">Xin chào</p><button>Delete</button>', *english) == [
        "Log out",
        "Delete",
    ]
    # Vietnamese, and English only where a part is marked so.
    assert english_on('<p>Lưu</p><button lang="en">English</button>', *english) == []


def page_text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# What answers with no page: files, redirects, POST-only addresses, JSON.
NO_PAGE = {
    "redirect", "import_template", "export", "process_import", "post_only", "logout",
    "set_language", "home", "admin_login", "autocomplete",
}  # fmt: skip
FILES = {"application/pdf", "application/javascript", "text/javascript"}
PAGE_KEYS = [key for key in ROUTE_KEYS if ROUTES[key].kind not in NO_PAGE]


@pytest.mark.parametrize("persona", ["superuser", "officer_a"])
@pytest.mark.parametrize("key", PAGE_KEYS)
def test_every_page_is_in_vietnamese(world, english, persona, key):  # noqa: F811
    client = signed_in(Client(), world.users[persona])
    url = route_url(key, records_of(world, "A", district=world.d1))

    response = client.get(url)

    content_type = response.get("Content-Type", "").split(";")[0]
    if content_type != "text/html":
        assert content_type in FILES, url  # a document, not a page
    else:
        assert '<html lang="vi"' in page_text(response), url
        found = english_on(page_text(response), *english)
        assert not found, f"{url} shows {found}"
