"""The reminders as a daily job of the background worker (`manage.py db_worker`): each run
sends the day's reminders and enqueues the next run at REMINDER_HOUR; after every `migrate`
the first is enqueued when none is waiting. Cron may run `manage.py send_reminders` instead,
or as well: each reminder is sent once whichever runs first (`SentReminder`)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .deadlines import send_reminders


@task()
def send_daily_reminders() -> int:
    # The next run first: an e-mail server away, or a crash, must not end the daily chain.
    schedule_reminders()
    return send_reminders()


def next_run(now):
    """REMINDER_HOUR o'clock (local time) after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=settings.REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def schedule_reminders(*, now=None):
    """Enqueue the next daily run, and return it; None when one is already waiting, or when
    the tasks backend runs nothing later (the tests' immediate backend)."""
    backend = send_daily_reminders.get_backend()
    if not backend.supports_defer:
        return None
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=send_daily_reminders.module_path, status=TaskResultStatus.READY
        )
        if waiting.exists():
            return None
    return send_daily_reminders.using(run_after=next_run(now or timezone.now())).enqueue()


def schedule_after_migrate(**kwargs):
    schedule_reminders()
