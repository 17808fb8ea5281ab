"""Whether two records are one person: the one rule that the forms, the imports and the list
of duplicates apply. The same identity number is the same person; without it, the same
folded name and year of birth with the same phone or the same residential group is; the
same name and year alone is only likely the same, and is asked about, never assumed."""

import dataclasses

from core.text import fold

from .models import Person


@dataclasses.dataclass(frozen=True)
class Identity:
    full_name: str
    birth_year: int | None
    phone: str = ""
    group_id: int | None = None
    id_number: str = ""

    @property
    def name_key(self):
        return fold(self.full_name)[:100]

    @classmethod
    def of(cls, person):
        return cls(
            person.full_name,
            person.birth_year,
            person.phone,
            person.residential_group_id,
            person.id_number,
        )


def digits(phone):
    return "".join(character for character in phone or "" if character.isdigit())


def same(identity, person):
    """Whether `person` is the person `identity` describes (by the rule above)."""
    if identity.id_number and person.id_number:
        return identity.id_number == person.id_number
    if identity.name_key != person.name_key or identity.birth_year != person.birth_year:
        return False
    if identity.birth_year is None:
        return False  # a name alone names no one: at most likely
    same_phone = bool(digits(identity.phone)) and digits(identity.phone) == digits(person.phone)
    return same_phone or identity.group_id == person.residential_group_id


def likely(identity, person):
    """Same folded name and year of birth, but neither phone nor group in common."""
    return (
        identity.name_key == person.name_key
        and identity.birth_year == person.birth_year
        and not (identity.id_number and person.id_number)
        and not same(identity, person)
    )


def candidates(people, identities):
    """The people of `people` (a queryset) that may be any of `identities`: one query."""
    keys = {identity.name_key for identity in identities}
    numbers = {identity.id_number for identity in identities if identity.id_number}
    found = people.filter(name_key__in=keys) | people.filter(id_number__in=numbers)
    return list(found.distinct().select_related("residential_group"))


def match(identity, people):
    """(the people of `people` (a list) that `identity` is — one, or several recorded twice
    —; those it is likely to be)."""
    found = [person for person in people if same(identity, person)]
    return found, [] if found else [person for person in people if likely(identity, person)]


def find(identity, *, people=None):
    """`match` against the stored people (or `people`, a queryset)."""
    queryset = Person.objects.all() if people is None else people
    return match(identity, candidates(queryset, [identity]))


def describe_person(person):
    """A person as a message names them: name, year of birth, group."""
    return f"{person.full_name} ({person.birth_year or '–'}, {person.residential_group.name})"
