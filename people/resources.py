"""Excel/CSV import and export of people and of the records of their roles, in the
conventions of `core.resources`: a person is written as their columns (`PERSON_COLUMNS`), and
read by the imports' matching of people (`imports.PersonRowsImporter`). The phone and the
identity number are personal data: written out per row, for the people the user manages only
(`protection.py`)."""

import functools

from import_export import fields, widgets

from core.resources import (
    ChoiceLabelWidget,
    NaturalKeyResource,
    WholeNumberWidget,
    choice_field,
    date_field,
    text_field,
)
from wards.resources import GROUP_CODE, GroupWidget, ward_code_field
from wards.scope import managed_wards

from .models import Person, Position
from .protection import may_export_personal

# A person's columns: {attribute: (header, widget)}.
PERSON_COLUMNS = {
    "full_name": ("Họ và tên", widgets.CharWidget),
    "gender": ("Giới tính", lambda: ChoiceLabelWidget(Person.Gender)),
    "birth_year": ("Năm sinh", lambda: WholeNumberWidget(blank=None)),
    "phone": ("Điện thoại", widgets.CharWidget),
    "id_number": ("Số định danh", widgets.CharWidget),
}


# The person's columns, in the order every file carrying them writes them.
PERSON_FIELDS = list(PERSON_COLUMNS)


def person_field(name, *, path="person"):
    """The column `name` of `PERSON_COLUMNS`: of the record's person (`path`), read by the
    import's matching of people and not set on the record; or, with no path, of the person
    the row is."""
    column, widget = PERSON_COLUMNS[name]
    return fields.Field(
        attribute=f"{path}__{name}" if path else name,
        column_name=column,
        widget=widget(),
        readonly=bool(path),
    )


class PersonalDataResource(NaturalKeyResource):
    """A resource with a person's phone and identity number (`PERSONAL`), the row's person
    reached through `person_path` (empty when the row is the person). Those columns are
    written out for a user whose role changes people (`protection.may_export_personal`),
    and in them only the cells of people who live in a ward the user manages."""

    PERSONAL = ("phone", "id_number")
    person_path = "person"

    def __init__(self, user=None, *, personal=None, **kwargs):
        # By default, as the user's role allows (a command run without a user: everything).
        if personal is None:
            personal = user is None or may_export_personal(user)
        self.personal = personal
        super().__init__(user=user, **kwargs)

    @property
    def exports_columns(self):
        # Cell by cell (`export_field`) when a personal cell may be left empty.
        return not self.personal or self.user is None or self.user.is_superuser

    def is_personal(self, field):
        return field.attribute.removeprefix(f"{self.person_path}__") in self.PERSONAL

    def get_export_fields(self, selected_fields=None):
        exported = super().get_export_fields(selected_fields)
        if self.personal:
            return exported
        return [field for field in exported if not self.is_personal(field)]

    def filter_export(self, queryset, **kwargs):
        """Whatever list is written out, with the ward of each row's person read in the same
        query (`manages` asks it of every row)."""
        path = (
            f"{self.person_path}__residential_group" if self.person_path else "residential_group"
        )
        return super().filter_export(queryset.select_related(path), **kwargs)

    def export_field(self, field, instance, **kwargs):
        if self.is_personal(field) and not self.manages(self.person_of(instance)):
            return ""
        return super().export_field(field, instance, **kwargs)

    def person_of(self, instance):
        return getattr(instance, self.person_path) if self.person_path else instance

    def manages(self, person):
        if self.user is None or self.user.is_superuser:
            return True
        return person.residential_group.ward_id in self.managed_ward_ids

    @functools.cached_property
    def managed_ward_ids(self):
        return set(managed_wards(self.user).values_list("pk", flat=True))


class PersonResource(PersonalDataResource):
    """People, found by the rule of `identity.py` (not by a key of the file)."""

    person_path = ""
    ward_code = ward_code_field(f"{Person.ward_path}__code")
    residential_group = fields.Field(
        attribute="residential_group", column_name=GROUP_CODE, widget=GroupWidget()
    )
    full_name = person_field("full_name", path="")
    gender = person_field("gender", path="")
    birth_year = person_field("birth_year", path="")
    birth_date = date_field("birth_date", "Ngày sinh")
    phone = person_field("phone", path="")
    id_number = person_field("id_number", path="")
    address = text_field("address", "Địa chỉ")

    class Meta(NaturalKeyResource.Meta):
        model = Person
        fields = [
            "ward_code",
            "residential_group",
            "full_name",
            "gender",
            "birth_year",
            "birth_date",
            "phone",
            "id_number",
            "address",
        ]
        import_id_fields = ["residential_group", "full_name", "birth_year"]

    def get_queryset(self):
        return super().get_queryset().select_related(Person.ward_path)


class RoleResource(PersonalDataResource):
    """The record of a person's role, with the person's columns (`PERSON_COLUMNS`) and the
    code of the ward they live in."""

    ward_code = ward_code_field(f"person__{Person.ward_path}__code")
    full_name = person_field("full_name")
    gender = person_field("gender")
    birth_year = person_field("birth_year")
    phone = person_field("phone")
    id_number = person_field("id_number")

    def get_queryset(self):
        return super().get_queryset().select_related(f"person__{Person.ward_path}")


class PositionResource(RoleResource):
    """Posts held, each by a person living in the group named by the row."""

    residential_group = fields.Field(
        attribute="person__residential_group",
        column_name=GROUP_CODE,
        widget=GroupWidget(),
        readonly=True,
    )
    kind = choice_field("kind", "Chức vụ", Position.Kind)
    organisation = text_field("organisation", "Tổ chức")
    started_on = date_field("started_on", "Từ ngày")
    ended_on = date_field("ended_on", "Đến ngày")

    class Meta(NaturalKeyResource.Meta):
        model = Position
        fields = [
            "ward_code",
            "residential_group",
            *PERSON_FIELDS,
            "kind",
            "organisation",
            "started_on",
            "ended_on",
        ]
        import_id_fields = ["full_name", "birth_year", "kind", "organisation"]
