"""The printed provincial report as PDF: its words (documents.wording) in the report's HTML template,
rendered by WeasyPrint, as a draft or as issued.

The document follows the Vietnamese administrative format (Decree 30/2020/NĐ-CP, Appendix I): A4, the
two-column header, "Số: 05/BC-SLĐTBXH", the place and date in italics, BÁO CÁO and its subject, the
sections of the program, "Nơi nhận:" and the signature block, page numbers from page 2, and annexes
on landscape pages (templates/documents/pdf/).

Draft and issued. A compile composes the document's body once (`report_body`), with the parts that
issuing fills in (the number, the date of issue, the signer) marked in it as `<span data-var="...">`
holding a draft's values: the number and the day blank, the signer of the settings. The draft PDF is
that body with "DỰ THẢO" in the top margin of every page; the issued PDF is the same body with the
parts filled in (`body_issued`) and no mark, so what an officer read in the draft is what is issued.
The agencies' text in the body is escaped by the template (autoescape), so no text of theirs can hold
a marked part.

It is always rendered in Vietnamese, and only with the Tinos font shipped in static/fonts: the
fetcher below refuses every other resource, so the output does not depend on the machine or the
network.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from core.formatting import fmt_date
from dashboards.figures import Figures
from dashboards.previous import LastYear
from programs.models import ProvincialReport

from .models import DRAFT_SYMBOL, document_symbol
from .wording import UNSET_SIGNER_NAME, doc_date, report_document, report_subject

# WeasyPrint logs every page it lays out at INFO: too much for a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FILES = {
    ("normal", "normal"): "Tinos-Regular.ttf",
    ("bold", "normal"): "Tinos-Bold.ttf",
    ("normal", "italic"): "Tinos-Italic.ttf",
    ("bold", "italic"): "Tinos-BoldItalic.ttf",
}
# Where the shell (fonts, styles, the draft mark) takes the body, and the box the signature goes in.
BODY_MARK = "<!--report-body-->"
SIGNATURE_ANCHOR = "signature-box"
BLANK = "\u00a0" * 5  # a blank left in a draft, to be written at issue
CSS_PX_IN_PT = 0.75


def font_faces() -> list[dict[str, str]]:
    """@font-face rules for the shipped Tinos files, as file:// URLs."""
    return [
        {"weight": weight, "style": style, "url": (FONT_DIR / name).resolve().as_uri()}
        for (weight, style), name in FONT_FILES.items()
    ]


def _fetcher():
    """A URL fetcher that serves the shipped fonts and nothing else (no network, no other files)."""
    from weasyprint.urls import URLFetcher

    allowed = {face["url"] for face in font_faces()}

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"Resource not allowed in a report: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


# ------------------------------------------------------------------------------------------------
# What issuing fills in
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    """What issuing fills in on a report: its number, date of issue and signer. A draft has no number
    and no date (only the year it was compiled in is printed): "Số:      /BC-SLĐTBXH", "ngày      tháng
         năm 2018"."""

    number: int | None
    issued_on: dt.date | None
    year: int
    signer_name: str
    signer_title: str  # lines separated by "\n"

    @property
    def is_draft(self) -> bool:
        return self.number is None

    @classmethod
    def draft(cls, *, as_of: dt.date) -> Issue:
        """A draft compiled on `as_of`, with the signer of the settings."""
        return cls(None, None, as_of.year, settings.PORTAL_REPORT_SIGNER_NAME, settings.PORTAL_REPORT_SIGNER_TITLE)

    @classmethod
    def issued(cls, *, number: int, issued_on: dt.date, name: str, title: str) -> Issue:
        return cls(number, issued_on, issued_on.year, name, title)


def _var(name: str, content) -> SafeString:
    return format_html('<span data-var="{}">{}</span>', name, content)


def issue_vars(issue: Issue) -> dict[str, SafeString]:
    """The marked parts of the body, with the issue's values (escaped): what the template prints and
    `body_issued` replaces."""
    if issue.is_draft:
        symbol, day, month, date = DRAFT_SYMBOL, BLANK, BLANK, f"{BLANK}/{BLANK}/{issue.year}"
    else:
        symbol = document_symbol(issue.number)
        day, month, _year = doc_date(issue.issued_on)
        date = fmt_date(issue.issued_on)
    lines = [line.strip() for line in issue.signer_title.splitlines() if line.strip()]
    return {
        "symbol": _var("symbol", symbol),
        "day": _var("day", day),
        "month": _var("month", month),
        "year": _var("year", issue.year),
        "date": _var("date", date),
        "signer_title": _var("signer_title", format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines))),
        # No name given: a dotted line, written in by hand (the portal never prints a name nobody gave it).
        "signer_name": _var("signer_name", issue.signer_name or UNSET_SIGNER_NAME),
    }


_MARKED = re.compile(r'<span data-var="(\w+)">.*?</span>', re.DOTALL)


def body_issued(body: str, *, issue: Issue) -> str:
    """The body with every marked part holding the issue's values."""
    values = issue_vars(issue)
    return _MARKED.sub(lambda m: str(values[m.group(1)]), body)


# ------------------------------------------------------------------------------------------------
# Composing and rendering
# ------------------------------------------------------------------------------------------------
def report_body(*, report: ProvincialReport, figures: Figures, as_of: dt.date,
                last_year: LastYear | None = None) -> str:  # fmt: skip
    """The document's body (HTML) as a draft compiled on `as_of`, always in Vietnamese; with last year's
    results of the same period beside this year's when `last_year` is given (dashboards.previous)."""
    with translation.override("vi"):
        document = report_document(report=report, figures=figures, as_of=as_of, last_year=last_year)
        return render_to_string(
            "documents/pdf/report_body.html", {"doc": document, "v": issue_vars(Issue.draft(as_of=as_of))}
        )


@dataclass(frozen=True)
class SignatureBox:
    """Where the signature goes: a page (0-based) and a rectangle in PDF points (x1, y1, x2, y2)."""

    page: int
    rect: tuple[float, float, float, float]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    signature: SignatureBox | None


def body_pdf(body: str, *, report: ProvincialReport, draft: bool) -> RenderedPdf:
    """The body in its shell (fonts, styles, "DỰ THẢO" on every page of a draft), rendered."""
    from weasyprint import HTML

    with translation.override("vi"):
        shell = render_to_string(
            "documents/pdf/report.html",
            {"fonts": font_faces(), "draft": draft, "subject": report_subject(report=report)},
        )
    html = shell.replace(BODY_MARK, body, 1)
    document = HTML(string=html, base_url=FONT_DIR.resolve().as_uri() + "/", url_fetcher=_fetcher()).render()
    return RenderedPdf(document.write_pdf(), _signature_box(document))


def _signature_box(document) -> SignatureBox | None:
    for n, page in enumerate(document.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SIGNATURE_ANCHOR]  # CSS pixels from the top left
            height = page.height
            rect = (x1 * CSS_PX_IN_PT, (height - y2) * CSS_PX_IN_PT, x2 * CSS_PX_IN_PT, (height - y1) * CSS_PX_IN_PT)
            return SignatureBox(n, rect)
    return None


def report_pdf(*, report: ProvincialReport, figures: Figures, as_of: dt.date, issue: Issue | None = None) -> bytes:
    """The report as PDF bytes: a draft, or issued as `issue` says (unsigned)."""
    body = report_body(report=report, figures=figures, as_of=as_of)
    if issue is not None and not issue.is_draft:
        return body_pdf(body_issued(body, issue=issue), report=report, draft=False).data
    return body_pdf(body, report=report, draft=True).data
