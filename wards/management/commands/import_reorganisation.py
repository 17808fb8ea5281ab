"""Apply a reorganisation's plan from an Excel or CSV file, all or nothing:
`manage.py import_reorganisation 1656/NQ-UBTVQH15 phuong-an.xlsx [--dry-run] [--user u]`.
The decision is recorded first (the admin); the file says where each residential group goes
(`reorganisations.plan_from_table`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.tables import FileRefused, read_table

from ...models import Reorganisation, User
from ...reorganisations import PlanRefused, apply, describe, plan_from_table


class Command(BaseCommand):
    help = "Apply a reorganisation's plan from an Excel (.xlsx) or CSV file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("number", help="the decision's number, e.g. 1656/NQ-UBTVQH15")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--user", help="as this user, within the units they may change")

    def handle(self, *args, number, file, dry_run, user, **options):
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("There is no active user “%(user)s”.") % {"user": user})
        reorganisation = Reorganisation.objects.filter(number=number).first()
        if reorganisation is None:
            raise CommandError(_("No decision has the number “%(number)s”.") % {"number": number})
        try:
            table = read_table(file.name, file.read_bytes())
            plan = plan_from_table(table, user=account)
            outcome = apply(reorganisation, plan, user=account, commit=not dry_run)
        except OSError as error:
            raise CommandError(str(error)) from error
        except FileRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except PlanRefused as refusal:
            for error in refusal.errors:
                self.stdout.write(error)
            raise CommandError(_("The plan has errors; nothing was written.")) from refusal
        for line in describe(outcome):
            self.stdout.write(line)
        self.stdout.write(_("Nothing was written (a dry run).") if dry_run else _("Written."))
