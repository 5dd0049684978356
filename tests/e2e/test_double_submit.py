"""A double press sends a form once (static/js/submit-guard.js, on every page): the incident form's
second click sends no second request, and the incident is filed once."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_double_press_on_the_filing_form_sends_it_once(page, portal, sign_in):
    sign_in(page, "so-y-te")
    page.goto(portal + "/incidents/new/")
    page.fill("input[name=occurred_on]", "2018-05-02")
    page.select_option("select[name=district]", index=1)
    commune = page.locator("select[name=commune] option[value]:not([value=''])").first.get_attribute("value")
    page.select_option("select[name=commune]", commune)
    page.locator("input[name=kind]").first.check()
    page.fill("input[name=girls_11_16]", "1")
    page.fill("textarea[name=actions]", "Đã tiếp nhận tin báo.")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/incidents/new/" in r.url else None)
    with page.expect_navigation():  # a second press 60 ms after the first, before the page has gone
        page.locator("#incident-form").evaluate("f => { f.requestSubmit(); setTimeout(() => f.requestSubmit(), 60); }")
    expect(page.locator("main")).to_contain_text("Đã gửi báo cáo đột xuất")
    assert len(posts) == 1, posts
