"""Import an Excel or CSV file from the command line, with the rules of the admin's imports:
`manage.py import_data member thanh-vien.xlsx [--dry-run] [--user quantri.longbien]`."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.imports import import_file, importers
from core.tables import FileRefused


class Command(BaseCommand):
    help = "Import an Excel (.xlsx) or CSV file, all or nothing, keyed on natural keys."

    def add_arguments(self, parser):
        parser.add_argument("model", choices=sorted(importers()))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user",
            help="import as this user, within their scope (default: no limit of scope)",
        )

    def handle(self, *args, model, file, dry_run, user, **options):
        account = None
        if user:
            try:
                account = get_user_model().objects.get(username=user, is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("There is no active user “%(user)s”.") % {"user": user}
                ) from None
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        importer = importers()[model](user=account)
        try:
            result = import_file(
                importer, file.name, data, commit=not dry_run, progress=self.progress
            )
        except FileRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stderr.write("")
        for error in result.errors[:50]:
            self.stdout.write(
                _("Row %(row)s, column “%(column)s”, value “%(value)s”: %(message)s")
                % {
                    "row": error.row,
                    "column": error.column,
                    "value": "" if error.value is None else error.value,
                    "message": error.message,
                }
            )
        if len(result.errors) > 50:
            self.stdout.write(
                _("… and %(count)s more errors.") % {"count": len(result.errors) - 50}
            )
        summary = _(
            "%(rows)s rows in %(seconds).1f s: %(new)s new, %(changed)s changed, "
            "%(unchanged)s unchanged, %(errors)s with errors. %(outcome)s"
        ) % {
            "rows": result.rows,
            "seconds": result.seconds,
            "new": result.new,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "errors": result.error_rows,
            "outcome": _("Written.")
            if result.written
            else _("Nothing was written (a dry run).")
            if dry_run and not result.errors
            else _("Nothing was written."),
        }
        self.stdout.write(summary)
        if result.errors:
            raise CommandError(_("The file has errors; nothing was written."))

    def progress(self, done, total):
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
