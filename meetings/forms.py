from django import forms
from django.utils.translation import gettext_lazy as _

from wards.pages import date_field

from .models import ProgressReport


class ProgressReportForm(forms.ModelForm):
    period_start = date_field(_("period from"), past_only=False)
    period_end = date_field(_("period to"), past_only=False)

    class Meta:
        model = ProgressReport
        fields = ["period_start", "period_end", "status", "percent", "narrative"]
        widgets = {
            "percent": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
            "narrative": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        # The assignment is not a field of this form (the page names it), so the form does
        # not check the one-report-per-period constraint; it is checked here instead.
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        duplicate = ProgressReport.objects.filter(
            assignment=self.instance.assignment_id, period_start=start, period_end=end
        ).exclude(pk=self.instance.pk)
        if start and end and duplicate.exists():
            raise forms.ValidationError(_("There is already a report for this period."))
        return cleaned
