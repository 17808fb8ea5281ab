"""What the site's pages share: permission checks, pagination, forms' date inputs, and
spreadsheet downloads."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from tablib import Databook

from .signals import data_exported
from .tables import xlsx_bytes

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def require_permission(request, permission):
    """403 for an action beyond the user's role (a viewer's write, say)."""
    if not request.user.has_perm(permission):
        raise PermissionDenied(permission)


def paginate(request, queryset, *, param="page", size=PAGE_SIZE):
    """The page of `queryset` that `?<param>=` asks for (see `page_of`)."""
    return page_of(queryset, request.GET.get(param), size=size)


def page_of(rows, number, *, size=PAGE_SIZE, count=None):
    """The page `number` of `rows` (the first or the last one when it is not a page number).
    `count`, when the caller knows it, saves counting `rows` (rows sorted by an aggregate,
    whose count would compute it for every row)."""
    paginator = Paginator(rows, size)
    if count is not None:
        paginator.count = count
    return paginator.get_page(number)


def query_without(request, *names):
    """The page's query string without `names` (to build page and sort links on it)."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def xlsx_download(request, data, name):
    """A spreadsheet of `data` (a tablib Dataset, or a Databook of several sheets), logged
    as an export (`signals.data_exported`, for the security log), named `name` and the day
    (“thanh-vien-thuong-thanh-2026-11-30.xlsx”); its texts are text cells, never formulas
    (`tables.xlsx_bytes`)."""
    sheets = data.sheets() if isinstance(data, Databook) else [data]
    rows = sum(len(sheet) for sheet in sheets)
    data_exported.send(sender=None, request=request, detail=f"{name} ({rows})")
    response = HttpResponse(xlsx_bytes(*sheets), content_type=XLSX)
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DayFirstDateInput(forms.DateInput):
    """dd/mm/yyyy in a text box with a phone's decimal keypad: digits and a separator (the
    formats read `/`, `-`, `.`, `,` or a space: `danvan/formats`)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "decimal", **(attrs or {})},
            format="%d/%m/%Y",
        )


def not_in_the_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."), code="future")


class DayFirstDateField(forms.DateField):
    """A date typed day first (`DayFirstDateInput`), also as eight digits with no separator
    (15032025); fewer digits alone are refused rather than guessed."""

    widget = DayFirstDateInput
    default_error_messages = {
        "invalid": _("Enter the date day first, e.g. 15/03/2025 or 15032025."),
    }

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text.isdigit():
            if len(text) != 8:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = f"{text[:2]}/{text[2:4]}/{text[4:]}"
        return super().to_python(value)


def date_field(label, *, required=True, past_only=True):
    return DayFirstDateField(
        label=capfirst(label),
        required=required,
        validators=[not_in_the_future] if past_only else [],
    )
