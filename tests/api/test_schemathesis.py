"""Schemathesis against the live schema: the portal runs (pytest-django's live_server, with the 2018
program, the demo's submissions and a compiled report), its OpenAPI description is read from /api/schema/,
and every operation is called with generated requests, with a district reporter's token and with a DOLISA
officer's: no answer is a 500, and every answer fits the schema (status, content type, body, headers).

Kept to a couple of minutes: a few examples per operation (SCHEMATHESIS_MAX_EXAMPLES, default 10), no
shrinking. live_server flushes the database after the test; the module puts the data back."""

from __future__ import annotations

import os
import re

import hypothesis
import pytest
import requests
import schemathesis
from django.db import connections
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import User
from api.services import token_create
from demo.submissions import demo_submissions_create
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from programs.models import ProvincialReport
from tests.helpers import ensure_program

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
REPORTER = "ubnd-tri-ton"  # a district whose Q2 report is a draft in the demo, open on 10/05/2018
USERS = [REPORTER, "dolisa"]
# Path parameters of real resources, beside generated ones.
REAL = {"year": 2018, "quarter": 2, "code": REPORTER, "kind": "six_month", "number": 1, "fmt": "pdf"}


@pytest.fixture(scope="module", autouse=True)
def _data_put_back(django_db_blocker):
    """live_server empties every table after the test: the program and the demo accounts come back."""
    yield
    with django_db_blocker.unblock():
        try:
            ensure_program()
        finally:
            connections.close_all()  # as tests/e2e does: no session left open on the test database


@pytest.fixture
def portal(live_server, transactional_db, settings, tmp_path, monkeypatch) -> str:
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    settings.PORTAL_API_RATE = "100000/minute"
    settings.MEDIA_ROOT = tmp_path
    program = ensure_program()
    demo_submissions_create(program=program)
    monkeypatch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake report", None))
    report = ProvincialReport.objects.get(program=program, kind="six_month")
    version, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    version = compiling.version_compile(version_id=version.pk)
    compiling.version_issue(version=version, user=User.objects.get(username="dolisa"))
    compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)  # a draft too
    return live_server.url


def _schema(portal: str, token: str):
    document = requests.get(f"{portal}/api/schema/", timeout=30).json()  # the schema the portal serves
    config = SchemathesisConfig.from_dict({
        "generation": {"max-examples": MAX_EXAMPLES, "no-shrink": True, "deterministic": True},
        "headers": {"Authorization": f"Bearer {token}"},
        "base-url": portal,
    })  # fmt: skip
    return schemathesis.openapi.from_dict(document, config=config)


def _check(operation, mode: GenerationMode, *, examples: int, path_parameters: dict | None = None) -> None:
    """Call the operation with generated requests (path parameters fixed when given), valid ones or, in
    the negative mode, ones that break the schema, and validate each answer."""

    @hypothesis.settings(
        max_examples=examples, deadline=None, derandomize=True, database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )  # fmt: skip
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        # A request the schema allows may still be refused by a rule no schema states (a stale If-Match, a
        # numerator above its denominator, a deadline): only that check is left out.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    run()


def test_no_500_and_every_answer_fits_the_schema(portal):
    """With a district reporter's token, then a DOLISA officer's: each operation with valid requests, their
    path parameters generated (mostly unknown codes: 404) and those of real resources (the demo's 2018
    program, Tri Tôn's Q2 report, the six-month report's first version); with requests that break the
    schema, which must be refused, never with a 500; and, for the reporter, its own draft written and sent
    with its current ETag."""
    failures = []
    for username in USERS:
        token = token_create(user=User.objects.get(username=username), name="schemathesis")[1]
        operations = [result.ok() for result in _schema(portal, token).get_all_operations()]
        assert len(operations) >= 18
        failures += [f"{username}: {failure}" for failure in _every_operation(operations)]
        if username == REPORTER and not failures:
            _write_and_send(operations, portal, token)
    assert not failures, "\n\n".join(failures)


def _every_operation(operations) -> list[str]:
    failures = []
    for operation in operations:
        names = re.findall(r"{(\w+)}", operation.path)
        # Generated paths mostly name nothing (404): fewer of those than of real resources.
        runs = [(GenerationMode.POSITIVE, None, MAX_EXAMPLES // 2), (GenerationMode.NEGATIVE, None, MAX_EXAMPLES // 2)]
        if names:
            runs.append((GenerationMode.POSITIVE, {name: REAL[name] for name in names}, MAX_EXAMPLES))
        for mode, fixed, examples in runs:
            try:
                _check(operation, mode, examples=examples, path_parameters=fixed)
            except Exception as exc:  # every operation is tried; all failures are reported together
                failures.append(f"{operation.label} {mode.value} {fixed or ''}: {exc}")
    return failures


def _write_and_send(operations, portal: str, token: str) -> None:
    """The reporter's own draft, completed, explained and sent with its current ETag, then locked: each
    answer fits the schema too."""
    labels = {op.label: op for op in operations}
    path = "/api/v1/programs/{year}/submissions/{quarter}/{code}/"
    where = {"year": 2018, "quarter": 2, "code": REPORTER}
    auth = {"Authorization": f"Bearer {token}"}
    current = requests.get(f"{portal}/api/v1/programs/2018/submissions/2/{REPORTER}/", timeout=30, headers=auth)

    def call(method: str, suffix: str = "", **case):
        operation = labels[f"{method} {path}{suffix}"]
        return operation.Case(path_parameters=where, media_type="application/json", **case).call_and_validate()

    indicators = [{"code": i["code"], "numerator": i["numerator"] if i["numerator"] is not None else 8,
                   "denominator": i["denominator"] if i["denominator"] is not None else 10}
                  for i in current.json()["values"]["indicators"]]  # fmt: skip
    body = {"indicators": indicators, "change_explanation": "Rà soát lại số liệu."}
    saved = call("PATCH", headers={**auth, "If-Match": current.headers["ETag"]}, body=body)
    assert saved.status_code == 200
    sent = call("POST", "submit/", headers={**auth, "If-Match": saved.headers["etag"][0]})
    assert sent.status_code == 200
    locked = call("PUT", headers={**auth, "If-Match": sent.headers["etag"][0]}, body={})
    assert locked.status_code == 403  # sent: waiting for DOLISA
