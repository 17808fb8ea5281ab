from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorsBesideFields
from core.pages import date_field
from wards.forms import ScopedModelForm
from wards.models import Ward

from .models import (
    Attendee,
    Contribution,
    Directive,
    DirectivePoint,
    DirectiveTask,
    ProgressReport,
    Seminar,
    SeminarSession,
)


class ProgressReportForm(ErrorsBesideFields, forms.ModelForm):
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


# The seminar's editor: the seminar itself, then each of its parts as a table of rows.


class SeminarForm(ErrorsBesideFields, forms.ModelForm):
    class Meta:
        model = Seminar
        fields = [
            "title",
            "theme",
            "organiser",
            "status",
            "introductory_report",
            "discussion_summary",
            "signer_position",
            "recipients",
        ]
        widgets = {
            "theme": forms.Textarea(attrs={"rows": 2}),
            "introductory_report": forms.Textarea(attrs={"rows": 6}),
            "discussion_summary": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
        }


class SeminarRowsFormSet(forms.BaseModelFormSet):
    def get_unique_error_message(self, unique_check):
        # Every part's unique check is a number (within the seminar, or the cluster).
        return _("Two rows have the same number; give each its own.")

    def clean(self):
        super().clean()
        # A blank row has no cleaned data; a deleted one is not kept.
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]
        self.form.check_rows(kept)


class SeminarPartForm(ScopedModelForm):
    """A row of one of the seminar's parts; its choices are the seminar's own records and
    the wards the user sees, read once for all the rows (`choices`, shared by the forms of
    one formset)."""

    def __init__(self, *args, seminar, user, choices, conclusion=None, **kwargs):
        self.seminar, self.user, self.shared_choices = seminar, user, choices
        super().__init__(*args, **kwargs)
        if hasattr(self.instance, "seminar_id"):
            self.instance.seminar = seminar
        if conclusion is not None and hasattr(self.instance, "directive_id"):
            self.instance.directive = conclusion

    def narrow_choices(self):
        querysets = {
            # A seminar's wards are among those the user manages: not a ward that ended
            # (which no one could report from), nor a predecessor they only read.
            Ward: Ward.objects.managed_by(self.user).order_by("sort_name", "code"),
            SeminarSession: self.seminar.sessions.order_by("number"),
            Attendee: self.seminar.attendees.order_by("order", "full_name"),
        }
        for name, field in self.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model in querysets:
                field.queryset = querysets[model]
                if name not in self.shared_choices:
                    self.shared_choices[name] = list(field.choices)
                field.choices = self.shared_choices[name]

    @staticmethod
    def check_rows(forms):
        """Rules across the rows kept (each valid on its own): an error beside a field."""

    def _get_validation_exclusions(self):
        # The seminar is set on the row, not typed in the form: check the constraints it is
        # part of (one number per seminar) like the others.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("seminar")
        exclusions.discard("directive")
        return exclusions


class SessionForm(SeminarPartForm):
    date = date_field(_("date"), past_only=False)

    class Meta:
        model = SeminarSession
        fields = ["number", "date", "venue", "wards"]
        widgets = {
            "number": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "wards": forms.CheckboxSelectMultiple,
        }

    @staticmethod
    def check_rows(forms):
        """A ward takes part in one cluster of the seminar: ticked in a second, it is refused
        there."""
        clusters = {}
        for form in forms:
            for ward in form.cleaned_data.get("wards", ()):
                first = clusters.setdefault(ward.pk, form)
                if first is not form:
                    form.add_error(
                        "wards",
                        _("%(ward)s is already in cluster %(number)s.")
                        % {"ward": ward, "number": first.cleaned_data.get("number")},
                    )


class AttendeeForm(SeminarPartForm):
    class Meta:
        model = Attendee
        fields = ["order", "full_name", "title", "organisation", "role", "session"]
        widgets = {"order": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0})}


class ContributionForm(SeminarPartForm):
    """One opinion; left without a place, it comes after the cluster's last one."""

    class Meta:
        model = Contribution
        fields = [
            "session",
            "order",
            "speaker",
            "speaker_title",
            "ward",
            "unit",
            "fields",
            "summary",
        ]
        widgets = {
            "order": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


class DirectivePointForm(SeminarPartForm):
    class Meta:
        model = DirectivePoint
        fields = ["number", "session", "speaker", "text"]
        widgets = {
            "number": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "text": forms.Textarea(attrs={"rows": 2}),
        }


class DirectiveTaskForm(SeminarPartForm):
    """A conclusion task; saving it gives it to every ward of the seminar's clusters, due on
    `due_on`."""

    due_on = date_field(_("due on"), required=False, past_only=False)

    class Meta:
        model = DirectiveTask
        fields = ["number", "category", "text", "rhythm"]
        widgets = {
            "number": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rows come with their earliest due date (`first_due`, see the editor's PARTS).
        self.initial.setdefault("due_on", getattr(self.instance, "first_due", None))
        self.fields["rhythm"].required = False  # left empty: reported once

    def clean_rhythm(self):
        return self.cleaned_data["rhythm"] or DirectiveTask.Rhythm.ONCE


# Directives that are not a seminar's: the document, its tasks, and to whom they are given.


class DirectiveForm(ErrorsBesideFields, forms.ModelForm):
    signed_on = date_field(_("signed on"), required=False)

    class Meta:
        model = Directive
        fields = ["kind", "number", "signed_on", "issuer", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A conclusion notice is made with its seminar's tasks (the seminar's editor).
        self.fields["kind"].choices = [
            choice
            for choice in self.fields["kind"].choices
            if choice[0] != Directive.Kind.CONCLUSION
        ]


class DirectiveTaskRowForm(ErrorsBesideFields, forms.ModelForm):
    """A task of a directive, as a row of its tasks' table."""

    class Meta:
        model = DirectiveTask
        fields = ["number", "category", "text", "rhythm", "bodies"]
        widgets = {
            "number": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "bodies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, directive, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.directive = directive

    def _get_validation_exclusions(self):
        # One number per directive: checked like the form's own fields.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("directive")
        return exclusions


class AssignmentForm(forms.Form):
    """Give tasks of a directive to every ward of its unit, or to some, due on a day."""

    tasks = forms.ModelMultipleChoiceField(
        label=_("Tasks"),
        queryset=DirectiveTask.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    every_ward = forms.BooleanField(
        label=_("Every ward of the unit"),
        required=False,
        initial=True,
        help_text=_("Unless wards are chosen below."),
    )
    wards = forms.ModelMultipleChoiceField(
        label=_("Or these wards"),
        queryset=Ward.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = date_field(_("due on"), required=False, past_only=False)

    def __init__(self, *args, directive, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = directive.tasks.order_by("number")
        self.fields["tasks"].initial = list(directive.tasks.values_list("pk", flat=True))
        self.fields["wards"].queryset = wards
        self.unit_wards = wards

    def clean(self):
        data = super().clean()
        if data.get("wards"):  # chosen wards, whether or not "every ward" stayed ticked
            return data
        if data.get("every_ward"):
            data["wards"] = list(self.unit_wards)
        elif not self.has_error("wards"):
            self.add_error("wards", _("Choose the wards, or every ward of the unit."))
        return data
