"""Record a reorganisation and apply its plan from an Excel or CSV file, all or nothing:

    manage.py import_reorganisation 1656/NQ-UBTVQH15 phuong-an.xlsx --kind resolution \
        --signed-on 16/06/2025 --effective-on 01/07/2025 --issuer "Ủy ban Thường vụ Quốc hội" \
        --title "Về việc sắp xếp …" [--dry-run] [--user u]

A decision already recorded under that number is applied as it is. The file says where each
residential group goes (`reorganisations.plan_from_table`)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from core.periods import command_date
from core.tables import FileRefused, read_table

from ...models import Reorganisation, User
from ...reorganisations import PlanRefused, apply, describe, plan_from_table

DECISION_FIELDS = ("kind", "signed_on", "effective_on", "issuer", "title")


class Command(BaseCommand):
    help = "Apply a reorganisation's plan from an Excel (.xlsx) or CSV file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("number", help="the decision's number, e.g. 1656/NQ-UBTVQH15")
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=Reorganisation.Kind.values)
        parser.add_argument("--signed-on", type=command_date, help="dd/mm/yyyy")
        parser.add_argument("--effective-on", type=command_date, help="dd/mm/yyyy")
        parser.add_argument("--issuer")
        parser.add_argument("--title")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--user", help="as this user, within the units they may change")

    def handle(self, *args, number, file, dry_run, user, **options):
        decision = {name: options[name] for name in DECISION_FIELDS}
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(_("There is no active user “%(user)s”.") % {"user": user})
        found = Reorganisation.objects.filter(number=number)
        if decision["issuer"]:
            found = found.filter(issuer=decision["issuer"])
        if found.count() > 1:
            raise CommandError(
                _("Several issuers have a decision “%(number)s”: give --issuer.")
                % {"number": number}
            )
        reorganisation = found.first()
        if reorganisation is None:
            missing = [name for name, value in decision.items() if not value]
            if missing:
                raise CommandError(
                    _(
                        "No decision has the number “%(number)s”: give its %(missing)s to "
                        "record it."
                    )
                    % {
                        "number": number,
                        "missing": ", ".join(f"--{m.replace('_', '-')}" for m in missing),
                    }
                )
            reorganisation = Reorganisation(number=number, **decision)
        try:
            table = read_table(file.name, file.read_bytes())
            plan = plan_from_table(table, user=account)
            with transaction.atomic():
                if reorganisation.pk is None:
                    reorganisation.full_clean()
                    reorganisation.save()
                outcome = apply(reorganisation, plan, user=account, commit=not dry_run)
                if dry_run:
                    transaction.set_rollback(True)  # the decision is not recorded either
        except OSError as error:
            raise CommandError(str(error)) from error
        except FileRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PlanRefused as refusal:
            for error in refusal.errors:
                self.stdout.write(error)
            raise CommandError(_("The plan has errors; nothing was written.")) from refusal
        for line in describe(outcome):
            self.stdout.write(line)
        self.stdout.write(_("Nothing was written (a dry run).") if dry_run else _("Written."))
