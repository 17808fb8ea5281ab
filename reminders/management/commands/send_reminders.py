"""E-mail deadline reminders (`deadlines.send_reminders`); run it daily, e.g. from cron:

    0 7 * * * cd /srv/danvan && .venv/bin/python manage.py send_reminders

Running it twice the same day sends nothing the second time."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.periods import command_date

from ...deadlines import send_reminders


class Command(BaseCommand):
    help = "E-mail each officer the deadlines of their wards, once before and once after."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=command_date, help="as on this day (dd/mm/yyyy); default today"
        )

    def handle(self, *args, date, **options):
        sent = send_reminders(today=date)
        self.stdout.write(_("E-mails sent: %(count)s.") % {"count": sent})
