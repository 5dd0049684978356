"""The review page: the data first and the decision beside it, the previous quarter's value beside each
figure, and after each decision the next report waiting."""

from __future__ import annotations

import re

import pytest

from tests.reporting.helpers import make_submission, url_for

pytestmark = pytest.mark.django_db


def test_after_a_decision_the_officer_goes_to_the_next_report_waiting(login, clock):
    make_submission("ubnd-an-phu", status="submitted")
    make_submission("ubnd-cho-moi", status="submitted")
    officer = login("dolisa")
    response = officer.post(url_for("ubnd-an-phu", review=True), {"action": "accept"})
    assert response["Location"] == url_for("ubnd-cho-moi")
    response = officer.post(url_for("ubnd-cho-moi", review=True), {"action": "return", "comment": "Sửa"})
    assert response["Location"] == "/"
    assert "Không còn báo cáo nào chờ xem xét." in officer.get("/").content.decode()


def test_a_refused_decision_stays_on_the_report(login, clock):
    make_submission("ubnd-an-phu", status="submitted")
    make_submission("ubnd-cho-moi", status="submitted")
    response = login("dolisa").post(url_for("ubnd-an-phu", review=True), {"action": "return", "comment": ""})
    assert response["Location"] == url_for("ubnd-an-phu")


def test_a_reviewer_reads_the_previous_quarters_value_beside_each_figure(login, clock):
    make_submission("ubnd-an-phu", quarter=1, status="accepted", num=7, den=10)
    clock("2018-04-20")
    make_submission("ubnd-an-phu", quarter=2, status="submitted", num=8, den=10)
    body = login("dolisa").get(url_for("ubnd-an-phu", quarter=2)).content.decode()
    previous = re.findall(r'data-previous="(ind-\d+-(?:num|den))">Quý trước: (\d+)<', body)
    assert previous and {v for name, v in previous if name.endswith("num")} == {"7"}
    assert {v for name, v in previous if name.endswith("den")} == {"10"}
    assert "data-previous" not in login("ubnd-an-phu").get(url_for("ubnd-an-phu", quarter=2)).content.decode()


def test_the_decision_box_comes_after_the_data(login, clock):
    """In the page's order (a phone shows it so), the data comes first and the decision box after it; on a
    desk the box sits beside it (a column of its own)."""
    make_submission("ubnd-an-phu", status="submitted")
    body = login("dolisa").get(url_for("ubnd-an-phu")).content.decode()
    assert body.index('id="submission-form"') < body.index('data-testid="review"')
    assert '<aside class="col-12 col-lg-4"' in body
