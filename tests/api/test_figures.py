"""The figures the API returns for the demo's six-month cut (2018, quarter 2, year to date, as of
10/05/2018) are the dashboard's, number for number: each compared with the cell the dashboard's own
Excel export writes for it, for DOLISA (accepted, then with pending reports), the People's Committee and
a district."""

from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from accounts.models import User
from dashboards.figures import Standing
from demo.submissions import demo_submissions_create
from programs.models import AdminUnit, Agency
from tests.api.conftest import BASE
from tests.helpers import ensure_program, rolled_back

pytestmark = pytest.mark.django_db
TODAY = "2018-05-10"
SIX_MONTHS = "cut=ytd&quarter=2"
FIRST_ROW = 9  # under the file's five lines on the cut, a blank line, the table's title and its header


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker), override_settings(PORTAL_CLOCK_TODAY=TODAY):
        program = ensure_program()
        demo_submissions_create(program=program)
        yield program


def _rows(ws, start: int = FIRST_ROW) -> list[tuple]:
    rows = []
    for row in ws.iter_rows(min_row=start, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def _label(key: str) -> str:
    return str(Standing(key).label)


def _names() -> tuple[dict, dict]:
    units = dict(AdminUnit.objects.values_list("code", "name"))
    agencies = dict(Agency.objects.values_list("code", "short_name"))
    return units, agencies


@pytest.mark.parametrize(
    "username,query",
    [("dolisa", SIX_MONTHS), ("dolisa", SIX_MONTHS + "&pending=1"), ("viewer", SIX_MONTHS),
     ("ubnd-cho-moi", SIX_MONTHS), ("dolisa", SIX_MONTHS + "&district=893")],
)  # fmt: skip
def test_the_six_month_figures_are_the_dashboards_number_for_number(demo, api, settings, username, query):
    settings.PORTAL_CLOCK_TODAY = TODAY
    page = Client()
    page.force_login(User.objects.get(username=username))
    book = load_workbook(io.BytesIO(page.get(f"/dashboard/2018/export.xlsx?{query}").content))
    body = api(username).get(f"{BASE}/figures/?{query}").json()
    units, agencies = _names()
    assert body["cut"]["quarters"] == [1, 2] and body["cut"]["year_to_date"] and body["warnings"] == []
    indicators = [(t, i) for t in body["targets"] for i in t["indicators"]]
    assert indicators, "the demo's districts report indicators"

    targets = [
        (t["number"], i["code"], float(i["goal"]), i["numerator"], i["denominator"], i["value"], _label(i["standing"]),
         i["reporting"], *[q["value"] for q in i["by_quarter"]])
        for t, i in indicators
    ]  # fmt: skip
    assert targets == [(r[0], *r[1:2], *r[3:]) for r in _rows(book["Mục tiêu"])]

    districts = [
        (units[c["district"]], i["code"], float(i["goal"]), c["numerator"], c["denominator"], c["value"],
         _label(c["standing"]), f"Quý {c['quarter']}/2018" if c["quarter"] else None,
         agencies[c["agency"]] if c["agency"] else None)
        for n in range(len(indicators[0][1]["districts"])) for _t, i in indicators for c in [i["districts"][n]]
    ]  # fmt: skip
    assert districts == _rows(book["Huyện - chỉ số"])

    outputs = [(o["group"], o["activity"], o["code"], o["planned"], o["achieved"], o["share"]) for o in body["outputs"]]
    if "district=" in query or username.startswith("ubnd-"):
        # a district's file lists its own duties, its plan only where the program names it (issue 14): each of
        # its results is the API's for that output
        # its results and its share of its own plan are the API's for that output, never a province-wide share
        duties = _rows(book["Chỉ tiêu đầu ra"])
        api = [(o["group"], o["activity"], o["code"], o["district_plan"], o["planned"], o["achieved"], o["share"])
               for o in body["outputs"]]  # fmt: skip
        assert api == [(r[0], r[1], r[2], r[5], r[7], r[8] or 0, r[9]) for r in duties] and any(r[8] for r in duties)
        assert any(o["district_plan"] for o in body["outputs"]) and any(o["share"] is None for o in body["outputs"])
    else:
        assert outputs == [(r[0], r[1], r[2], r[5], r[6], r[7]) for r in _rows(book["Chỉ tiêu đầu ra"])]
    assert any(o["achieved"] for o in body["outputs"])

    compliance = [
        (f"Quý {c['quarter']}/2018", c["expected"], c["submitted"], c["on_time"], c["late"], c["days_late_total"],
         c["missing"], c["rate"], c["timeliness"])
        for c in body["compliance"]
    ]  # fmt: skip
    sheet = _rows(book["Tình hình báo cáo"])[: len(compliance)]
    assert compliance == [(r[0], *r[2:10]) for r in sheet]

    budget = [
        (units[b["district"]], b["communes"], b["district_budget"], b["district_floor"], b["district_shortfall"],
         b["communes_reported"], b["communes_budget"], b["communes_floor"], len(b["communes_below"]),
         "; ".join(f"{c['commune']} ({c['amount']:,})".replace(",", ".") for c in b["communes_below"]) or None,
         _label(b["standing"]), f"Quý {b['quarter']}/2018" if b["quarter"] else None,
         agencies[b["agency"]] if b["agency"] else None)
        for b in body["budget"]
    ]  # fmt: skip
    assert budget == _rows(book["Kinh phí"])


def test_figures_follow_the_dashboards_scoping(demo, api, settings):
    """A reporter's figures are its own agency's (another agency's answers 404, as the dashboard does);
    a viewer's pending switch is ignored, as on the dashboard."""
    settings.PORTAL_CLOCK_TODAY = TODAY
    own = api("ubnd-cho-moi").get(f"{BASE}/figures/?{SIX_MONTHS}").json()["cut"]
    assert (own["agency"], own["district"]) == ("ubnd-cho-moi", "893")
    assert api("ubnd-cho-moi").get(f"{BASE}/figures/?agency=so-y-te").status_code == 404
    viewer = api("viewer").get(f"{BASE}/figures/?{SIX_MONTHS}&pending=1").json()["cut"]
    assert viewer["include_pending"] is False


def test_a_filter_the_dashboard_ignores_is_ignored_with_a_message(demo, api, settings):
    settings.PORTAL_CLOCK_TODAY = TODAY
    body = api("dolisa").get(f"{BASE}/figures/?quarter=9&agency=khong-co").json()
    assert len(body["warnings"]) == 2 and body["cut"]["agency"] is None and body["cut"]["quarter"] == 2
