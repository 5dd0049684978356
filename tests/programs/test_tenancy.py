"""Provinces are separate tenants (programs.selectors.user_province_id and the scoping selectors that filter
by it): every URL of the portal and of the API, crawled from the URL map with the other province's objects
(its agencies, districts, submissions, incidents, compiled reports), is refused to each province's officer,
viewer and reporters, or, where the URL names no object, shows nothing of the other province. Province A is
An Giang with the demo accounts; province B a synthetic province (demo.provinces) with its own officer,
reporters and a viewer set to it by the user's province field."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from accounts.roles import Role
from activities.models import ActivityRole, OutputTarget
from demo.provinces import synthetic_province_load, synthetic_submissions_create
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from documents.selectors import registers
from incidents import services as incident_services
from programs.models import AdminUnit, Program
from programs.selectors import program_for_year, user_province_id
from tests.helpers import ensure_program, rolled_back
from tests.incidents.helpers import incident_data

pytestmark = pytest.mark.django_db
TODAY = "2018-06-10"
SKIPPED = ("admin/", "accounts/", "i18n/", "healthz", "api/schema/", "api/docs/", "ministry/")


def _province_objects(program: Program, *, prefix: str, officer: str, filer: str) -> dict:
    """One province's objects that URLs name: an agency, a district, its report of Q2, an incident, an issued
    and a draft version of its six-month report."""
    report = program.provincial_reports.get(kind="six_month")
    issued, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    issued = compiling.version_compile(version_id=issued.pk)
    issued = compiling.version_issue(version=issued, user=User.objects.get(username=officer))
    draft, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    draft = compiling.version_compile(version_id=draft.pk)
    district = AdminUnit.objects.filter(parent=program.province, level=2).order_by("order", "code").first()
    data = incident_data(program, district.code)
    incident = incident_services.incident_file(user=User.objects.get(username=filer), program=program, data=data)
    output = OutputTarget.objects.filter(activity__group__program=program).order_by("pk").first()
    role = ActivityRole.objects.filter(activity__group__program=program).order_by("pk").first()
    return {"agency": f"{prefix}so-y-te", "district": district.code, "incident": incident.pk,
            "versions": (issued, draft), "province": program.province,
            "editor": {"outputs": output.pk, "roles": role.pk}}  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with rolled_back(django_db_blocker), override_settings(PORTAL_CLOCK_TODAY=TODAY, MEDIA_ROOT=media):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake report", None))
            a = ensure_program()
            b = synthetic_province_load(code="GLB", letter="B")
            synthetic_submissions_create(program=b, officer="glb-dolisa")
            viewer = User.objects.create(username="glb-viewer", province=b.province)
            viewer.groups.add(Group.objects.get(name=Role.VIEWER.value))
            objects = {
                "A": _province_objects(a, prefix="", officer="dolisa", filer="so-y-te"),
                "B": _province_objects(b, prefix="glb-", officer="glb-dolisa", filer="glb-so-y-te"),
            }
        yield {"objects": objects, "media": media}


@pytest.fixture
def objects(world, settings):
    settings.PORTAL_CLOCK_TODAY, settings.MEDIA_ROOT = TODAY, world["media"]
    return world["objects"]


STAFF = {
    "A": ["dolisa", "viewer", "admin", "so-y-te", "ubnd-cho-moi"],
    "B": ["glb-dolisa", "glb-viewer", "glb-so-y-te", "glb-ubnd-cho-moi"],
}
# What shows another province: B's codes and names; A's agencies' and districts' addresses.
MARKERS = {"B": re.compile(r"glb-|GLB-|Mẫu B"), "A": re.compile(r"/so-y-te/|/ubnd-cho-moi/|districts/893/")}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _patterns(p, route)
        elif isinstance(p, URLPattern) and not route.startswith(SKIPPED) and "^" not in route:
            out.append(route)
    return out


def crawl(other: dict) -> list[tuple[str, bool]]:
    """Every route of the URL map with the other province's objects: (URL, whether it names one of them)."""
    issued, draft = other["versions"]
    urls = []
    for route in _patterns():
        # A code or a primary key names the other province's object; a quarter's or a version's number is read
        # within the user's own program (its calendar, its report's versions), so it names nothing of the other.
        names_object = bool(re.search(r"<(\w+:)?(code|pk)>", route)) or "incidents/<number:number>" in route
        for version in (issued, draft) if re.search(r"<(\w+:)?(pk|number)>", route) and "incident" not in route \
                else (None,):  # fmt: skip
            url = route.replace("<int:year>", "2018").replace("<year:year>", "2018")
            url = url.replace("q<int:quarter>", "q2").replace("<quarter:quarter>", "2")
            url = url.replace("<slug:kind>", "six_month").replace("<kind:kind>", "six_month")
            url = url.replace("<slug:fmt>", "pdf").replace("<fileformat:fmt>", "pdf")
            url = url.replace("<int:number>", "1")
            url = url.replace("<str:code>", other["district"]).replace("<slug:code>", other["agency"])
            url = url.replace("<code:code>", other["agency"])
            url = url.replace("<str:group>", "I")  # the program editor's activity groups (a draft year's)
            editor = re.search(r"editor/(outputs|roles)/<int:pk>", url)
            if editor:  # the program editor's rows: the other province's output target or assignment
                url = url.replace("<int:pk>", str(other["editor"][editor.group(1)]))
            if "incident" in url:
                url = url.replace("<int:pk>", str(other["incident"])).replace("<number:number>", str(other["incident"]))
            elif "uploads/" in url or "tokens/" in url:
                url = url.replace("<int:pk>", "1")
            else:
                url = url.replace("<int:pk>", str(version.pk if version else 0))
                url = url.replace("<number:number>", str(version.number if version else 0))
            assert "<" not in url, url
            urls.append(("/" + url, names_object))
    return urls


