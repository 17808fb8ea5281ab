"""The dashboards' tallies: counts of the teams' records per ward or managing unit, kept up to
date on every write (`tallies.py`), so that a dashboard over thousands of wards sums a few
hundred thousand tally rows instead of scanning millions of activities.

They are derived data: `manage.py rebuild_tallies` computes them again from the records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.work_fields import WorkField
from teams.models import Member
from wards.models import District, Ward


class MonthCounts(models.Model):
    """Activities (and the households they reached) dated in a month, and citizen feedback
    received in that month, with how much of it is resolved."""

    month = models.DateField(_("month"))  # its first day
    activities = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    feedback_received = models.PositiveIntegerField(default=0)
    feedback_resolved = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class MemberCounts(models.Model):
    """Current members who represent an organisation, or (organisation "") all of them: the
    seats and the party members among them; and in the row for all, the people, each once
    however many teams they sit in (one person can sit in two, and represent two
    organisations). An organisation's people are not counted (None): nothing reads them, and
    each would cost a sort of the place's members at every save."""

    organisation = models.CharField(max_length=20, choices=Member.Organisation.choices, blank=True)
    members = models.PositiveIntegerField(default=0)
    party_members = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class WardMonth(MonthCounts):
    """A ward's month."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="month_tallies")
    ward_path = "ward"

    class Meta:
        verbose_name = _("tally of a ward's month")
        constraints = [
            models.UniqueConstraint(fields=["ward", "month"], name="ward_month_unique"),
        ]
        indexes = [
            # With the count, the order of the wards by activity reads the index alone.
            models.Index(fields=["month", "ward", "activities"], name="ward_month_month_idx"),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.month:%m/%Y}"


class DistrictMonth(MonthCounts):
    """A managing unit's month in one field: a dashboard over whole units (a district's
    staff, the country) sums a few rows per unit instead of one per ward, and draws its
    activity chart by field, which `WardMonth` leaves out."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=30, choices=WorkField.choices)

    class Meta:
        verbose_name = _("tally of a managing unit's month")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "month", "field"], name="district_month_unique"
            ),
        ]
        indexes = [
            # The country's sums and chart of a range of months read the index alone
            # (PostgreSQL): 54,000 rows of a year in 8 ms instead of 22 from the table.
            models.Index(
                fields=["month", "field"],
                include=[
                    "district",
                    "activities",
                    "households",
                    "feedback_received",
                    "feedback_resolved",
                ],
                name="district_month_cover_idx",
            ),
        ]

    def __str__(self):
        return f"{self.district_id} {self.month:%m/%Y} {self.field}"


class WardMembers(MemberCounts):
    """A ward's current members."""

    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")
    ward_path = "ward"

    class Meta:
        verbose_name = _("tally of a ward's members")
        constraints = [
            models.UniqueConstraint(fields=["ward", "organisation"], name="ward_members_unique"),
        ]

    def __str__(self):
        return f"{self.ward_id} {self.organisation}"


class DistrictMembers(MemberCounts):
    """A managing unit's current members, for a dashboard over whole units."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("tally of a managing unit's members")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "organisation"], name="district_members_unique"
            ),
        ]

    def __str__(self):
        return f"{self.district_id} {self.organisation}"
