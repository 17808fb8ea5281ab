"""`in` on integer columns leaves out the numbers no such column holds, as Django's own exact,
lt and gt lookups do (`IntegerFieldOverflow`): SQLite cannot bind an integer beyond 64 bits,
so `pk__in=[10**25]` (a tampered choice of a form's many-to-many field, a list's selected
row) failed instead of matching nothing."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
