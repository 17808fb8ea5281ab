"""A check constraint's condition evaluated in Python, as the database evaluates it, so that an
import names the rows that break it before anything is written (`imports.Importer`); compared
with Django's own `CheckConstraint.validate` in `tests/test_constraints.py`."""

from django.db.models import F, Q


def _compare(operator):
    def compare(value, other):
        if value is None or other is None:
            return None  # SQL's unknown: a check constraint passes on it
        return operator(value, other)

    return compare


LOOKUPS = {
    "exact": _compare(lambda value, other: value == other),
    "isnull": lambda value, other: (value is None) == other,
    "gte": _compare(lambda value, other: value >= other),
    "lte": _compare(lambda value, other: value <= other),
    "gt": _compare(lambda value, other: value > other),
    "lt": _compare(lambda value, other: value < other),
    "range": _compare(lambda value, other: other[0] <= value <= other[1]),
    "in": _compare(lambda value, other: value in other),
}


def satisfies(condition, instance):
    """Whether `instance` meets a check constraint's condition (a Q of the lookups above on
    its own fields, values or F() of other fields), as the database would judge it: the
    check fails only when the condition is false, not when it is unknown (NULL)."""
    return _evaluate(condition, instance) is not False


def _evaluate(condition, instance):
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, instance))
            continue
        lookup, other = child
        name, _, kind = lookup.partition("__")
        if isinstance(other, F):
            other = getattr(instance, other.name)
        attribute = instance._meta.get_field(name).attname
        results.append(LOOKUPS[kind or "exact"](getattr(instance, attribute), other))
    if condition.connector == Q.AND:
        met = False if False in results else (None if None in results else True)
    else:
        met = True if True in results else (None if None in results else False)
    return met if met is None or not condition.negated else not met


def fields_named(condition):
    """The fields a condition is about, in the order it names them (the fields of its
    lookups; those of F() are compared with)."""
    names = []
    for child in condition.children:
        if isinstance(child, Q):
            names += fields_named(child)
        else:
            names.append(child[0].partition("__")[0])
    return names
