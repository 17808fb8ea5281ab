"""What is due: the tasks given to wards, neither completed nor handed over to a successor
ward, by their due date; and the wards' work reports not sent yet, by their period's
deadline. A user's home page lists those of the wards they may change (`due_for`);
`send_reminders` e-mails the wards' officers before and after each deadline.
"""

import dataclasses
import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import ProgressReport, TaskAssignment
from wards.models import Ward, existing_during
from wards.scope import managed_wards
from workreports.models import WardReport

from .models import SentReminder

logger = logging.getLogger(__name__)

SOON_DAYS = 7  # "due soon": within a week
SHOWN = 10  # the first deadlines of each list a page shows
AFTER_DAYS = 7  # a deadline passed longer ago than this is not e-mailed about any more


ORDER = ["due_on", "ward__sort_name", "task__directive_id", "task__number"]
REPORT_ORDER = ["period__deadline", "ward__sort_name", "period__start"]
# What a deadline shows, and no more: the seminar's and the task's long texts stay behind.
SHOWN_FIELDS = [
    "due_on",
    "ward__code",
    "ward__kind",
    "ward__name",
    "task__number",
    "task__text",
    "task__directive__title",
]


@dataclasses.dataclass(frozen=True)
class Deadline:
    key: str  # names the record and its due date: a new due date is a new deadline
    title: str
    ward: Ward
    due_on: datetime.date
    url: str  # the page where it is reported


@dataclasses.dataclass(frozen=True)
class Due:
    soon: list  # the first deadlines of the next SOON_DAYS days, soonest first
    soon_more: int  # how many more
    overdue: list  # the first deadlines passed, longest passed first
    overdue_more: int
    soon_days: int = SOON_DAYS


def open_tasks(wards, *, today):
    """The tasks given to those of `wards` that exist `today`, with a due date, neither
    completed (by their latest report) nor handed over by then (a reorganisation to come
    hands them over on its day), soonest due first."""
    latest = ProgressReport.objects.filter(assignment=OuterRef("pk")).order_by(
        "-period_end", "-reported_at"
    )
    still_open = Q(latest_status__isnull=True) | Q(
        latest_status__in=[ProgressReport.Status.NOT_STARTED, ProgressReport.Status.IN_PROGRESS]
    )
    not_handed_over = Q(handed_over_on__isnull=True) | Q(handed_over_on__gt=today)
    return (
        TaskAssignment.objects.filter(
            not_handed_over,
            ward__in=wards.filter(existing_during(today, today)),
            due_on__isnull=False,
        )
        .annotate(latest_status=Subquery(latest.values("status")[:1]))
        .filter(still_open)
        .select_related("task__directive", "ward")
        .only(*SHOWN_FIELDS)
        .order_by(*ORDER)
    )


def deadline(assignment):
    task = assignment.task
    return Deadline(
        key=f"task:{assignment.pk}:{assignment.due_on:%Y-%m-%d}",
        title=_("%(seminar)s, task %(task)s") % {"task": task, "seminar": task.directive},
        ward=assignment.ward,
        due_on=assignment.due_on,
        url=reverse("reports:ward_home", args=[assignment.ward.code]),
    )


def open_reports(wards, *, today):
    """The work reports of those of `wards` that exist `today`, not sent yet (a draft, or
    returned for changes), soonest deadline first."""
    return (
        WardReport.objects.filter(
            ward__in=wards.filter(existing_during(today, today)),
            state__in=[WardReport.State.DRAFT, WardReport.State.RETURNED],
        )
        .select_related("period", "ward")
        .only(
            "state",
            "period__kind",
            "period__start",
            "period__end",
            "period__deadline",
            "ward__code",
            "ward__kind",
            "ward__name",
        )
        .order_by(*REPORT_ORDER)
    )


def report_deadline(report):
    return Deadline(
        key=f"report:{report.pk}:{report.period.deadline:%Y-%m-%d}",
        title=_("Work report of %(period)s") % {"period": report.period},
        ward=report.ward,
        due_on=report.period.deadline,
        url=report.get_absolute_url(),
    )


