"""The access matrix of the pages, repeated through the API: every role (a provincial agency's reporter, a
district's reporter, a DOLISA officer, a viewer, an administrator, anonymous) × every endpoint × every
method. For each cell the API's outcome is the page's: what a role reads or changes through the API it
reads or changes on the corresponding page, and nothing more; each is also held to the outcome written
below (so that the pages and the API cannot drift together)."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client, override_settings

from accounts.models import User
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from incidents.models import Incident
from programs.models import ProvincialReport
from reporting.models import Submission
from tests.api.conftest import BASE
from tests.helpers import ensure_program, rolled_back
from tests.incidents.helpers import file_incident
from tests.reporting.helpers import make_submission, post_data

pytestmark = pytest.mark.django_db

PROVINCIAL, DISTRICT = "so-y-te", "ubnd-cho-moi"
ROLES = [PROVINCIAL, DISTRICT, "dolisa", "viewer", "admin", None]
METHODS = ["get", "post", "put", "patch", "delete"]
# Q2 of 2018, seen on 10/05/2018 (before its entry deadline): Chợ Mới's draft, An Phú's report waiting for
# review, Sở Y tế's accepted one.
SUBMISSIONS = {DISTRICT: "draft", "ubnd-an-phu": "submitted", PROVINCIAL: "accepted"}
TODAY = "2018-05-10"


@pytest.fixture(scope="module")
def world_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The submissions, an incident and three compiled versions (a draft, an issued one and a failed one),
    made once for this module and undone after it."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back(django_db_blocker), override_settings(PORTAL_CLOCK_TODAY=TODAY, MEDIA_ROOT=media):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake report", None))
            program = ensure_program()
            for code, status in SUBMISSIONS.items():
                make_submission(code, quarter=2, status=status)
            incident = file_incident(program, PROVINCIAL)  # in Chợ Mới: Sở Y tế and UBND Chợ Mới read it
            report = ProvincialReport.objects.get(program=program, kind="six_month")
            issued, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
            issued = compiling.version_compile(version_id=issued.pk)
            issued = compiling.version_issue(version=issued, user=User.objects.get(username="dolisa"))
            draft, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
            draft = compiling.version_compile(version_id=draft.pk)
            failed, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
            ReportVersion.objects.filter(pk=failed.pk).update(status=ReportVersion.Status.FAILED, error="Hỏng")
        yield {"incident": incident, "issued": issued, "draft": draft, "failed": failed, "media": media}


@pytest.fixture
def world(world_data, settings):
    settings.PORTAL_CLOCK_TODAY, settings.MEDIA_ROOT = TODAY, world_data["media"]
    return world_data


def page_client(username):
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def page_outcome(response) -> str:
    if response.status_code == 302 and response.url.startswith("/accounts/login/"):
        return "login"
    return "ok" if response.status_code in (200, 302) else "refused"


def api_outcome(response) -> str:
    if response.status_code == 401:
        return "login"
    return "ok" if response.status_code == 200 else "refused"


def expect(username, allowed) -> str:
    return "login" if username is None else ("ok" if username in allowed else "refused")


OFFICERS = {"dolisa", "admin"}
EVERYONE = {PROVINCIAL, DISTRICT, "dolisa", "viewer", "admin"}


# ------------------------------------------------------------------------------------------------
# Reading: each endpoint against its page
# ------------------------------------------------------------------------------------------------
def read_cells(world) -> list[tuple[str, str, set]]:
    """(API path, the page that shows the same, who may read it)."""
    issued, draft, failed, incident = world["issued"], world["draft"], world["failed"], world["incident"]
    submissions = [
        (f"/submissions/2/{code}/", f"/submissions/2018/q2/{code}/", readers)
        for code, readers in [
            (DISTRICT, {DISTRICT, *OFFICERS}),
            ("ubnd-an-phu", OFFICERS),
            (PROVINCIAL, {PROVINCIAL, "viewer", *OFFICERS}),
        ]
    ]
    version = "/documents/six_month/versions/{n}/"
    return [
        ("/", "/programs/2018/", EVERYONE),
        ("/targets/", "/programs/2018/", EVERYONE),
        ("/activity-groups/", "/programs/2018/", EVERYONE),
        ("/agencies/", "/programs/2018/", EVERYONE),
        ("/agencies/so-y-te/", "/programs/2018/agencies/so-y-te/", EVERYONE),
        ("/units/", "/programs/2018/", EVERYONE),
        ("/calendar/", "/programs/2018/calendar/", EVERYONE),
        ("/figures/", "/dashboard/2018/", EVERYONE),
        ("/figures/?agency=so-y-te", "/dashboard/2018/?agency=so-y-te", {PROVINCIAL, "viewer", *OFFICERS}),
        ("/figures/?agency=ubnd-cho-moi&pending=1", "/dashboard/2018/?agency=ubnd-cho-moi&pending=1",
         {DISTRICT, "viewer", *OFFICERS}),
        ("/submissions/", "/submissions/2018/", EVERYONE),
        *submissions,
        ("/documents/", "/reports/2018/", {"viewer", *OFFICERS}),
        (version.format(n=issued.number), f"/reports/2018/versions/{issued.pk}/", {"viewer", *OFFICERS}),
        (version.format(n=draft.number), f"/reports/2018/versions/{draft.pk}/", OFFICERS),
        (version.format(n=failed.number), f"/reports/2018/versions/{failed.pk}/", OFFICERS),
        *[(version.format(n=v.number) + f"{fmt}/", f"/reports/2018/versions/{v.pk}/{fmt}/", readers)
          for v, readers in [(issued, {"viewer", *OFFICERS}), (draft, OFFICERS)] for fmt in ("pdf", "xlsx")],
        (version.format(n=failed.number) + "pdf/", f"/reports/2018/versions/{failed.pk}/pdf/", set()),
        ("/incidents/", "/incidents/", {PROVINCIAL, DISTRICT, *OFFICERS}),
        (f"/incidents/{incident.pk}/", f"/incidents/{incident.pk}/", {PROVINCIAL, DISTRICT, *OFFICERS}),
    ]  # fmt: skip


@pytest.mark.parametrize("username", ROLES)
def test_every_endpoint_reads_what_its_page_shows_and_nothing_more(world, api, username):
    client, page = api(username), page_client(username)
    for path, page_path, readers in read_cells(world):
        response = client.get(BASE + path)
        expected = expect(username, readers)
        assert (api_outcome(response), page_outcome(page.get(page_path))) == (expected, expected), path


@pytest.mark.parametrize("username", ROLES)
def test_submission_history_only_where_the_page_shows_it(world, api, username):
    """The history of changes: the page shows it to DOLISA; the API answers it to DOLISA only."""
    client, page = api(username), page_client(username)
    for code in SUBMISSIONS:
        response = client.get(f"{BASE}/submissions/2/{code}/history/")
        shown = page.get(f"/submissions/2018/q2/{code}/")
        page_shows = shown.status_code == 200 and shown.context["history"] is not None
        assert (response.status_code == 200) == page_shows == (username in OFFICERS), code
        assert response.status_code in (200, 401, 403, 404)


def _keys(rows, key) -> set:
    return {key(r) for r in rows}


@pytest.mark.parametrize("username", [u for u in ROLES if u])
def test_lists_hold_what_the_pages_list(world, api, username):
    """Submissions, compiled versions and incidents: the API's list is the page's list."""
    client, page = api(username), page_client(username)
    listed = client.get(f"{BASE}/submissions/?page_size=200").json()["results"]
    shown = page.get("/submissions/2018/").context["rows"]
    assert _keys(listed, lambda s: (s["agency"], s["quarter"])) == _keys(
        shown, lambda s: (s.agency.code, s.quarter.number)
    )
    documents = client.get(f"{BASE}/documents/")
    reports = page.get("/reports/2018/")
    if reports.status_code == 200:
        api_versions = {(r["kind"], v["number"]) for r in documents.json()["results"] for v in r["versions"]}
        page_versions = {(r.report.kind, v.number) for r in reports.context["rows"] for v in r.versions}
        assert api_versions == page_versions and api_versions
    else:
        assert documents.status_code == 404
    incidents = client.get(f"{BASE}/incidents/")
    listed_page = page.get("/incidents/")
    if listed_page.status_code == 200:
        assert {i["id"] for i in incidents.json()["results"]} == {i.pk for i in listed_page.context["rows"]}
    else:
        assert incidents.status_code == 404


EXPECTED_LISTS = {
    PROVINCIAL: ({PROVINCIAL}, None, 1),
    DISTRICT: ({DISTRICT}, None, 1),
    "dolisa": (set(SUBMISSIONS), {1, 2, 3}, 1),
    "admin": (set(SUBMISSIONS), {1, 2, 3}, 1),
    "viewer": ({PROVINCIAL}, {1}, None),  # the issued version only,
}


@pytest.mark.parametrize("username", sorted(EXPECTED_LISTS))
def test_what_each_role_lists(world, api, username):
    agencies, versions, incidents = EXPECTED_LISTS[username]
    client = api(username)
    assert {s["agency"] for s in client.get(f"{BASE}/submissions/").json()["results"]} == agencies
    documents = client.get(f"{BASE}/documents/")
    if versions is None:
        assert documents.status_code == 404
    else:
        six_month = next(r for r in documents.json()["results"] if r["kind"] == "six_month")
        assert {v["number"] for v in six_month["versions"]} == versions
    listed = client.get(f"{BASE}/incidents/")
    assert (listed.json()["count"] if listed.status_code == 200 else None) == incidents


# ------------------------------------------------------------------------------------------------
# Writing: the API's write against the page's, each from the same state (undone after)
# ------------------------------------------------------------------------------------------------
def _snapshot(code):
    sub = Submission.objects.get(agency__code=code, quarter__number=2)
    return sub.version, sub.status, sub.difficulties


def attempt(code, call) -> tuple[object, bool]:
    """Make the call, tell whether the submission changed, and undo whatever it did."""
    before = _snapshot(code)
    with transaction.atomic():
        response = call()
        changed = _snapshot(code) != before
        transaction.set_rollback(True)
    return response, changed


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("code", sorted(SUBMISSIONS))
def test_values_are_written_only_where_the_page_writes_them(world, api, username, code):
    """Only the agency's own reporter writes its values, while its report is a draft before the deadline;
    everyone else is refused, and nothing changes."""
    client, page = api(username), page_client(username)
    url = f"{BASE}/submissions/2/{code}/"
    version = Submission.objects.get(agency__code=code, quarter__number=2).version
    page_url = f"/submissions/2018/q2/{code}/"
    page_response, page_changed = attempt(code, lambda: page.post(page_url, post_data(code, 2, difficulties="x")))
    may = username == code and SUBMISSIONS[code] == "draft"
    assert page_changed is may
    for method in ("put", "patch"):
        response, changed = attempt(code, lambda m=method: getattr(client, m)(
            url, {"difficulties": "x"}, format="json", HTTP_IF_MATCH=f'"{version}"'))  # fmt: skip
        assert changed is may and api_outcome(response) == page_outcome(page_response), method
        assert response.status_code in ((200,) if may else (401, 403, 404))


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("code", sorted(SUBMISSIONS))
def test_reports_are_sent_only_where_the_page_sends_them(world, api, username, code):
    client, page = api(username), page_client(username)
    version = Submission.objects.get(agency__code=code, quarter__number=2).version
    page_response, page_changed = attempt(
        code, lambda: page.post(f"/submissions/2018/q2/{code}/", post_data(code, 2, action="submit"))
    )
    response, changed = attempt(
        code, lambda: client.post(f"{BASE}/submissions/2/{code}/submit/", HTTP_IF_MATCH=f'"{version}"')
    )
    may = username == code and SUBMISSIONS[code] == "draft"
    assert changed is page_changed is may
    assert api_outcome(response) == page_outcome(page_response)


# ------------------------------------------------------------------------------------------------
# Every method of every endpoint
# ------------------------------------------------------------------------------------------------
def allowed(path: str) -> set[str]:
    if re.fullmatch(r"/submissions/2/[-\w]+/", path):
        return {"get", "put", "patch"}
    return {"post"} if path.endswith("/submit/") else {"get"}


@pytest.mark.parametrize("username", ROLES)
def test_every_other_method_is_refused_and_changes_nothing(world, api, username):
    """A method an endpoint does not have is refused (405 once signed in, 401 before), whoever asks;
    nothing changes anywhere."""
    client = api(username)
    paths = [p for p, _page, _readers in read_cells(world)] + [
        f"/submissions/2/{DISTRICT}/history/", "/nowhere/", f"/submissions/2/{DISTRICT}/submit/"
    ]  # fmt: skip
    before = (list(Submission.objects.values_list("version", "status")), Incident.objects.count(),
              ReportVersion.objects.count())  # fmt: skip
    for path in paths:
        for method in METHODS:
            if method in allowed(path):
                continue
            response = getattr(client, method)(BASE + path, {}, format="json")
            expected = 401 if username is None else (404 if path == "/nowhere/" else 405)
            assert response.status_code == expected, (method, path)
    after = (list(Submission.objects.values_list("version", "status")), Incident.objects.count(),
             ReportVersion.objects.count())  # fmt: skip
    assert after == before
