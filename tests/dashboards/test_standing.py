"""A figure's standing (met, near, far, not reported) is worded once, by dashboards.figures.Standing: the
dashboard, its Excel and CSV exports, the printed report and its Excel annex say the same words for the
same figure, and no other place of the product spells them."""

from __future__ import annotations

import ast
import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from dashboards.figures import Standing, cut_report, figures_compute, standing
from documents.annex import annex_workbook
from documents.pdf import report_pdf
from programs.models import Agency, ProvincialReport, Quarter
from targets.models import Indicator
from tests.documents.helpers import pdf_text, squash
from tests.factories import IndicatorValueFactory, SubmissionFactory

ROOT = Path(settings.BASE_DIR)
PRODUCT = ["accounts", "activities", "config", "core", "dashboards", "documents", "home", "incidents", "programs",
           "reporting", "targets", "demo", "templates", "static/js"]  # fmt: skip
with translation.override("vi"):
    LABELS = {str(s.label) for s in Standing}
# Spellings the standing had before it had one home.
RETIRED = {"Còn xa chỉ tiêu", "Chưa có số liệu", "Đạt chỉ tiêu", "Gần đạt (cách chỉ tiêu không quá 10 điểm phần trăm)"}


def test_the_labels_are_the_decisions_words():
    with translation.override("vi"):
        assert [str(s.label) for s in Standing] == ["Đạt", "Gần đạt", "Chưa đạt", "Chưa báo cáo"]
    assert standing(Decimal("95"), Decimal("100")) == Standing.NEAR
    assert standing(Decimal("89.9"), Decimal("100")) == Standing.FAR
    assert standing(None, Decimal("100")) == Standing.NONE


def _python_spellings(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.value.strip(), f"{path.relative_to(ROOT)}:{node.lineno}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() in LABELS | RETIRED
    ]


def _template_spellings(path: Path) -> list[tuple[str, str]]:
    """Labels written into a template or a script: quoted, or alone between two tags."""
    text = path.read_text(encoding="utf-8")
    found = []
    for m in re.finditer(r"""(?:["'>])\s*([^"'<>{}]+?)\s*(?=["'<])""", text):
        word = m.group(1)
        if any(word.lower() == label.lower() for label in LABELS | RETIRED):
            found.append((word, f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}"))
    return found


def test_the_standing_is_spelled_in_one_place():
    """Each label is written once in the product, in dashboards/figures.py; a retired spelling nowhere.
    Templates show {{ standing.label }}."""
    found: list[tuple[str, str]] = []
    for folder in PRODUCT:
        for path in sorted((ROOT / folder).rglob("*")):
            if "migrations" in path.parts or not path.is_file():
                continue
            if path.suffix == ".py":
                found += _python_spellings(path)
            elif path.suffix in (".html", ".js", ".txt"):
                found += _template_spellings(path)
    places = {label: [where for word, where in found if word == label] for label in LABELS}
    assert all(len(p) == 1 and p[0].startswith("dashboards/figures.py:") for p in places.values()), places
    assert not [f for f in found if f[0] not in LABELS], found


@pytest.fixture
def near(program):
    """Indicator 1 (goal 100%) at 95% for the province in the first quarter: near its goal."""
    sub = SubmissionFactory(
        agency=Agency.objects.get(code="ubnd-an-phu"), quarter=Quarter.objects.get(program=program, number=1)
    )
    IndicatorValueFactory(submission=sub, indicator=Indicator.objects.get(target__program=program, code="1"),
                          numerator=95, denominator=100)  # fmt: skip
    return sub


def _row(rows, code: str):
    return next(r for r in rows if r and r[0] == 1 and r[1] == code)


def test_dashboard_exports_report_and_annex_say_the_same_words(login, near):
    """95% against a goal of 100% is 'Gần đạt' on the page, in the Excel and CSV exports, in the printed
    report's table of targets and in its annex."""
    c = login("dolisa")
    page = c.get("/dashboard/2018/?cut=quarter&quarter=1").content.decode()
    row = re.search(r'<tr data-indicator="1">(.*?)</tr>', page, re.S).group(1)
    assert 'data-standing="near"' in row and "Gần đạt" in row

    wb = load_workbook(io.BytesIO(c.get("/dashboard/2018/export.xlsx?cut=quarter&quarter=1").content))
    assert _row(list(wb["Mục tiêu"].iter_rows(values_only=True)), "1")[7] == "Gần đạt"
    lines = c.get("/dashboard/2018/export.csv?cut=quarter&quarter=1&table=targets").content.decode("utf-8-sig")
    assert next(r for r in csv.reader(io.StringIO(lines)) if r[:2] == ["1", "1"])[7] == "Gần đạt"

    report = ProvincialReport.objects.select_related("program__province").get(program__year=2018, kind="quarterly")
    figures = figures_compute(cut=cut_report(report=report))
    issued = {"issued_on": report.due_date, "doc_number": 1}
    annex = load_workbook(io.BytesIO(annex_workbook(report=report, figures=figures, **issued)))
    targets = list(annex["Mục tiêu"].iter_rows(values_only=True))
    assert dict(zip(targets[1], _row(targets, "1"), strict=False))["Đánh giá"] == "Gần đạt"
    text = squash(pdf_text(report_pdf(report=report, figures=figures, **issued)))
    assert re.search(r"\b1 Trẻ em .*? 100% 95% Gần đạt", text)
