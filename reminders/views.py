from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import ErrorsBesideFields


class ReminderSettingsForm(ErrorsBesideFields, forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["email", "email_reminders"]


@login_required
def reminder_settings(request):
    """Each user's own choice: whether deadline reminders are e-mailed, and where to."""
    form = ReminderSettingsForm(request.POST or None, instance=request.user)
    if form.is_valid():
        # Only these two: an administrator's change of the account meanwhile is kept.
        form.instance.save(update_fields=form.Meta.fields)
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:settings")
    return render(request, "reminders/settings.html", {"form": form})
