"""What the machinery tells the apps: what was written, what was exported or imported.

What was written, for the data derived from the records (the dashboards' tallies,
`reports.tallies`) to follow.

`rows_written` is sent inside the writing transaction with the model (`sender`), the records
as written (`written`, with their primary keys) and the records as they were stored before
(`previous`: changed or deleted ones). Bulk inserts (`bulk_create` of the scoped managers, an
import's COPY) send it with `notify_written`, and so do the receivers of Django's own save and
delete signals that want one path for every write.

Inside `writes_batched()`, the notices are gathered and sent once at its end, one per model:
an import or a deletion of many records is followed up once, with its locks taken together.

`data_exported` (`request`, `detail`) and `import_finished` (`user`, `detail`) are for the
security log (`wards.security`), which this package may not import.
"""

import contextlib
import contextvars

from django.dispatch import Signal

rows_written = Signal()
data_exported = Signal()
import_finished = Signal()

_batch = contextvars.ContextVar("rows_written_batch", default=None)

# The models whose writes are followed (by the tallies): a `QuerySet.update()` of them writes
# no record through save() and tells nobody, so it is refused unless its caller reports what
# it wrote inside `writes_batched()` (as an import does): see `wards.scope.ScopedQuerySet.update`.
followed = set()


def follow(*models):
    followed.update(models)


def reported(model):
    """Whether a bulk write of `model` is either unfollowed or inside `writes_batched()`."""
    return model not in followed or _batch.get() is not None


def notify_written(model, *, written=(), previous=()):
    """Send `rows_written` now, or at the end of the open `writes_batched()` block."""
    batch = _batch.get()
    if batch is None:
        rows_written.send(sender=model, written=list(written), previous=list(previous))
        return
    gathered = batch.setdefault(model, ([], []))
    gathered[0].extend(written)
    gathered[1].extend(previous)


@contextlib.contextmanager
def writes_batched():
    """Gather the notices of the writes inside the block and send them at its end (when it
    ends without an error: a failed block's transaction is rolled back anyway). Nested
    blocks belong to the outermost."""
    if _batch.get() is not None:
        yield
        return
    batch = {}
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    for model, (written, previous) in batch.items():
        rows_written.send(sender=model, written=written, previous=previous)
