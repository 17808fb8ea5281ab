"""What every form of the site does with its errors: each beside the field it is about, the
first of them focused, the fields in error marked for screen readers."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import CheckConstraint

from .constraints import fields_named


def constraint_fields(model):
    """{message of a check constraint of `model`: the fields its condition names}."""
    return {
        str(constraint.violation_error_message): fields_named(constraint.condition)
        for constraint in model._meta.constraints
        if isinstance(constraint, CheckConstraint)
    }


class ErrorsBesideFields:
    """A model form whose broken rules show beside their field: a check constraint's message
    goes to the last field its condition names that the form shows (“Resolved feedback
    needs a resolution date” beside the resolution date), not to the top of the form. The
    first field in error gets the focus; every field in error is marked aria-invalid."""

    def _post_clean(self):
        super()._post_clean()
        errors = self._errors.get(NON_FIELD_ERRORS)
        if errors:
            fields = constraint_fields(self._meta.model)
            kept = []
            for error in errors.as_data():
                named = [n for n in fields.get(str(error.message), ()) if n in self.fields]
                if named:
                    self.add_error(named[-1], error)
                else:
                    kept.append(error)
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")
            else:
                del self._errors[NON_FIELD_ERRORS]
        self.mark_errors()

    def mark_errors(self):
        in_error = [name for name in self.fields if name in self._errors]
        for name in in_error:
            self.fields[name].widget.attrs["aria-invalid"] = "true"
        if in_error:
            self.fields[in_error[0]].widget.attrs["autofocus"] = True
