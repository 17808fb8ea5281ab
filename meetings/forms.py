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
