"""The units' importers: wards and residential groups, on the engine of `core.imports`."""

from django.utils.translation import gettext_lazy

from core.imports import Importer, Relation, code_variants, register
from core.resources import managed

from .models import District, ResidentialGroup, Ward, current_last
from .resources import (
    DISTRICT_CODE,
    GROUP_CODE,
    WARD_CODE,
    ResidentialGroupResource,
    WardResource,
)


def wards_by_code(user, keys):
    codes = {code for (code,) in keys}
    wards = Ward.objects.filter(code__in=code_variants(codes))
    return {(w.code,): w for w in managed(wards, user)}


def districts_by_code(user, keys):
    codes = {code for (code,) in keys}
    districts = District.objects.filter(code__in=code_variants(codes))
    return {(d.code,): d for d in managed(districts, user)}


def a_unit_of(user):
    """The code of the managing unit `user` works for, for a template's example."""
    unit = District.objects.managed_by(user).order_by("sort_name", "code").first()
    return (unit.code,) if unit else None


def a_ward_of(user):
    """The code of a ward `user` may change (the first by name), for a template's example."""
    ward = Ward.objects.managed_by(user).order_by("sort_name", "code").first()
    return (ward.code,) if ward else None


def a_group_of(user):
    """The codes of a current residential group `user` may change, for an example."""
    group = (
        ResidentialGroup.objects.managed_by(user)
        .filter(valid_until__isnull=True)
        .select_related("ward")
        .order_by("ward__sort_name", "ward__code", "code")
        .first()
    )
    return (group.ward.code, group.code) if group else None


WARD = Relation(
    "ward",
    (WARD_CODE,),
    wards_by_code,
    gettext_lazy("No ward you may change has the code “%(0)s”."),
    example=a_ward_of,
)


def groups_by_codes(user, keys):
    """{(ward code, group code): group} among the groups `user` may change: a code names the
    ward's current group, or, when no current group has it, the last that had it (groups
    are renumbered: an ended group keeps its code)."""
    groups = managed(
        ResidentialGroup.objects.filter(
            ward__code__in=code_variants(ward for ward, _group in keys),
            code__in=code_variants(group for _ward, group in keys),
        )
        .select_related("ward")
        .order_by(current_last()),
        user,
    )
    return {(g.ward.code, g.code): g for g in groups}


GROUP = Relation(
    "residential_group",
    (WARD_CODE, GROUP_CODE),
    groups_by_codes,
    gettext_lazy("No residential group you may change has the code “%(1)s” in the ward “%(0)s”."),
    example=a_group_of,
)


@register("ward")
class WardImporter(Importer):
    resource_class = WardResource
    example = {
        DISTRICT_CODE: "004",
        WARD_CODE: "00115",
        "Tên phường": "Thượng Thanh",
        "Loại": "Phường",
        "Đang hoạt động": "Có",
    }
    relations = (
        Relation(
            "district",
            (DISTRICT_CODE,),
            districts_by_code,
            gettext_lazy("No managing unit you may change has the code “%(0)s”."),
            example=a_unit_of,
        ),
    )


@register("group")
class ResidentialGroupImporter(Importer):
    resource_class = ResidentialGroupResource
    example = {
        WARD_CODE: "00115",
        "Mã tổ dân phố": "07",
        "Tên tổ dân phố": "Tổ dân phố số 7",
        "Số hộ": 245,
        "Số nhân khẩu": 890,
        "Đang hoạt động": "Có",
    }
    relations = (WARD,)
