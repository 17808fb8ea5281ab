"""Checks of the machine the documents are printed on (`manage.py check --deploy`)."""

from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def font_subsetter(app_configs, **kwargs):
    """WeasyPrint subsets the documents' fonts with HarfBuzz when the system has its
    subsetter, otherwise with fontTools: a document then takes about three times as long.
    (WeasyPrint's libraries are loaded here, not by every command that sets Django up.)"""
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is not None:
        return []
    return [
        Warning(
            "HarfBuzz's font subsetter (libharfbuzz-subset0) is not installed: WeasyPrint "
            "subsets fonts with fontTools, and each PDF takes about three times as long.",
            hint="apt-get install libharfbuzz-subset0 (the README's prerequisites).",
            id="reports.W001",
        )
    ]
