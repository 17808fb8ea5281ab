"""Bulk imports of people and of the records of their roles (see `core.imports`). A row
describes a person (`resources.PERSON_COLUMNS`); its person is the one already recorded that
it describes (`identity.py`: the same identity number, or the same name and year of birth
with the same phone or group), or a new one. A row that only shares a name and a year of
birth with someone recorded is refused with their names, never made a second record of them.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.imports import Cells, FieldChecks, Importer, plain, register
from core.text import fold
from core.writers import BATCH, insert_with_history
from wards.imports import GROUP
from wards.resources import GROUP_CODE, WARD_CODE

from .identity import Identity, People, candidates, describe_person
from .models import Person, Position
from .resources import PersonResource, PositionResource


class PersonRowsImporter(Importer):
    """The matching of the rows' people, for an importer whose resource has the person's
    columns (`resources.PERSON_COLUMNS`). `resolve` finds each row's person (`people`, by
    row number) after the row's relations; `found(record, person)` says what the row does
    with it."""

    # The person's columns that must be in the file, and those that may be left out.
    PERSON_REQUIRED = ("full_name",)
    PERSON_OPTIONAL = ("gender", "birth_year", "phone", "id_number")

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.person_fields = {
            name: self.resource.fields[name]
            for name in self.PERSON_REQUIRED + self.PERSON_OPTIONAL
        }
        self.person_cells = {
            name: Cells(field.widget) for name, field in self.person_fields.items()
        }
        self.person_checks = FieldChecks(Person, exclude={"residential_group"})

    def group_of(self, record):
        """The residential group the row's person lives in (a new one, or one found by a
        name without a year of birth)."""
        return record.values["residential_group"]

    def role_of(self, record):
        """What the row's record is held in (its team, its group…): a name without a year
        of birth names the person who already holds it (the file imported again)."""
        return self.group_of(record).pk

    def holders(self, rows, people):
        """{(role, person id)}: which of `people` (recorded without a year of birth) hold the
        roles (`role_of`) of `rows` ((record, typed person) pairs)."""
        return set()

    def found(self, record, person):
        record.values["person"] = person

    def model_field(self, attribute):
        if not attribute.startswith("person__"):
            return super().model_field(attribute)
        try:
            return Person._meta.get_field(attribute.removeprefix("person__"))
        except FieldDoesNotExist:
            return None  # a column of the person's group

    def required_columns(self):
        """The person's columns it cannot do without, and the record's."""
        person = [self.person_fields[name].column_name for name in self.PERSON_REQUIRED]
        return person + super().required_columns()

    def resolve(self, records, result):
        super().resolve(records, result)
        rows = [
            (record, self.person_of(record, result)) for record in records if not record.failed
        ]
        rows = [(record, person) for record, person in rows if person is not None]
        people = Person.objects.managed_by(self.user) if self.user else Person.objects.all()
        known = candidates(people, [Identity.of(person) for _record, person in rows])
        holders = self.holders(rows, [person for person in known if person.birth_year is None])
        numbers = {person.id_number for _record, person in rows if person.id_number}
        elsewhere = set(
            Person.objects.filter(id_number__in=numbers)
            .exclude(pk__in=[person.pk for person in known])
            .values_list("id_number", flat=True)
        )
        by_number = {person.id_number: person for person in known if person.id_number}
        known_people = People(known)
        new = People()  # the people this file adds, each once
        self.typed = {record.row: person for record, person in rows}
        self.people = {}
        name_column = self.person_fields["full_name"].column_name
        for record, row_person in rows:
            identity = Identity.of(row_person)
            if identity.id_number in elsewhere:
                self.fail(
                    result,
                    record,
                    self.person_fields["id_number"].column_name,
                    identity.id_number,
                    _(
                        "This identity number is already recorded, for a person you may not "
                        "change."
                    ),
                )
                continue
            numbered = by_number.get(identity.id_number)
            if numbered is not None and numbered.name_key != identity.name_key:
                self.fail(
                    result,
                    record,
                    self.person_fields["id_number"].column_name,
                    identity.id_number,
                    _(
                        "This identity number is recorded for %(person)s: check the number or "
                        "the name."
                    )
                    % {"person": describe_person(numbered)},
                )
                continue
            # The identity number names its person wherever they live; without it, the people
            # of the row's ward are looked at.
            ward = self.group_of(record).ward_id
            found, likely = (
                ([by_number[identity.id_number]], [])
                if identity.id_number in by_number
                else known_people.match(identity, ward=ward)
            )
            if not found and identity.birth_year is None:
                role = self.role_of(record)
                found = [p for p in likely if (role, p.pk) in holders]
                likely = [] if found else likely
            if not found:
                found, _likely = new.match(identity)
            if len(found) > 1:
                self.fail(
                    result,
                    record,
                    name_column,
                    identity.full_name,
                    _("Several people recorded match this row: %(people)s. Merge them first.")
                    % {"people": ", ".join(describe_person(p) for p in found)},
                )
                continue
            person = found[0] if found else None
            if person is None and likely:
                self.fail(
                    result,
                    record,
                    name_column,
                    identity.full_name,
                    _(
                        "Maybe the same person as %(people)s, already recorded with the same "
                        "name and year of birth: give the identity number, the same phone or "
                        "group, or merge the records first."
                    )
                    % {"people": ", ".join(describe_person(p) for p in likely)},
                )
                continue
            if person is None:
                person = row_person
                new.add(person)
            self.people[record.row] = person
            self.found(record, person)

    def person_of(self, record, result):
        """The person the row describes, as an unsaved `Person`; None, with the row's errors,
        when a cell is wrong."""
        values = {}
        for name, field in self.person_fields.items():
            column = field.column_name
            if column not in record.cells:
                continue
            values[name], error = self.person_cells[name].read(record.cells[column])
            if error is not None:
                self.fail(result, record, column, record.cells[column], error)
        if record.failed:
            return None
        # A date of birth (the people's own import) gives the year the identity needs.
        birth_date = record.values.get("birth_date")
        person = Person(residential_group=self.group_of(record), birth_date=birth_date, **values)
        errors = self.person_checks.errors(person)
        for name, messages in errors.items():
            column = self.person_fields[name].column_name
            self.fail(result, record, column, record.cells.get(column), " ".join(messages))
        if errors:
            return None
        person.fill_derived_fields()
        return person


@register("person")
class PersonImporter(PersonRowsImporter):
    """People themselves: a row found as a recorded person changes them (the details the
    row gives); otherwise it adds a person."""

    resource_class = PersonResource
    relations = (GROUP,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Họ và tên": "Nguyễn Thị Lan",
        "Giới tính": "Nữ",
        "Năm sinh": 1968,
        "Ngày sinh": "",
        "Điện thoại": "0912 345 678",
        "Số định danh": "",
        "Địa chỉ": "Số 12, ngõ 7",
    }

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("id",)

    def key_header(self):
        return _(
            "the same person (identity number; or name and year of birth with phone or group)"
        )

    def holders(self, rows, people):
        # A person recorded without a year of birth is named again by the same name in
        # their own group.
        return {(person.residential_group_id, person.pk) for person in people}

    def found(self, record, person):
        # A date of birth with no year gives the year, as the record keeps it.
        born = record.values.get("birth_date")
        if born and record.values.get("birth_year") is None:
            record.values["birth_year"] = born.year
        # A name typed without its accents (or in capitals) names the person found; it
        # does not replace the name as written in their record.
        typed = record.values["full_name"]
        plain_form = typed.isascii() or typed.isupper()
        if person.pk and plain_form and fold(typed) == person.name_key:
            record.values["full_name"] = person.full_name

    def key_of(self, record):
        return (plain(self.people[record.row]),)

    def key_text(self, record):
        return describe_person(self.people[record.row])

    def existing(self, keys):
        stored = {(person.pk,): person for person in self.people.values() if person.pk}
        return {key: stored[key] for key in keys if key in stored}

    def new_instance(self, record):
        person = self.people[record.row]
        for attribute, value in record.values.items():
            setattr(person, attribute, value)
        person.fill_derived_fields()
        return person


class RoleImporter(PersonRowsImporter):
    """The records of a role (`person` → `Person`), with their people: the people a file
    adds are written first; the details a row gives of a person it found (`UPDATED`)
    change that person."""

    # The person's details an import updates on a person it found (name and year of birth
    # found them).
    UPDATED = ("gender", "phone", "id_number")

    def resolve(self, records, result):
        self.person_updates = {}
        super().resolve(records, result)

    def related_changes(self, record):
        """The person's details the row changes, kept for `write`."""
        found, typed = record.values["person"], self.typed[record.row]
        if found.pk is None:
            return []
        changed = [
            name
            for name in self.UPDATED
            if self.person_fields[name].column_name in record.cells
            and getattr(typed, name) != getattr(found, name)
        ]
        if changed:
            self.person_updates[found.pk] = (
                found,
                {name: getattr(typed, name) for name in changed},
            )
        return [
            f"{self.person_fields[name].column_name}: {getattr(found, name) or '–'} → "
            f"{getattr(typed, name) or '–'}"
            for name in changed
        ]

    def write(self, records, result, attributes):
        """The new people first, then the records."""
        new_people = list(
            {
                id(record.values["person"]): record.values["person"]
                for record in records
                if record.action == "new" and record.values["person"].pk is None
            }.values()
        )
        updated, now = [], timezone.now()
        for person, values in self.person_updates.values():
            for name, value in values.items():
                setattr(person, name, value)
            person.updated_at = now  # bulk updates skip auto_now
            updated.append(person)
        with transaction.atomic():
            insert_with_history(Person, new_people, user=self.user)
            bulk_update_with_history(
                updated,
                Person,
                [*self.UPDATED, "updated_at"],
                batch_size=BATCH,
                default_user=self.user,
            )
            for record in records:
                if record.action == "new":
                    record.instance.person = record.values["person"]  # now with its id
            super().write(records, result, attributes)


