"""The Ministry's department's pages: read-only, across every province."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from documents.views import version_download

from . import selectors


@require_GET
def national(request, year: int | None = None):
    """Every province's issued reports, reporting rates and figures, the national figures and the ranking.
    Template: ministry/national.html."""
    selectors.ministry_may_read(request.user)
    years = selectors.national_years()
    year = year or _number(request.GET.get("year")) or (years[0] if years else 0)
    quarter = _number(request.GET.get("quarter"))
    view = selectors.national_view(year=year, quarter=quarter)
    return render(request, "ministry/national.html", {"v": view, "years": years})


def _number(text: str | None) -> int | None:
    """A year or a quarter asked for in the address; none for anything else (the defaults apply)."""
    return int(text) if text and text.isdigit() and len(text) <= 4 else None


@require_GET
def document(request, pk: int, fmt: str):
    """An issued six-month or annual report of any province, its PDF or its Excel annex."""
    return version_download(request, version=selectors.issued_document(user=request.user, pk=pk), fmt=fmt)
