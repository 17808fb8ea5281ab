from django.db import transaction

from .models import DocumentSequence, IssuedDocument, document_symbol


@transaction.atomic
def document_issue(*, district, kind, title, day, user) -> IssuedDocument:
    """Give a document of `district` the next number of its `kind` in the year of `day`, and
    enter it in the register. The sequence's row is locked until the transaction ends: a
    second issue waits for it, then takes the number after; a number once given is never
    given again, even when the document is later withdrawn."""
    key = {"district": district, "kind": kind, "year": day.year}
    # The row exists before it is locked (made by whichever issue comes first).
    DocumentSequence.objects.bulk_create([DocumentSequence(**key)], ignore_conflicts=True)
    sequence = DocumentSequence.objects.select_for_update().get(**key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return IssuedDocument.objects.create(
        **key,
        number=sequence.last,
        symbol=document_symbol(kind, district.office_symbol, sequence.last),
        title=title,
        issued_on=day,
        issued_by=user,
    )
