"""What every form of scoped records shares: links to records outside the user's scope are
kept, and values from the request are checked before they reach a query."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorsBesideFields

# What a select shows for a linked record that the user does not see.
HIDDEN_RECORD = _("(a record outside your scope)")

# The largest key the databases store (a 64-bit integer).
MAX_INTEGER_KEY = 2**63 - 1


def clean_key(field, value):
    """`value` (from a URL, a query string or a form) as a value of the key `field`, or None
    when it cannot be one: “abc”, “1.5” or 10**30 for an integer key."""
    try:
        value = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None
    if isinstance(value, int) and not -MAX_INTEGER_KEY <= value <= MAX_INTEGER_KEY:
        return None
    return value


class ScopedModelForm(ErrorsBesideFields, forms.ModelForm):
    """A form whose choices of related records are narrowed to the user's scope, and which,
    saved unchanged, changes nothing the user cannot see:

    - a many-to-many field keeps the links to the records it does not offer (another unit's
      ward in a shared cluster, another ward's attendee of a training): the form starts
      from the links it shows and adds the others back when it is saved;
    - a foreign key linked to a record it does not offer offers that record too, under a
      label that does not name it, so that the page shows the link and posts it back.

    Subclasses narrow their choices in `narrow_choices()`; the admin narrows them when it
    makes the form class (`admin_base.ScopedFieldsMixin`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.narrow_choices()
        self.hidden_links = {}
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or name not in self.initial:
                continue
            initial = self.initial[name]
            if isinstance(field, forms.ModelMultipleChoiceField):
                linked = {getattr(item, "pk", item): item for item in initial or ()}
                offered = _offered(field, list(linked))
                self.initial[name] = [item for pk, item in linked.items() if pk in offered]
                self.hidden_links[name] = [
                    item for pk, item in linked.items() if pk not in offered
                ]
            elif initial is not None and not _offered(field, [initial]):
                _offer_hidden_record(field, initial)

    def narrow_choices(self):
        """Narrow the fields' choices to the user's scope."""

    def clean(self):
        cleaned = super().clean()
        for name, hidden in self.hidden_links.items():
            if hidden and cleaned.get(name) is not None:
                cleaned[name] = [*cleaned[name], *hidden]
        return cleaned


def _fixed_choices(field):
    """The field's choices when they are a list read once for the forms of many rows."""
    return getattr(field, "_choices", None)


def _offered(field, pks):
    """Those of `pks` that `field` offers."""
    fixed = _fixed_choices(field)
    if fixed is not None:
        values = {str(value) for value, _label in fixed}
        return {pk for pk in pks if str(pk) in values}
    if not pks:
        return set()
    return set(field.queryset.filter(pk__in=pks).values_list("pk", flat=True))


def _offer_hidden_record(field, pk):
    fixed = _fixed_choices(field)
    field.queryset = field.queryset | field.queryset.model._base_manager.filter(pk=pk)
    shown = field.label_from_instance
    field.label_from_instance = lambda obj: HIDDEN_RECORD if obj.pk == pk else shown(obj)
    if fixed is not None:
        field.choices = [*fixed, (pk, HIDDEN_RECORD)]
    # The admin wraps the select (add/change links); the inner widget renders the options.
    inner = getattr(field.widget, "widget", None)
    if inner is not None:
        inner.choices = field.widget.choices
