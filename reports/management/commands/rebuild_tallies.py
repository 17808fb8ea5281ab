import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports import tallies

SHOWN = 5  # rows shown of each difference


class Command(BaseCommand):
    help = _(
        "Count the dashboards' tallies again from the records (after restoring a backup, or "
        "writing records by SQL). Every write through the site keeps them up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help=_(
                "Only compare the stored tallies with a full recount and list the "
                "differences; change nothing (the exit status is 1 when they differ)."
            ),
        )

    def handle(self, *args, check=False, **options):
        started = time.perf_counter()
        if check:
            self.check_tallies(started)
            return
        tallies.rebuild()
        self.stdout.write(
            _("Tallies counted again in %(seconds).1f s: %(rows)s rows.")
            % {
                "seconds": time.perf_counter() - started,
                "rows": sum(model.objects.count() for model in tallies.TALLIES),
            }
        )

    def check_tallies(self, started):
        found = tallies.differences()
        for model, (only_stored, only_counted) in found.items():
            self.stdout.write(
                _(
                    "%(table)s: %(stored)s rows stored that a recount does not give, "
                    "%(counted)s rows a recount gives that are not stored."
                )
                % {
                    "table": model._meta.db_table,
                    "stored": len(only_stored),
                    "counted": len(only_counted),
                }
            )
            for sign, rows in (("-", only_stored), ("+", only_counted)):
                for row in rows[:SHOWN]:
                    self.stdout.write(f"  {sign} {row}")
        seconds = time.perf_counter() - started
        if found:
            raise CommandError(
                _("The tallies differ from a recount (%(seconds).1f s).") % {"seconds": seconds}
            )
        self.stdout.write(
            _("The tallies equal a full recount (%(seconds).1f s).") % {"seconds": seconds}
        )
