from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import DocumentSequence, IssuedDocument, document_symbol


def _locked_sequence(key):
    # The row exists before it is locked (made by whichever issue comes first).
    DocumentSequence.objects.bulk_create([DocumentSequence(**key)], ignore_conflicts=True)
    return DocumentSequence.objects.select_for_update().get(**key)


@transaction.atomic
def document_issue(*, district, kind, title, day, user, number=None) -> IssuedDocument:
    """Give a document of `district` the next number of its `kind` in the year of `day`, and
    enter it in the register. The sequence's row is locked until the transaction ends: a
    second issue waits for it, then takes the number after; a number once given is never
    given again, even when the document is later withdrawn.

    `number` enters a document numbered before (on paper): the next ones follow it."""
    key = {"district": district, "kind": kind, "year": day.year}
    sequence = _locked_sequence(key)
    if number is None:
        number = sequence.last + 1
    elif IssuedDocument.objects.filter(**key, number=number).exists():
        raise ValidationError(
            _("Number %(number)s was already given.") % {"number": number}, code="taken"
        )
    sequence.last = max(sequence.last, number)
    sequence.save(update_fields=["last"])
    return IssuedDocument.objects.create(
        **key,
        number=number,
        symbol=document_symbol(kind, district.office_symbol, number),
        title=title,
        issued_on=day,
        issued_by=user,
    )
