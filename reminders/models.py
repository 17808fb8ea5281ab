from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """A reminder e-mailed once: of one deadline (`key` names the record and its due date, so
    a new due date is reminded of again), to one user, before or after it. The row is written
    in the transaction that sends the e-mail: a second run finds it and sends nothing, and an
    e-mail that fails leaves no row, to be sent by the next run."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the deadline")
        AFTER = "after", _("After the deadline")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("deadline"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "key", "kind"], name="sent_reminder_unique"),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_kind_display()}) → {self.user}"
