"""Text as the site stores and shows it: composed (NFC), so that what a page shows is what a
search or a test reads (Django's own name of Vietnamese, “Tiếng Việt”, is decomposed)."""

import unicodedata

from django import template

register = template.Library()


@register.filter
def nfc(text):
    return unicodedata.normalize("NFC", str(text))
