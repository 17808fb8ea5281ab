"""Printed documents: Django templates rendered to PDF by WeasyPrint.

WeasyPrint reads nothing but the project's own static files (the stylesheet and the fonts):
no network, no other file, whatever a document's text says. The HTML a document may grow to
is bounded, and with it the time a render takes.
"""

import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# About 300 pages of text; the seed seminar's report is 60 kB.
MAX_HTML_CHARACTERS = 2_000_000


class DocumentTooLarge(Exception):
    pass


class StaticFilesFetcher(URLFetcher):
    """Fetches `file:` URLs of files inside `roots` only; refuses everything else."""

    def __init__(self, roots):
        super().__init__(allowed_protocols={"file"})
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
        if path is None or not path.is_file() or not any(map(path.is_relative_to, self.roots)):
            raise ValueError(f"not one of the project's static files: {url}")
        return super().fetch(path.as_uri(), headers)


def static_roots():
    return [Path(root) for root in settings.STATICFILES_DIRS]


_parsed = threading.local()


def document_style():
    """(the documents' stylesheet, the fonts it declares), read once in each thread: parsed
    for every document, they took a fifth of a short one's time. WeasyPrint's fonts are not
    shared between threads."""
    if not hasattr(_parsed, "style"):
        fonts = FontConfiguration()
        stylesheet = CSS(
            filename=str(static_roots()[0] / "css" / "document.css"),
            font_config=fonts,
            url_fetcher=StaticFilesFetcher(static_roots()),
        )
        _parsed.style = (stylesheet, fonts)
    return _parsed.style


def warm_up():
    """Render a line of text, so that the first document a process prints does not also
    load the fonts, the stylesheet and the libraries WeasyPrint calls (the web server calls
    this at start-up)."""
    stylesheet, fonts = document_style()
    HTML(string="<p>Dân vận</p>", url_fetcher=StaticFilesFetcher(static_roots())).write_pdf(
        stylesheets=[stylesheet], font_config=fonts
    )


def render_pdf(template, context, *, fetcher=None):
    """The PDF of `template` (a document extending `reports/pdf/document.html`), in the
    documents' stylesheet (`document_style`)."""
    html = render_to_string(template, context)
    if len(html) > MAX_HTML_CHARACTERS:
        raise DocumentTooLarge(
            _(
                "This document is too large to print (%(size)s characters); "
                "choose fewer wards or a shorter period."
            )
            % {"size": len(html)}
        )
    base_url = static_roots()[0].resolve().as_uri() + "/"
    stylesheet, fonts = document_style()
    return HTML(
        string=html, base_url=base_url, url_fetcher=fetcher or StaticFilesFetcher(static_roots())
    ).write_pdf(stylesheets=[stylesheet], font_config=fonts)
