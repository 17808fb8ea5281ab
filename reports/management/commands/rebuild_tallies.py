import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from reports import tallies


class Command(BaseCommand):
    help = _(
        "Count the dashboards' tallies again from the records (after restoring a backup, or "
        "writing records by SQL). Every write through the site keeps them up to date."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        tallies.rebuild()
        self.stdout.write(
            _("Tallies counted again in %(seconds).1f s: %(rows)s rows.")
            % {
                "seconds": time.perf_counter() - started,
                "rows": sum(model.objects.count() for model in tallies.TALLIES),
            }
        )
