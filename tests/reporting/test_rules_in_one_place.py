"""Rules of the quarterly reports that live in one place: a second spelling anywhere in the product
code fails here. The source is read statement by statement (a statement may span several lines)."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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
