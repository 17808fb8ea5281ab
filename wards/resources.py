"""Excel/CSV import and export of units, keyed on natural keys (official codes), not ids, in
the conventions of `core.resources`."""

from django.utils.translation import gettext as _
from import_export import fields

from core.resources import (
    CodeForeignKeyWidget,
    NaturalKeyResource,
    choice_field,
    count_field,
    scoped,
    text_field,
    yes_no_field,
)

from .models import District, ResidentialGroup, Ward, current_last

WARD_CODE = "Mã phường"
DISTRICT_CODE = "Mã đơn vị quản lý"
GROUP_CODE = "Mã tổ dân phố"


class GroupWidget(CodeForeignKeyWidget):
    """A residential group, found by its code within the ward named in the same row (the
    ward's current group with that code)."""

    def __init__(self, **kwargs):
        super().__init__(ResidentialGroup, field="code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        groups = ResidentialGroup.objects.filter(
            ward__code=row_ward_code(row), valid_until__isnull=True
        )
        return scoped(groups, kwargs.get("user"))

    def not_found_message(self, value, row):
        return _(
            "There is no residential group with the code “%(group)s” in the ward with the "
            "code “%(ward)s”."
        ) % {"group": value, "ward": row_ward_code(row)}


def row_ward_code(row):
    return str(row.get(WARD_CODE) or "").strip()


def ward_code_field(attribute):
    """The ward code column: read by the group/team widgets, never written to the record."""
    return fields.Field(attribute=attribute, column_name=WARD_CODE, readonly=True)


class WardResource(NaturalKeyResource):
    district = fields.Field(
        attribute="district",
        column_name=DISTRICT_CODE,
        widget=CodeForeignKeyWidget(District, field="code"),
    )
    code = text_field("code", WARD_CODE)
    name = text_field("name", "Tên phường")
    kind = choice_field("kind", "Loại", Ward.Kind)
    is_active = yes_no_field("is_active", "Đang hoạt động")

    class Meta(NaturalKeyResource.Meta):
        model = Ward
        fields = ["district", "code", "name", "kind", "is_active"]
        import_id_fields = ["code"]

    def get_queryset(self):
        return super().get_queryset().select_related("district")


class ResidentialGroupResource(NaturalKeyResource):
    ward = fields.Field(
        attribute="ward", column_name=WARD_CODE, widget=CodeForeignKeyWidget(Ward, field="code")
    )
    code = text_field("code", GROUP_CODE)
    name = text_field("name", "Tên tổ dân phố")
    households = count_field("households", "Số hộ")
    population = count_field("population", "Số nhân khẩu")
    is_active = yes_no_field("is_active", "Đang hoạt động")

    class Meta(NaturalKeyResource.Meta):
        model = ResidentialGroup
        fields = ["ward", "code", "name", "households", "population", "is_active"]
        import_id_fields = ["ward", "code"]

    def get_queryset(self):
        # A row's codes name the ward's current group (an ended one may have had its code).
        return super().get_queryset().select_related("ward").order_by(current_last())
