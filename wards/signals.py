"""Writes that bypass the models' `save()`: bulk inserts (`bulk_create`, an import's COPY)
and an import's bulk updates. Receivers keep what is derived from the records (the
dashboards' tallies, `reports.tallies`) up to date."""

from django.dispatch import Signal

# Sent inside the writing transaction with the model (`sender`), the records written
# (`written`, with their primary keys) and, for changed records, those records as they were
# stored before (`previous`).
rows_written = Signal()
