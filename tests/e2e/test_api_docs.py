"""The API's documentation page in a real browser: Swagger UI renders every operation under the content
security policy (the page fixture fails on any violation), every file comes from the portal itself (the
page works offline), and a signed-in officer tries an operation with the session."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_docs_render_offline_under_the_policy_and_try_a_call(page, portal, sign_in):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in(page, "dolisa")
    response = page.goto(portal + "/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("An Giang child-protection portal API")
    expect(page.locator(".opblock")).to_have_count(20)  # every operation of /api/schema/
    expect(page.get_by_text("Số liệu tổng hợp của một kỳ, như Bảng điều khiển")).to_be_visible()

    calendar = page.locator(".opblock", has_text="/api/v1/programs/{year}/calendar/")
    calendar.locator(".opblock-summary").click()
    calendar.get_by_role("button", name="Try it out").click()
    calendar.locator("input[placeholder='year']").fill("2018")
    calendar.get_by_role("button", name="Execute").click()
    expect(calendar.locator(".live-responses-table tbody .response-col_status").first).to_contain_text("200")
    expect(calendar.locator(".live-responses-table")).to_contain_text("entry_deadline")

    others = [url for url in requested if not url.startswith(portal) and not re.match(r"^(data|blob):", url)]
    assert others == []
