"""Demo units: Quận Long Biên and its 14 wards with their residential groups, and the reform
of 1/7/2025 that merged and split them into four new wards under the city of Hà Nội.

Every loader here is idempotent: it creates what is missing and leaves existing rows alone.
"""

import datetime
import random

from django.contrib.auth.models import Group

from core.demo import create_missing

from .models import District, Reorganisation, ResidentialGroup, User, Ward
from .reorganisations import Move, NewGroup, NewWard, Plan, apply
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
            "office": "Ban Dân vận Quận ủy",
            "office_symbol": "BDVQU",
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


# The reform (Nghị quyết 1656/NQ-UBTVQH15, in force from 1/7/2025): Long Biên's wards became
# parts of four new wards of the city. Codes of the demo: the national codes of the new wards
# are not in the sources.
REFORM_DAY = datetime.date(2025, 7, 1)
NEW_WARDS = [
    ("90001", "Long Biên"),
    ("90002", "Phúc Lợi"),
    ("90003", "Bồ Đề"),
    ("90004", "Việt Hưng"),
]
# Where each old ward's residential groups went: its groups in order, shared out between the
# new wards by these fractions. The resolution divides wards by area and people, not by
# groups: where a ward was split, the division by groups is the demo's estimate.
REFORM_SHARES = {
    "Long Biên": [("90001", 1)],
    "Cự Khối": [("90001", 1)],  # its other part went with xã Bát Tràng, outside the demo
    "Phúc Đồng": [("90001", 1 / 2), ("90002", 1 / 2)],
    "Thạch Bàn": [("90001", 1 / 2), ("90002", 1 / 2)],
    "Bồ Đề": [("90003", 2 / 3), ("90001", 1 / 3)],
    "Gia Thụy": [("90003", 2 / 3), ("90001", 1 / 3)],
    "Phúc Lợi": [("90002", 1)],
    "Việt Hưng": [("90004", 2 / 3), ("90002", 1 / 3)],
    "Giang Biên": [("90004", 2 / 3), ("90002", 1 / 3)],
    "Ngọc Lâm": [("90003", 1)],
    "Ngọc Thụy": [("90003", 1)],
    "Đức Giang": [("90004", 1)],
    "Thượng Thanh": [("90004", 1)],
    "Sài Đồng": [("90004", 1)],  # among “the rest”: which new ward is the demo's guess
}
SPLIT_NOTE = "Một phần; phần chia theo tổ dân phố là ước tính của dữ liệu mẫu."
# Wards all of whose demo groups went to one new ward, though the resolution gives it only a
# part (or most) of them, the rest lying outside the demo.
PART_NOTES = {
    "Cự Khối": "Một phần; phần còn lại cùng xã Bát Tràng (huyện Gia Lâm) nằm ngoài dữ liệu mẫu.",
    "Phúc Lợi": "Phần lớn; phần còn lại nằm ngoài dữ liệu mẫu.",
}


def load_demo_reform(district):
    """The city of Hà Nội as the managing unit from 1/7/2025, and the reform applied to the
    demo's wards (once): two old groups at a time merge into a new, renumbered group."""
    city, _ = District.objects.get_or_create(
        code="01",
        defaults={
            "name": "Hà Nội",
            "kind": District.Kind.CITY,
            "province": "Hà Nội",
            "party_committee": "Thành ủy Hà Nội",
            "office": "Ban Tuyên giáo và Dân vận Thành ủy",
            "office_symbol": "BTGDVTU",
            "valid_from": REFORM_DAY,
        },
    )
    reform, _ = Reorganisation.objects.get_or_create(
        issuer="Ủy ban Thường vụ Quốc hội",
        number="1656/NQ-UBTVQH15",
        defaults={
            "kind": Reorganisation.Kind.RESOLUTION,
            "signed_on": datetime.date(2025, 6, 16),
            "title": "Về việc sắp xếp các đơn vị hành chính cấp xã của thành phố Hà Nội năm 2025",
            "effective_on": REFORM_DAY,
        },
    )
    if reform.applied_at is None:
        apply(reform, reform_plan(district, city), user=None)
    return city


def reform_plan(district, city):
    incoming = {code: [] for code, _name in NEW_WARDS}  # the old groups each new ward takes
    notes = {}
    for code, name, _cluster in LONG_BIEN_WARDS:
        groups = list(
            ResidentialGroup.objects.filter(ward__district=district, ward__code=code).order_by(
                "code"
            )
        )
        start = 0
        for index, (new_code, share) in enumerate(REFORM_SHARES[name]):
            last = index == len(REFORM_SHARES[name]) - 1
            count = len(groups) - start if last else max(1, round(len(groups) * share))
            incoming[new_code] += [(code, group.code) for group in groups[start : start + count]]
            start += count
            if share < 1:
                notes[(code, new_code)] = SPLIT_NOTE
            elif name in PART_NOTES:
                notes[(code, new_code)] = PART_NOTES[name]
    plan = Plan(
        wards=[NewWard(code, name, city) for code, name in NEW_WARDS],
        ends=[code for code, _name, _cluster in LONG_BIEN_WARDS],
        ended_districts=[district.code],
        notes=notes,
    )
    for new_code, old_groups in incoming.items():
        for index in range(0, len(old_groups), 2):
            number = index // 2 + 1
            plan.groups.append(NewGroup(new_code, f"{number:02d}", f"Tổ dân phố số {number}"))
            plan.moves += [
                Move(ward, group, new_code, f"{number:02d}")
                for ward, group in old_groups[index : index + 2]
            ]
    return plan


DEMO_PASSWORD = "danvan-demo-2019"

# (user name, full name, role or None for the superuser, code of the managing unit worked
# for or of the ward served): Long Biên's staff and an officer of one of its wards before the
# reform, the city's staff and an officer of a new ward after it.
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", None, None),
    ("quantri.longbien", "Quản trị viên (mẫu)", Role.ADMINISTRATOR, "004"),
    ("canbo.quan", "Cán bộ Ban Dân vận (mẫu)", Role.DISTRICT_STAFF, "004"),
    ("canbo.thuongthanh", "Cán bộ phường Thượng Thanh (mẫu)", Role.WARD_OFFICER, "00115"),
    ("xem.longbien", "Người xem (mẫu)", Role.VIEWER, "004"),
    (
        "canbo.thanhpho",
        "Cán bộ Ban Tuyên giáo và Dân vận Thành ủy (mẫu)",
        Role.DISTRICT_STAFF,
        "01",
    ),
    ("canbo.bode", "Cán bộ phường Bồ Đề (mẫu)", Role.WARD_OFFICER, "90003"),
]


def load_demo_users():
    """One demo login per role; returns (user, role, password still the demo one) rows."""
    rows = []
    for username, full_name, role, unit in DEMO_USERS:
        serves = role == Role.WARD_OFFICER
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": full_name,
                "is_staff": True,
                "is_superuser": role is None,
                "district": District.objects.get(code=unit) if unit and not serves else None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if role is not None:
                user.groups.add(Group.objects.get(name=role.value))
            if serves:
                user.wards.add(Ward.objects.get(code=unit))
        rows.append((user, role, created or user.check_password(DEMO_PASSWORD)))
    return rows
