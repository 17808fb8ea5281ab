"""Whether two records are one person: the one rule that the forms, the imports and the list
of duplicates apply. The same identity number is the same person; without it, the same
folded name and year of birth with the same phone or the same residential group is; the
same name and year alone is only likely the same, and is asked about, never assumed."""

import dataclasses
import functools
from collections import defaultdict

from core.text import fold

from .models import Person


@dataclasses.dataclass(frozen=True)
class Identity:
    full_name: str
    birth_year: int | None
    phone: str = ""
    group_id: int | None = None
    id_number: str = ""

    @functools.cached_property
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


class People:
    """People (a list) found by folded name or identity number: `match` against them looks
    only at those that share one of the two with the row (no one else can be the same or
    likely the same), so that a file of many rows is matched in linear time."""

    def __init__(self, people=()):
        self.by_name = defaultdict(list)
        self.by_number = defaultdict(list)
        self.order = {}
        for person in people:
            self.add(person)

    def add(self, person):
        self.order[id(person)] = len(self.order)
        self.by_name[person.name_key].append(person)
        if person.id_number:
            self.by_number[person.id_number].append(person)

    def near(self, identity):
        """Those that share the folded name or the identity number of `identity`, in the
        order they were added."""
        near = {id(person): person for person in self.by_name.get(identity.name_key, ())}
        if identity.id_number:
            near.update((id(p), p) for p in self.by_number.get(identity.id_number, ()))
        return sorted(near.values(), key=lambda person: self.order[id(person)])

    def match(self, identity, *, ward=None):
        """`match` against them, or against those who live in the ward `ward` (its id)."""
        near = self.near(identity)
        if ward is not None:
            near = [person for person in near if person.residential_group.ward_id == ward]
        return match(identity, near)


def find(identity, *, people=None):
    """`match` against the stored people (or `people`, a queryset)."""
    queryset = Person.objects.all() if people is None else people
    return match(identity, candidates(queryset, [identity]))


def describe_person(person):
    """A person as a message names them: name, year of birth, group."""
    return f"{person.full_name} ({person.birth_year or '–'}, {person.residential_group.name})"
