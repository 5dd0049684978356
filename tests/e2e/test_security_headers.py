"""Every page works under the content security policy: no inline script or style is blocked (the page
fixture fails on any violation the browser reports), the admin included."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAGES = {
    "dolisa": ["/", "/dashboard/2018/", "/reports/2018/", "/submissions/2018/", "/incidents/", "/programs/2018/"],
    "admin": ["/admin/", "/admin/programs/agency/", "/admin/reporting/submission/", "/admin/accounts/user/1/change/"],
}


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_load_without_policy_violations(page, portal, sign_in, username):
    sign_in(page, username)
    for path in PAGES[username]:
        response = page.goto(portal + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        expect(page.locator("body")).to_be_visible()
