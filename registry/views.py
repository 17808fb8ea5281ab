import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.pages import paginate, query_without, require_permission
from wards.scope import works_for_a_unit

from .models import DocumentKind, IssuedDocument


@login_required
def register(request):
    """The register of outgoing documents of the user's unit, latest first; `?kind=` and
    `?year=` narrow it (a value that is none of them is ignored)."""
    if not works_for_a_unit(request.user):
        raise PermissionDenied("a managing unit's register")
    require_permission(request, "registry.view_issueddocument")
    documents = IssuedDocument.objects.visible_to(request.user).select_related(
        "district", "issued_by"
    )
    kind, year = request.GET.get("kind"), request.GET.get("year", "")
    if kind in DocumentKind.values:
        documents = documents.filter(kind=kind)
    if re.fullmatch(r"[0-9]{4}", year):
        documents = documents.filter(year=int(year))
    return render(
        request,
        "registry/register.html",
        {
            "page_obj": paginate(request, documents.order_by("-issued_on", "-pk")),
            "query": query_without(request, "page"),
            "kinds": DocumentKind.choices,
            "kind": kind,
            "year": year,
        },
    )
