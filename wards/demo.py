"""Demo units: Quận Long Biên and its 14 wards (before the 2025 reform), with residential groups.

Every loader here is idempotent: it creates what is missing and leaves existing rows alone.
"""

import random

from .models import District, ResidentialGroup, User, Ward

# Official codes of the administrative units; cluster of the seed seminar (north/south of
# the district, a guess: the article does not say which ward sat where).
LONG_BIEN_WARDS = [
    ("00115", "Thượng Thanh", 1),
    ("00118", "Ngọc Thụy", 1),
    ("00121", "Giang Biên", 1),
    ("00124", "Đức Giang", 1),
    ("00127", "Việt Hưng", 1),
    ("00130", "Gia Thụy", 1),
    ("00136", "Phúc Lợi", 1),
    ("00133", "Ngọc Lâm", 2),
    ("00139", "Bồ Đề", 2),
    ("00142", "Sài Đồng", 2),
    ("00145", "Long Biên", 2),
    ("00148", "Thạch Bàn", 2),
    ("00151", "Phúc Đồng", 2),
    ("00154", "Cự Khối", 2),
]

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
    queryset.model.objects.bulk_create(new)
    return len(new)


def load_demo_units():
    """The district, its 14 wards and 3–5 residential groups in each."""
    district, _ = District.objects.get_or_create(
        code="004",
        defaults={
            "name": "Long Biên",
            "kind": District.Kind.URBAN_DISTRICT,
            "province": "Hà Nội",
            "party_committee": "Quận ủy Long Biên",
        },
    )
    for code, name, _cluster in LONG_BIEN_WARDS:
        ward, _ = Ward.objects.get_or_create(
            code=code, defaults={"district": district, "name": name, "kind": Ward.Kind.WARD}
        )
        rng = random.Random(f"groups-{code}")
        groups = []
        for number in range(1, 3 + rng.randrange(3) + 1):
            households = rng.randrange(150, 450)
            groups.append(
                ResidentialGroup(
                    ward=ward,
                    code=f"{number:02d}",
                    name=f"Tổ dân phố số {number}",
                    households=households,
                    population=households * rng.randrange(30, 42) // 10,
                )
            )
        create_missing(ResidentialGroup.objects.filter(ward=ward), groups, ["ward_id", "code"])
    return district


DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "danvan-demo-2019"


def load_demo_admin():
    """The demo administrator; returns it and whether it was created now."""
    user, created = User.objects.get_or_create(
        username=DEMO_ADMIN_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Quản trị"},
    )
    if created:
        user.set_password(DEMO_ADMIN_PASSWORD)
        user.save(update_fields=["password"])
    return user, created
