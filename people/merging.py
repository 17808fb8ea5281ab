"""A person found twice made one. Every record that points to the removed one (a team
membership, a position, a prestigious person's standing, a training attended — whatever
points to `Person`, found from the model's relations, so that a new role is never left
behind) is moved to the kept one; the removed record's fields and what was moved are logged
(`PersonMerge`), and its own history stays in the history table under its old id."""

import copy
import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from .models import Person, PersonMerge

FIELDS = ("full_name", "gender", "birth_year", "birth_date", "phone", "id_number", "address")


class MergeRefused(Exception):
    """Two records that cannot be one person; the message says why."""


@dataclasses.dataclass
class Plan:
    kept: Person
    removed: Person
    roles: list  # (verbose name of the relation, [records moved])
    filled: dict  # {field: value} the kept record gains from the removed one (it had none)

    @property
    def moved(self):
        return sum(len(records) for _name, records in self.roles)

    def filled_rows(self):
        """(field's name, value as shown) of what the kept record gains."""
        rows = []
        for name, value in self.filled.items():
            field = Person._meta.get_field(name)
            shown = dict(field.flatchoices).get(value, value) if field.choices else value
            rows.append((field.verbose_name, shown))
        return rows


def relations():
    """The relations to `Person` of every model: foreign keys and many-to-many fields."""
    for relation in Person._meta.related_objects:
        if relation.related_model is PersonMerge or relation.related_model.__name__.startswith(
            "Historical"
        ):
            continue
        yield relation


def preview(kept, removed):
    """What merging `removed` into `kept` does, before it is done."""
    if kept.pk == removed.pk:
        raise MergeRefused(_("A record cannot be merged with itself."))
    if kept.id_number and removed.id_number and kept.id_number != removed.id_number:
        raise MergeRefused(
            _("The two records have different identity numbers: they are two people.")
        )
    roles = []
    for relation in relations():
        if relation.many_to_many:
            records = list(getattr(removed, relation.get_accessor_name()).all())
        else:
            records = list(
                relation.related_model._default_manager.filter(**{relation.field.name: removed})
            )
        if records:
            roles.append((relation.related_model._meta.verbose_name_plural, records))
        if not relation.many_to_many:
            for record in records:
                moved = copy.copy(record)
                setattr(moved, relation.field.name, kept)
                try:
                    moved.validate_constraints()
                except ValidationError as clash:
                    raise MergeRefused(
                        _("%(record)s: %(reason)s End one of the two first.")
                        % {"record": record, "reason": " ".join(clash.messages)}
                    ) from None
    filled = {
        name: getattr(removed, name)
        for name in FIELDS
        if getattr(removed, name) not in (None, "") and getattr(kept, name) in (None, "")
    }
    # A date of birth only with the year it is in.
    if "birth_date" in filled and filled["birth_date"].year != filled.get(
        "birth_year", kept.birth_year
    ):
        del filled["birth_date"]
    return Plan(kept, removed, roles, filled)


@transaction.atomic
def apply(plan, *, user):
    """Merge as `plan` says: the roles moved (each saved, so that its history records the
    move), the kept record completed, the removed one deleted, the merge logged."""
    kept, removed = (
        Person.objects.select_for_update().get(pk=plan.kept.pk),
        Person.objects.select_for_update().get(pk=plan.removed.pk),
    )
    moved = {}
    for relation in relations():
        if relation.many_to_many:
            # From the record's side, so that its history records the change.
            records = list(getattr(removed, relation.get_accessor_name()).all())
            for record in records:
                people = getattr(record, relation.field.name)
                people.add(kept)
                people.remove(removed)
        else:
            records = list(
                relation.related_model._default_manager.filter(**{relation.field.name: removed})
            )
            for record in records:
                setattr(record, relation.field.name, kept)
                record.save()
        if records:
            moved[relation.related_model._meta.label_lower] = [record.pk for record in records]
    snapshot = model_to_dict(removed, fields=[*FIELDS, "residential_group"])
    removed_id = removed.pk
    removed.delete()  # first: the kept record may take its identity number
    for name, value in plan.filled.items():
        setattr(kept, name, value)
    kept.save()
    return PersonMerge.objects.create(
        kept=kept,
        removed_id=removed_id,
        removed={
            key: str(value) if value is not None else None for key, value in snapshot.items()
        },
        moved=moved,
        merged_by=user,
    )
