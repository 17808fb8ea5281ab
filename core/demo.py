"""What the apps' demo loaders share: visibly made-up names and phone numbers, and an
idempotent bulk creation."""

from simple_history.utils import bulk_create_with_history

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
LETTERS = "ABCDĐEGHKLMNPQSTVXY"


def fictitious_name(number, *, female):
    """A visibly made-up name: family name, Văn/Thị, a letter."""
    family = FAMILY_NAMES[number % len(FAMILY_NAMES)]
    letter = LETTERS[(number // len(FAMILY_NAMES)) % len(LETTERS)]
    return f"{family} {'Thị' if female else 'Văn'} {letter}"


def fictitious_phone(number):
    return f"0900 {number // 1000 % 1000:03d} {number % 1000:03d}"


def create_missing(queryset, objects, key_fields):
    """Bulk-create the `objects` whose values of `key_fields` are not yet in `queryset`."""
    existing = set(queryset.values_list(*key_fields))
    new, seen = [], set()
    for obj in objects:
        key = tuple(getattr(obj, field) for field in key_fields)
        if key not in existing and key not in seen:
            seen.add(key)
            new.append(obj)
    # With their history rows, so that the admin's history starts at the demo data.
    bulk_create_with_history(new, queryset.model)
    return len(new)