def due_for(user, *, today=None):
    """What the wards `user` may change have due in the next SOON_DAYS days and what is
    overdue: the first SHOWN of each, and how many more, in one query for the tasks and one
    for the reports (each row numbered and counted within its list). A superuser's home
    lists none. Three queries."""
    if user.is_superuser:  # the whole country's: nobody's to be reminded of
        return Due([], 0, [], 0)
    today = today or timezone.localdate()
    # Read first: as a subquery, the planner reckons every ward of the country may be among
    # them and reads every open task of the country (34 ms at national scale, 0.1 now).
    ids = managed_wards(user).filter(existing_during(today, today)).values_list("pk", flat=True)
    wards = Ward.objects.filter(pk__in=list(ids))
    soon, late, more = [], [], {False: 0, True: 0}
    for rows, day, order, make in (
        (open_tasks(wards, today=today), "due_on", ORDER, deadline),
        (open_reports(wards, today=today), "period__deadline", REPORT_ORDER, report_deadline),
    ):
        overdue = Case(When(**{f"{day}__lt": today}, then=Value(True)), default=Value(False))
        rows = (
            rows.filter(**{f"{day}__lte": today + datetime.timedelta(SOON_DAYS)})
            .annotate(
                overdue=overdue,
                place=Window(RowNumber(), partition_by=[overdue], order_by=order),
                listed=Window(Count("pk"), partition_by=[overdue]),
            )
            .filter(place__lte=SHOWN)
        )
        listed = {}
        for row in rows:
            (late if row.overdue else soon).append(make(row))
            listed[row.overdue] = row.listed
        for overdue, count in listed.items():
            more[overdue] += max(count - SHOWN, 0)
    # The first SHOWN of both, soonest first (the longest overdue first); the rest counted.
    soon.sort(key=lambda item: item.due_on)
    late.sort(key=lambda item: item.due_on)
    more[False] += max(len(soon) - SHOWN, 0)
    more[True] += max(len(late) - SHOWN, 0)
    return Due(soon[:SHOWN], more[False], late[:SHOWN], more[True])


def send_reminders(*, today=None, days_before=None):
    """E-mail each officer, once, the deadlines of the wards they serve that come in the
    next `days_before` days (settings.REMINDER_DAYS_BEFORE) and those that passed in the
    last AFTER_DAYS days: one e-mail a user, of what they have not been sent yet. Users
    who turned reminders off, or have no address, get none. Returns the number of e-mails
    sent; running it again the same day sends none."""
    today = today or timezone.localdate()
    if days_before is None:
        days_before = settings.REMINDER_DAYS_BEFORE
    tasks = open_tasks(Ward.objects.all(), today=today).filter(
        due_on__gte=today - datetime.timedelta(AFTER_DAYS),
        due_on__lte=today + datetime.timedelta(days_before),
    )
    reports = open_reports(Ward.objects.all(), today=today).filter(
        period__deadline__gte=today - datetime.timedelta(AFTER_DAYS),
        period__deadline__lte=today + datetime.timedelta(days_before),
    )
    by_ward = defaultdict(list)
    for task in tasks:
        by_ward[task.ward_id].append(deadline(task))
    for report in reports:
        by_ward[report.ward_id].append(report_deadline(report))
    User = get_user_model()
    officers = User.wards.through.objects.filter(
        ward__in=list(by_ward),
        user__is_active=True,
        user__email_reminders=True,
    ).exclude(user__email="")
    items = defaultdict(list)
    for user_id, ward_id in officers.values_list("user", "ward"):
        for item in by_ward[ward_id]:
            kind = SentReminder.Kind.BEFORE if item.due_on >= today else SentReminder.Kind.AFTER
            items[user_id].append((item, kind))
    sent = set(
        SentReminder.objects.filter(
            user__in=list(items),
            key__in={item.key for rows in items.values() for item, _k in rows},
        ).values_list("user", "key", "kind")
    )
    emails = 0
    for user in User.objects.filter(pk__in=list(items)).order_by("pk"):
        new = [
            (item, kind) for item, kind in items[user.pk] if (user.pk, item.key, kind) not in sent
        ]
        if new and _send(user, new, today):
            emails += 1
    return emails


def _send(user, items, today):
    """One e-mail of `items` to `user`, recorded in the same transaction; False when a run
    at the same moment recorded them first."""
    soon = [item for item, kind in items if kind == SentReminder.Kind.BEFORE]
    overdue = [item for item, kind in items if kind == SentReminder.Kind.AFTER]
    subject = ", ".join(
        part
        for part in (
            soon
            and ngettext("%(count)d deadline soon", "%(count)d deadlines soon", len(soon))
            % {"count": len(soon)},
            overdue
            and ngettext("%(count)d deadline passed", "%(count)d deadlines passed", len(overdue))
            % {"count": len(overdue)},
        )
        if part
    )
    body = render_to_string(
        "reminders/email.txt",
        {
            "user": user,
            "soon": soon,
            "overdue": overdue,
            "today": today,
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )
    try:
        with transaction.atomic():
            SentReminder.objects.bulk_create(
                [SentReminder(user=user, key=item.key, kind=kind) for item, kind in items]
            )
            send_mail(f"[Dân vận] {subject}", body, None, [user.email])
    except IntegrityError:
        return False
    except (smtplib.SMTPException, OSError):
        # One address refused, or the server away: the others are still sent; this one is
        # tried again by the next run (nothing was recorded).
        logger.exception("Reminder to %s not sent", user.email)
        return False
    return True
