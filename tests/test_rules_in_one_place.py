"""Rules that live in one place: a second spelling anywhere in the product code fails here. The Python
source is read statement by statement (a statement may span several lines); templates and scripts as text.
The quarterly reports' rules (scoping, the review queue, links, form field names, dates), then a figure's
standing, which the dashboard, its files, the printed report and its annex word the same."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
import tokenize
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from dashboards.figures import Standing, cut_report, figures_compute
from documents.annex import annex_workbook
from documents.pdf import report_pdf
from programs.models import Agency, ProvincialReport, Quarter
from targets.models import Indicator
from tests.documents.helpers import pdf_text, squash
from tests.factories import IndicatorValueFactory, SubmissionFactory

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", "tests", "migrations", "node_modules", "static", "locale", "docs"}


def product_sources() -> list[Path]:
    paths = [p for p in ROOT.rglob("*.py") if not SKIP.intersection(p.relative_to(ROOT).parts)]
    assert len(paths) > 50, "the scan found too few modules: is ROOT right?"
    return paths


def statements(source: str) -> list[str]:
    """Each logical line (a statement with its continuation lines), comments left out."""
    out, current = [], []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if current:
                out.append(" ".join(current))
            current = []
        elif tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            current.append(tok.string)
    return out


def spellings(pattern, *, allowed: set[str]) -> list[str]:
    """`path: statement` for every statement that matches, outside the allowed modules."""
    found = []
    for path in product_sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel in allowed:
            continue
        found += [f"{rel}: {s}" for s in statements(path.read_text(encoding="utf-8")) if pattern(s)]
    return found


# ------------------------------------------------------------------------------------------------
# "Is this user the agency's own reporter?": reporting.selectors.reports_for_agency
# ------------------------------------------------------------------------------------------------
REPORTER = re.compile(r"\bis_reporter\s*\(")
AGENCY_COMPARED = re.compile(r"\bagency_id\s*[!=]=|[!=]=\s*[\w.]*\bagency_id\b")
SCOPING_MODULE = "reporting/selectors.py"


def reporter_check(statement: str) -> bool:
    return bool(REPORTER.search(statement) and AGENCY_COMPARED.search(statement))


RECOGNISED = {  # the shapes a rule was written in before it moved to one place, and a look-alike that is not it
    "reporter check": (
        [
            "if not (roles.is_reporter(request.user) and request.user.agency_id == ref.agency.pk):\n    pass\n",
            "may = roles.is_officer(user) or (roles.is_reporter(user)\n"
            "    and user.agency_id == submission.agency_id)\n",
            "ok = submission.agency_id == user.agency_id and is_reporter(user)\n",
        ],
        "if roles.is_reporter(user):\n    x = 1\n",
    ),
    "awaiting set": (
        [
            "qs.filter(status__in=[Submission.Status.SUBMITTED, Submission.Status.RESUBMITTED])\n",
            'if s.status in ("resubmitted", "submitted"):\n    pass\n',
            "waiting = Q(status=S.SUBMITTED) | Q(\n    status=S.RESUBMITTED)\n",
        ],
        'MIX = [("accepted", 8), ("submitted", 1), ("resubmitted", 1)]\n',
    ),
    "field name": (['name = f"ind-{pk}-num"\n', "key = 'out-{}'.format(pk)\n"], 'name = "indicators"\n'),
}


@pytest.mark.parametrize("rule", RECOGNISED)
def test_the_scan_recognises_a_second_spelling_however_it_is_written(rule):
    check = {"reporter check": reporter_check, "awaiting set": awaiting_set, "field name": field_name}[rule]
    spelled, other = RECOGNISED[rule]
    for code in spelled:
        assert any(check(s) for s in statements(code)), code
    assert not any(check(s) for s in statements(other))


def test_the_reporter_check_is_spelled_once_in_the_scoping_selectors():
    """Only reporting/selectors.py compares a reporter's agency with a submission's: every view,
    service and the workbook ask reports_for_agency / submission_may_edit instead."""
    own = [s for s in statements((ROOT / SCOPING_MODULE).read_text(encoding="utf-8")) if reporter_check(s)]
    assert len(own) == 1, own
    assert spellings(reporter_check, allowed={SCOPING_MODULE}) == []


# ------------------------------------------------------------------------------------------------
# "Sent and not yet decided": reporting.models.Submission.AWAITING_REVIEW
# ------------------------------------------------------------------------------------------------
STATUS = r"""(?:\bStatus\.|\bS\.|\b){name}\b|["']{value}["']"""
SUBMITTED = re.compile(STATUS.format(name="SUBMITTED", value="submitted"))
RESUBMITTED = re.compile(STATUS.format(name="RESUBMITTED", value="resubmitted"))
OTHER_STATUS = re.compile(STATUS.format(name="(?:DRAFT|RETURNED|ACCEPTED)", value="(?:draft|returned|accepted)"))
MODELS_MODULE = "reporting/models.py"


def awaiting_set(statement: str) -> bool:
    """Names "submitted" and "resubmitted" together and no other status: the awaiting-review set
    spelled out (a list of every status, such as the benchmark's mix, is something else)."""
    return bool(SUBMITTED.search(statement) and RESUBMITTED.search(statement) and not OTHER_STATUS.search(statement))


def test_submitted_or_resubmitted_is_only_spelled_as_awaiting_review():
    """Submission.AWAITING_REVIEW is the one spelling of "submitted or resubmitted", in the code and
    in the templates."""
    defined = [s for s in statements((ROOT / MODELS_MODULE).read_text(encoding="utf-8")) if awaiting_set(s)]
    assert len(defined) == 1 and "AWAITING_REVIEW" in defined[0], defined
    assert spellings(awaiting_set, allowed={MODELS_MODULE}) == []
    templates = [
        f"{p.relative_to(ROOT)}: {line.strip()}"
        for p in (ROOT / "templates").rglob("*.html")
        for line in p.read_text(encoding="utf-8").splitlines()
        if awaiting_set(line)
    ]
    assert templates == []


# ------------------------------------------------------------------------------------------------
# A submission's address: Submission.get_absolute_url
# ------------------------------------------------------------------------------------------------
SUBMISSION_URL = re.compile(r"""["']reporting:submission["']""")


def test_reporting_and_home_link_to_a_submission_through_get_absolute_url():
    """The quarterly pages and the home pages never build a submission's address by hand."""
    code = [
        f"{p.relative_to(ROOT)}"
        for folder in ("reporting", "home")
        for p in (ROOT / folder).rglob("*.py")
        if "migrations" not in p.parts and SUBMISSION_URL.search(p.read_text(encoding="utf-8"))
    ]
    assert code == ["reporting/models.py"]
    templates = [
        f"{p.relative_to(ROOT)}"
        for folder in ("reporting", "home")
        for p in (ROOT / "templates" / folder).rglob("*.html")
        if SUBMISSION_URL.search(p.read_text(encoding="utf-8"))
    ]
    assert templates == []


# ------------------------------------------------------------------------------------------------
# The quarterly form's field names: reporting.fields
# ------------------------------------------------------------------------------------------------
FIELD_NAME = re.compile(r"""(?:\bf)?["'](?:ind|com|act|out)-\{""")
FIELDS_MODULE = "reporting/fields.py"


def field_name(statement: str) -> bool:
    return bool(FIELD_NAME.search(statement))


def test_form_field_names_are_made_in_one_module():
    """Only reporting/fields.py writes the pattern of a field name (ind-<id>-num, out-<id>, ...): the
    form, the services, the workbook and the demo data call its functions."""
    own = [s for s in statements((ROOT / FIELDS_MODULE).read_text(encoding="utf-8")) if field_name(s)]
    assert len(own) == 4, own
    assert spellings(field_name, allowed={FIELDS_MODULE}) == []


# ------------------------------------------------------------------------------------------------
# Dates: core.formatting.fmt_date / fmt_datetime
# ------------------------------------------------------------------------------------------------
DATE_FORMAT = re.compile(r"strftime\(|:%d/%m|%d/%m/%Y")
OWN_APPS = ("reporting/models.py", "reporting/selectors.py", "reporting/services.py", "reporting/forms.py",
            "reporting/views/submissions.py", "incidents", "home")  # fmt: skip


def test_the_quarterly_and_incident_code_formats_dates_through_core_formatting():
    """The submissions' and incidents' code writes no date pattern of its own."""
    found = [
        line for line in spellings(lambda s: bool(DATE_FORMAT.search(s)), allowed=set()) if line.startswith(OWN_APPS)
    ]
    assert found == []


# ------------------------------------------------------------------------------------------------
# A figure's standing (met, near, far, not reported): dashboards.figures.Standing
# ------------------------------------------------------------------------------------------------
PRODUCT = ["accounts", "activities", "config", "core", "dashboards", "documents", "home", "incidents", "programs",
           "reporting", "targets", "demo", "templates", "static/js"]  # fmt: skip
with translation.override("vi"):
    LABELS = {str(s.label) for s in Standing}
# Spellings the standing had before it had one home.
RETIRED = {"Còn xa chỉ tiêu", "Chưa có số liệu", "Đạt chỉ tiêu", "Gần đạt (cách chỉ tiêu không quá 10 điểm phần trăm)"}


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
    assert next(r for r in csv.reader(io.StringIO(lines), delimiter=";") if r[:2] == ["1", "1"])[7] == "Gần đạt"

    report = ProvincialReport.objects.select_related("program__province").get(program__year=2018, kind="quarterly")
    figures = figures_compute(cut=cut_report(report=report))
    compiled = {"as_of": dt.date(2018, 3, 21)}
    annex = load_workbook(io.BytesIO(annex_workbook(report=report, figures=figures, **compiled)))
    targets = list(annex["Mục tiêu"].iter_rows(values_only=True))
    assert dict(zip(targets[1], _row(targets, "1"), strict=False))["Đánh giá"] == "Gần đạt"
    text = squash(pdf_text(report_pdf(report=report, figures=figures, **compiled)))
    assert re.search(r"\b1 Trẻ em .*? 100% 95% Gần đạt", text)