def _refused(response) -> bool:
    return response.status_code in (403, 404, 405) or (
        response.status_code == 302 and response.url.startswith("/accounts/login/")
    )


def _body(response) -> str:
    if getattr(response, "streaming", False) or response.get("Content-Type", "").startswith("application/vnd"):
        return ""
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("home,other", [("A", "B"), ("B", "A")])
def test_no_url_reaches_the_other_province(objects, home, other):
    """Each of the province's staff, every URL with the other province's objects: a refusal for a URL that names
    one of them (read or write), and no trace of the other province on any page or API answer they may open."""
    urls = crawl(objects[other])
    assert len(urls) > 40
    for username in STAFF[home]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url, names_object in urls:
            response = client.get(url)
            if names_object:
                assert _refused(response), (username, url, response.status_code)
                assert _refused(client.post(url, {"comment": "x", "next_number": "99"})), (username, "POST", url)
            else:
                assert not MARKERS[other].search(_body(response)), (username, url)


def test_each_province_is_its_own_program_register_and_versions(objects):
    b = objects["B"]["province"]
    officer_b, officer_a = User.objects.get(username="glb-dolisa"), User.objects.get(username="dolisa")
    assert user_province_id(User.objects.get(username="glb-viewer")) == b.pk
    assert user_province_id(User.objects.get(username="glb-ubnd-cho-moi")) == b.pk
    assert program_for_year(year=2018, user=officer_b).province_id == b.pk
    assert program_for_year(year=2018, user=officer_a).province_id == objects["A"]["province"].pk
    assert {r.register.province_id for r in registers(user=officer_b)} == {b.pk}
    assert objects["B"]["versions"][0].doc_number == 1 == objects["A"]["versions"][0].doc_number  # own numbering


def test_the_ministry_reads_every_province_issued_report_and_no_draft(objects):
    """The department downloads each province's issued six-month report (each province's files apart: their
    numbers and names repeat) and no draft; no province's staff downloads there."""
    from tests.ministry.helpers import ministry_user

    client = Client()
    client.force_login(ministry_user())
    a_issued, b_issued = objects["A"]["versions"][0], objects["B"]["versions"][0]
    assert a_issued.issued_pdf_path != b_issued.issued_pdf_path
    for issued, draft in (objects["A"]["versions"], objects["B"]["versions"]):
        response = client.get(f"/ministry/documents/{issued.pk}/pdf/")
        assert response.status_code == 200 and response.get("X-Content-SHA256") == issued.issued_pdf_sha256
        assert client.get(f"/ministry/documents/{draft.pk}/pdf/").status_code == 404
    officer = Client()
    officer.force_login(User.objects.get(username="dolisa"))
    assert officer.get(f"/ministry/documents/{a_issued.pk}/pdf/").status_code == 404
