"""The printed provincial report as PDF: its words (documents.wording) in the report's HTML template,
rendered by WeasyPrint.

The document follows the Vietnamese administrative format (Decree 30/2020/NĐ-CP, Appendix I): A4, the
two-column header, "Số: 05/BC-SLĐTBXH", the place and date in italics, BÁO CÁO and its subject, the
sections of the program, "Nơi nhận:" and the signature block, page numbers from page 2, and annexes
on landscape pages (templates/documents/pdf/).

It is always rendered in Vietnamese, and only with the Tinos font shipped in static/fonts: the
fetcher below refuses every other resource, so the output does not depend on the machine or the
network. Agencies' accounts are user input; the template escapes them (Django autoescape).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from dashboards.figures import Figures
from programs.models import ProvincialReport

from .wording import ReportDocument, report_document

# WeasyPrint logs every page it lays out at INFO: too much for a worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FILES = {
    ("normal", "normal"): "Tinos-Regular.ttf",
    ("bold", "normal"): "Tinos-Bold.ttf",
    ("normal", "italic"): "Tinos-Italic.ttf",
    ("bold", "italic"): "Tinos-BoldItalic.ttf",
}


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


def report_html(*, document: ReportDocument) -> str:
    return render_to_string("documents/pdf/report.html", {"doc": document, "fonts": font_faces()})


def report_pdf(*, report: ProvincialReport, figures: Figures, issued_on: dt.date, doc_number: int) -> bytes:
    """The report as PDF bytes, always in Vietnamese."""
    from weasyprint import HTML

    with translation.override("vi"):
        document = report_document(report=report, figures=figures, issued_on=issued_on, doc_number=doc_number)
        html = report_html(document=document)
    return HTML(string=html, base_url=FONT_DIR.resolve().as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
