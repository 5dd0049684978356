"""Writing a quarterly report through the API: the version is the ETag and If-Match is required (428
without it; 412 on a stale version, and nothing changes); values are checked by the quarterly form itself
(the same messages as the page, at the value's place); the deadline and the report's state lock it as
they lock the page; a saved change shows in the page's history of changes with its user; sending the
report is an action with If-Match too."""

from __future__ import annotations

import logging

import pytest

from reporting.fields import act_field, ind_field, out_field
from reporting.models import IndicatorValue, Submission, Transition
from tests.api.conftest import BASE
from tests.reporting.helpers import make_submission, post_data, spec_for, url_for

pytestmark = pytest.mark.django_db

AGENCY = "ubnd-cho-moi"
URL = f"{BASE}/submissions/1/{AGENCY}/"
INDICATORS = [{"code": code, "numerator": 8, "denominator": 10} for code in ("1", "2", "3", "4")]


@pytest.fixture
def reporter(api, clock):
    return api(AGENCY)


def _state():
    """What a refused write must leave as it was: the submission row and every value row."""
    sub = Submission.objects.filter(agency__code=AGENCY, quarter__number=1).first()
    values = sorted(IndicatorValue.objects.filter(submission=sub).values_list("indicator__code", "numerator"))
    history = Submission.history.filter(id=sub.pk).count() if sub else 0
    return (sub.version, sub.status, sub.district_budget, sub.difficulties) if sub else None, values, history


def test_get_names_values_by_code_and_gives_the_version_as_etag(reporter):
    make_submission(AGENCY, num=5, den=10)
    response = reporter.get(URL)
    assert response.status_code == 200 and response["ETag"] == '"1"'
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    body = response.json()
    assert body["submission"]["version"] == 1 and body["editable"] and body["lock_reason"] is None
    assert [(i["code"], i["numerator"], i["denominator"]) for i in body["values"]["indicators"]] == [
        ("1", 5, 10), ("2", 5, 10), ("3", 5, 10), ("4", 5, 10)
    ]  # fmt: skip
    spec = spec_for(AGENCY)
    assert [c["code"] for c in body["values"]["communes"]] == [c.code for c in spec.communes]
    assert [a["code"] for a in body["values"]["activities"]] == [a.activity.code for a in spec.activities]
    assert [o["code"] for o in body["values"]["outputs"]] == [o.code for o in spec.outputs]


def test_an_unstarted_report_has_version_0(reporter):
    response = reporter.get(URL)
    assert response["ETag"] == '"0"' and response.json()["started"] is False


@pytest.mark.parametrize("if_match", [None, "*", ""])
def test_a_write_without_if_match_is_refused_with_428_and_changes_nothing(reporter, if_match):
    make_submission(AGENCY, num=5, den=10)
    before = _state()
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    for method in (reporter.put, reporter.patch):
        response = method(URL, {"difficulties": "Thiếu cán bộ"}, format="json", **headers)
        assert response.status_code == 428 and response.json()["code"] == "if_match_required"
    assert reporter.post(URL + "submit/", **headers).status_code == 428
    assert _state() == before


def test_a_stale_etag_is_refused_with_412_and_nothing_changes(reporter, api):
    """Two editors read version 1; the first saves (version 2); the second, still naming version 1, is
    refused: its values are not written, the first editor's stay."""
    make_submission(AGENCY, num=5, den=10)
    other = api(AGENCY)
    first = other.patch(URL, {"indicators": [{"code": "1", "numerator": 6, "denominator": 10}]}, format="json",
                        HTTP_IF_MATCH='"1"')  # fmt: skip
    assert first.status_code == 200 and first["ETag"] == '"2"'
    before = _state()
    for method in (reporter.put, reporter.patch):
        stale = method(URL, {"indicators": [{"code": "1", "numerator": 9, "denominator": 10}]}, format="json",
                       HTTP_IF_MATCH='"1"')  # fmt: skip
        assert stale.status_code == 412 and stale.json()["code"] == "stale_version"
    assert reporter.post(URL + "submit/", HTTP_IF_MATCH='"1"').status_code == 412
    assert _state() == before
    assert IndicatorValue.objects.get(submission__agency__code=AGENCY, indicator__code="1").numerator == 6


