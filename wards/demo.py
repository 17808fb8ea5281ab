"""Demo units: Quận Long Biên and its 14 wards (before the 2025 reform), with residential groups.

Every loader here is idempotent: it creates what is missing and leaves existing rows alone.
"""

import random

from django.contrib.auth.models import Group

from core.demo import create_missing

from .models import District, ResidentialGroup, User, Ward
from .roles import Role

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


DEMO_PASSWORD = "danvan-demo-2019"

# (user name, full name, role or None for the superuser, name of the ward served)
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", None, None),
    ("quantri.longbien", "Quản trị viên (mẫu)", Role.ADMINISTRATOR, None),
    ("canbo.quan", "Cán bộ Ban Dân vận (mẫu)", Role.DISTRICT_STAFF, None),
    ("canbo.thuongthanh", "Cán bộ phường Thượng Thanh (mẫu)", Role.WARD_OFFICER, "Thượng Thanh"),
    ("xem.longbien", "Người xem (mẫu)", Role.VIEWER, None),
]


def load_demo_users(district):
    """One demo login per role; returns (user, role, password still the demo one) rows."""
    rows = []
    for username, full_name, role, ward_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "is_staff": True,
                "is_superuser": role is None,
                "district": district if role not in (None, Role.WARD_OFFICER) else None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role is not None:
                user.groups.add(Group.objects.get(name=role.value))
            if ward_name:
                user.wards.add(Ward.objects.get(district=district, name=ward_name))
        rows.append((user, role, created or user.check_password(DEMO_PASSWORD)))
    return rows