@register("position")
class PositionImporter(RoleImporter):
    """Posts held: a person found or added in the row's group, and their post there."""

    resource_class = PositionResource
    relations = (GROUP,)
    example = {
        WARD_CODE: "00115",
        GROUP_CODE: "07",
        "Họ và tên": "Trần Văn Hùng",
        "Giới tính": "Nam",
        "Năm sinh": 1959,
        "Điện thoại": "0983 111 222",
        "Số định danh": "",
        "Chức vụ": "Tổ trưởng tổ dân phố",
        "Tổ chức": "Tổ dân phố số 7",
        "Từ ngày": "01/01/2023",
        "Đến ngày": "",
    }

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.key = ("person", "kind", "organisation")
        # The group locates the row's person; it is not a column of the post.
        self.relation_attributes = set()

    def key_header(self):
        names = ("full_name", "birth_year", "kind", "organisation")
        return " + ".join(self.resource.fields[name].column_name for name in names)

    def model_field(self, attribute):
        # The row's group is the person's.
        if attribute == "residential_group":
            attribute = "person__residential_group"
        return super().model_field(attribute)

    def new_instance(self, record):
        values = dict(record.values)
        del values["residential_group"]
        return Position(**values)

    def role_of(self, record):
        return (record.values.get("kind"), record.values.get("organisation", ""))

    def holders(self, rows, people):
        return {
            ((kind, organisation), person)
            for kind, organisation, person in Position.objects.filter(
                person__in=[person.pk for person in people]
            ).values_list("kind", "organisation", "person")
        }
