"""Excel/CSV import and export of units, keyed on natural keys (official codes), not ids.

Column headers are Vietnamese literals, not translated strings: they are the file format,
and a file exported under one interface language must import under the other.
"""

from django.utils import translation
from import_export import fields, resources, widgets

from .models import District, ResidentialGroup, Ward

WARD_CODE = "Mã phường"
GROUP_CODE = "Mã tổ dân phố"


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Vietnamese label (“Phường”); the stored code is accepted too."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def _labels(self):
        with translation.override("vi"):
            return {str(label): value for value, label in self.choices.choices}

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        text = str(value).strip()
        if text in self.choices.values:
            return text
        labels = self._labels()
        by_folded_label = {label.casefold(): code for label, code in labels.items()}
        if text.casefold() in by_folded_label:
            return by_folded_label[text.casefold()]
        raise ValueError(
            "«{}» không phải giá trị hợp lệ. Chọn một trong: {}.".format(text, ", ".join(labels))
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("vi"):
            return str(self.choices(value).label)


class YesNoWidget(widgets.Widget):
    """Booleans as “Có”/“Không”, the way people type them in Excel; anything else is an error."""

    TRUE_TEXTS = {"có", "co", "x", "1", "true", "yes"}
    FALSE_TEXTS = {"không", "khong", "", "0", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().casefold()
        if text in self.TRUE_TEXTS:
            return True
        if text in self.FALSE_TEXTS:
            return False
        raise ValueError(f"«{value}» không hợp lệ: ghi “Có” hoặc “Không”.")

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else "Không"


class DateWidget(widgets.DateWidget):
    """Dates as dd/mm/yyyy; Excel date cells are read as they are."""

    def __init__(self, **kwargs):
        super().__init__(format="%d/%m/%Y", **kwargs)


class GroupWidget(widgets.ForeignKeyWidget):
    """A residential group, found by its code within the ward named in the same row."""

    def __init__(self, **kwargs):
        super().__init__(ResidentialGroup, field="code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return ResidentialGroup.objects.filter(ward__code=str(row.get(WARD_CODE, "")).strip())


def ward_code_field(attribute):
    """The ward code column: read by the group/team widgets, never written to the record."""
    return fields.Field(attribute=attribute, column_name=WARD_CODE, readonly=True)


class NaturalKeyResource(resources.ModelResource):
    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class WardResource(NaturalKeyResource):
    district = fields.Field(
        attribute="district",
        column_name="Mã đơn vị quản lý",
        widget=widgets.ForeignKeyWidget(District, field="code"),
    )
    code = fields.Field(attribute="code", column_name=WARD_CODE)
    name = fields.Field(attribute="name", column_name="Tên phường")
    kind = fields.Field(attribute="kind", column_name="Loại", widget=ChoiceLabelWidget(Ward.Kind))
    is_active = fields.Field(
        attribute="is_active", column_name="Đang hoạt động", widget=YesNoWidget()
    )

    class Meta(NaturalKeyResource.Meta):
        model = Ward
        fields = ["district", "code", "name", "kind", "is_active"]
        import_id_fields = ["code"]

    def get_queryset(self):
        return super().get_queryset().select_related("district")


class ResidentialGroupResource(NaturalKeyResource):
    ward = fields.Field(
        attribute="ward",
        column_name=WARD_CODE,
        widget=widgets.ForeignKeyWidget(Ward, field="code"),
    )
    code = fields.Field(attribute="code", column_name=GROUP_CODE)
    name = fields.Field(attribute="name", column_name="Tên tổ dân phố")
    households = fields.Field(
        attribute="households", column_name="Số hộ", widget=widgets.IntegerWidget()
    )
    population = fields.Field(
        attribute="population", column_name="Số nhân khẩu", widget=widgets.IntegerWidget()
    )
    is_active = fields.Field(
        attribute="is_active", column_name="Đang hoạt động", widget=YesNoWidget()
    )

    class Meta(NaturalKeyResource.Meta):
        model = ResidentialGroup
        fields = ["ward", "code", "name", "households", "population", "is_active"]
        import_id_fields = ["ward", "code"]

    def get_queryset(self):
        return super().get_queryset().select_related("ward")
