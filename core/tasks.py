"""Background work: each step of an import (check, then import) runs as a django-tasks task,
so that a large file neither holds a request open nor times out."""

import logging

from django.db import DatabaseError
from django.utils.translation import override
from django_tasks import task

from .imports import REFUSED_BY_THE_DATABASE, UNPROCESSED, import_file, importers
from .models import ImportJob
from .tables import FileRefused

logger = logging.getLogger(__name__)


@task()
def run_import(job_id: str, commit: bool):
    """Check the job's file (a dry run), or import it (`commit`), and record the outcome."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    importer = importers()[job.importer](user=job.user)

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    with override("vi"):  # the messages are read later, in the sender's language
        try:
            with job.file.open("rb") as upload:
                data = upload.read()
            result = import_file(importer, job.file_name, data, commit=commit, progress=progress)
        except FileRefused as refusal:
            job.status, job.message = ImportJob.Status.FAILED, str(refusal)
        except DatabaseError:
            logger.exception("import %s failed", job.pk)
            job.status, job.message = ImportJob.Status.FAILED, str(REFUSED_BY_THE_DATABASE)
        except Exception:
            # The job must not stay “being checked” for ever; the log has the details.
            logger.exception("import %s failed", job.pk)
            job.status, job.message = ImportJob.Status.FAILED, str(UNPROCESSED)
        else:
            job.result = result.as_dict()
            job.rows_done = job.rows_total = result.rows
            if result.errors:
                job.status = ImportJob.Status.FAILED if commit else ImportJob.Status.CHECKED
            else:
                job.status = ImportJob.Status.IMPORTED if commit else ImportJob.Status.CHECKED
        job.save()
    if commit or job.status == ImportJob.Status.FAILED or job.result["error_rows"]:
        # Imported, or never to be: the personal data of the file need not wait.
        job.file.delete()
