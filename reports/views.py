from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from wards.pages import ward_for
from wards.roles import Role, user_role

from .selectors import ward_home as ward_home_data
from .selectors import wards_overview


@login_required
def home(request):
    """Each role's landing page: the admin for administrators, the ward for an officer of
    one ward, the overview of the wards for everyone else."""
    user = request.user
    if user.is_superuser or user_role(user) == Role.ADMINISTRATOR:
        return redirect("admin:index")
    if user_role(user) == Role.WARD_OFFICER and not user.district_id:
        codes = list(user.wards.values_list("code", flat=True)[:2])
        if len(codes) == 1:
            return redirect("reports:ward_home", code=codes[0])
    return redirect("reports:overview")


@login_required
def overview(request):
    return render(request, "reports/overview.html", {"wards": wards_overview(user=request.user)})


@login_required
def ward_home(request, code):
    ward = ward_for(request, code)
    user = request.user
    return render(
        request,
        "reports/ward_home.html",
        {
            "ward": ward,
            **ward_home_data(ward=ward, user=user),
            "can_add_activity": user.has_perm("teams.add_activity"),
            "can_report": user.has_perm("meetings.add_progressreport"),
            "can_correct": user.has_perm("meetings.change_progressreport"),
        },
    )