def test_a_valid_write_is_saved_and_shows_in_the_pages_history_with_its_user(reporter, login):
    make_submission(AGENCY, num=5, den=10)
    response = reporter.patch(
        URL, {"indicators": [{"code": "2", "numerator": 7, "denominator": 10}], "difficulties": "Thiếu cán bộ"},
        format="json", HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert response.status_code == 200 and response["ETag"] == '"2"' and response.json()["changed"] == 2
    page = login("dolisa").get(url_for(AGENCY))
    changes = [(c.user, c.field, c.old, c.new) for c in page.context["history"]]
    assert ("ubnd-cho-moi", "tử số", "5", "7") in changes
    assert ("ubnd-cho-moi", "khó khăn, vướng mắc", None, "Thiếu cán bộ") in changes
    html = page.content.decode()
    assert 'data-testid="history"' in html and "Thiếu cán bộ" in html
    assert IndicatorValue.history.filter(indicator__code="2", numerator=7).get().history_user.username == AGENCY


def test_the_api_history_is_the_pages_for_dolisa_and_closed_to_others(reporter, api, login):
    make_submission(AGENCY, num=5, den=10)
    reporter.patch(URL, {"difficulties": "x"}, format="json", HTTP_IF_MATCH='"1"')
    rows = api("dolisa").get(URL + "history/").json()["results"]
    page = login("dolisa").get(url_for(AGENCY)).context["history"]
    assert [(r["user"], r["field"], r["new"]) for r in rows] == [(c.user, c.field, c.new) for c in page]
    assert reporter.get(URL + "history/").status_code == 403


def test_put_replaces_every_value_and_patch_only_those_sent(reporter):
    make_submission(AGENCY, num=5, den=10)
    patched = reporter.patch(URL, {"district_budget": 150_000_000}, format="json", HTTP_IF_MATCH='"1"').json()
    assert [i["numerator"] for i in patched["values"]["indicators"]] == [5, 5, 5, 5]
    assert patched["values"]["district_budget"] == 150_000_000
    put = reporter.put(URL, {"indicators": INDICATORS[:1]}, format="json", HTTP_IF_MATCH='"2"').json()
    assert [i["numerator"] for i in put["values"]["indicators"]] == [8, None, None, None]
    assert put["values"]["district_budget"] is None


def test_numbers_are_read_as_the_form_reads_them(reporter):
    """Thousands separators as on the form ("150.000.000") are accepted; the stored value is a number."""
    response = reporter.patch(URL, {"district_budget": "150.000.000"}, format="json", HTTP_IF_MATCH='"0"')
    assert response.status_code == 200
    assert Submission.objects.get(agency__code=AGENCY).district_budget == 150_000_000


@pytest.mark.parametrize("value", ["²", "1.5", True, [1], {"a": 1}, 10**30, "١٢"])
def test_anything_but_a_whole_number_gets_the_forms_message(reporter, value):
    """Whatever JSON carries where a number belongs, the form answers it (never an error of the portal)."""
    response = reporter.patch(URL, {"district_budget": value}, format="json", HTTP_IF_MATCH='"0"')
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "district_budget"
    assert not Submission.objects.exists()


def test_bad_values_get_the_forms_own_messages_at_their_place_and_nothing_is_saved(reporter, login):
    """The same values posted on the page and sent to the API are refused with the same messages: the form
    is the one set of rules."""
    make_submission(AGENCY, num=5, den=10)
    spec = spec_for(AGENCY)
    indicator, activity, output = spec.indicators[1], spec.activities[0].activity, spec.outputs[0]
    before = _state()
    sent = {
        "indicators": [{"code": indicator.code, "numerator": 12, "denominator": 10}],
        "activities": [{"code": activity.code, "money_spent": "2500000,5", "children_boys": -3, "status": "xong"}],
        "outputs": [{"code": output.code, "quantity": "mười"}],
        "proposals": "x" * 4001,
    }
    response = reporter.patch(URL, sent, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert _state() == before

    posted = {
        ind_field(indicator.pk, "num"): "12", ind_field(indicator.pk, "den"): "10",
        act_field(activity.pk, "money"): "2500000,5", act_field(activity.pk, "boys"): "-3",
        act_field(activity.pk, "status"): "xong", out_field(output.pk): "mười", "proposals": "x" * 4001,
    }  # fmt: skip
    page = login(AGENCY).post(url_for(AGENCY), post_data(AGENCY, action="save", **posted)).context["form"].errors
    place = {
        ind_field(indicator.pk, "num"): f"indicators[{indicator.code}].numerator",
        act_field(activity.pk, "money"): f"activities[{activity.code}].money_spent",
        act_field(activity.pk, "boys"): f"activities[{activity.code}].children_boys",
        act_field(activity.pk, "status"): f"activities[{activity.code}].status",
        out_field(output.pk): f"outputs[{output.code}].quantity",
        "proposals": "proposals",
    }
    assert set(page) == set(place)
    assert {place[name]: messages[0] for name, messages in page.items()} == errors


@pytest.mark.parametrize(
    "sent,field",
    [
        ({"indicators": [{"code": "9z", "numerator": 1, "denominator": 2}]}, "indicators[9z]"),
        ({"activities": [{"code": "I.1.1", "status": "done"}]}, "activities[I.1.1]"),  # led by others
        ({"indicators": [{"code": "1", "numerator": 1}, {"code": "1", "denominator": 2}]}, "indicators[1]"),
        ({"communes": [{"code": "30280", "child_friendly": True}]}, "communes[30280]"),  # Long Xuyên's
        ({"indicators": [{"code": "1", "numerater": 1}]}, "indicators[0].numerater"),
        ({"budget": 1}, "budget"),
        ({"indicators": {"code": "1"}}, "indicators"),
    ],
)
def test_what_the_report_does_not_have_is_refused_by_name(reporter, sent, field):
    response = reporter.patch(URL, sent, format="json", HTTP_IF_MATCH='"0"')
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Submission.objects.exists()


def test_a_provincial_agency_reports_no_budget(api, clock):
    response = api("so-y-te").patch(f"{BASE}/submissions/1/so-y-te/", {"district_budget": 1}, format="json",
                                    HTTP_IF_MATCH='"0"')  # fmt: skip
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "district_budget"


def test_after_the_deadline_the_report_is_locked_as_on_the_page(reporter, clock):
    make_submission(AGENCY, num=5, den=10)
    clock("2018-03-21")  # the decision's Q1 deadline is 20/03
    before = _state()
    body = reporter.get(URL).json()
    assert body["editable"] is False and "Đã quá hạn nhập số liệu (20/03/2018)" in body["lock_reason"]
    response = reporter.patch(URL, {"difficulties": "muộn"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403 and response.json()["detail"] == body["lock_reason"]
    assert reporter.post(URL + "submit/", HTTP_IF_MATCH='"1"').status_code == 403
    assert _state() == before


def test_submit_sends_the_report_and_then_locks_it(reporter, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    saved = reporter.put(URL, {"indicators": INDICATORS}, format="json", HTTP_IF_MATCH='"0"')
    assert saved.status_code == 200
    sent = reporter.post(URL + "submit/", HTTP_IF_MATCH=saved["ETag"])
    assert sent.status_code == 200 and sent.json()["submission"]["status"] == "submitted"
    assert sent["ETag"] == '"2"'
    step = Transition.objects.get()
    assert (step.action, step.actor.username) == ("submit", AGENCY)
    locked = reporter.patch(URL, {"difficulties": "x"}, format="json", HTTP_IF_MATCH='"2"')
    assert locked.status_code == 403 and locked.json()["detail"] == "Báo cáo đã gửi, đang chờ Sở xem xét."
    assert "event=api_write user=ubnd-cho-moi" in caplog.text and "action=save" in caplog.text
    assert "action=submit" in caplog.text and "status=submitted" in caplog.text


def test_an_incomplete_report_cannot_be_sent(reporter):
    reporter.put(URL, {"indicators": INDICATORS[:2]}, format="json", HTTP_IF_MATCH='"0"')
    response = reporter.post(URL + "submit/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400 and response.json()["code"] == "incomplete"
    assert "chỉ số 3, chỉ số 4" in response.json()["detail"]
    assert Submission.objects.get().status == "draft"


def test_a_change_of_over_half_is_a_warning_and_must_be_explained_before_sending(api, clock):
    """As on the page: saving warns; sending without an explanation is refused."""
    make_submission(AGENCY, quarter=1, status="accepted", num=5, den=10)
    clock("2018-04-20")
    client = api(AGENCY)
    url = f"{BASE}/submissions/2/{AGENCY}/"
    values = [{**i, "numerator": 1} for i in INDICATORS]
    saved = client.put(url, {"indicators": values}, format="json", HTTP_IF_MATCH='"0"')
    assert "Thay đổi hơn 50%" in saved.json()["warnings"]["indicators[1].numerator"]
    refused = client.post(url + "submit/", HTTP_IF_MATCH='"1"')
    assert refused.status_code == 400 and refused.json()["code"] == "explanation_required"
    explained = client.patch(url, {"change_explanation": "Rà soát lại"}, format="json", HTTP_IF_MATCH='"1"')
    assert client.post(url + "submit/", HTTP_IF_MATCH=explained["ETag"]).status_code == 200
