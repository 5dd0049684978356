"""The error pages a user meets, as in `make run` and production (DEBUG off, as in the test settings): the
portal's own Vietnamese pages with the right status, never Django's technical page listing the URL patterns.
403 and 404 keep the portal's layout; 500, 400 and a refused CSRF check are standalone pages that need no
request, database or URL resolution."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views import defaults
from django.views.csrf import csrf_failure

pytestmark = pytest.mark.django_db

TECHNICAL = ("Using the URLconf", "urlpatterns", "Traceback", "DEBUG = True", "Page not found", "Forbidden")


def assert_portal_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert '<html lang="vi">' in html
    assert not [t for t in TECHNICAL if t in html]
    return html


def test_debug_is_off(settings):
    assert settings.DEBUG is False


def test_a_missing_page_is_the_portals_404_in_its_layout(login):
    html = assert_portal_page(login("dolisa").get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")
    assert "Về trang chủ" in html and 'data-testid="whoami"' in html  # the layout, signed in


def test_a_missing_page_signed_out_is_the_404_too(program):
    assert_portal_page(Client().get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")


def test_a_forbidden_page_is_the_portals_403_in_its_layout(login):
    html = assert_portal_page(
        login("viewer").get("/programs/2018/calendar/quarters/1/"), 403, "Không có quyền truy cập"
    )
    assert "Tài khoản của bạn không được thực hiện thao tác này." in html and 'data-testid="whoami"' in html


def test_the_500_page_stands_alone(django_assert_num_queries):
    """Rendered without a request, a user or the database: what failed may be any of them."""
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = defaults.server_error(request)
    html = assert_portal_page(response, 500, "Lỗi máy chủ")
    assert "thao tác của bạn chưa được thực hiện" in html
    assert 'href="/static/css/portal.css"' in html  # the plain address, no manifest lookup


def test_the_400_page_stands_alone():
    assert_portal_page(defaults.bad_request(RequestFactory().get("/"), Exception()), 400, "Yêu cầu không hợp lệ")


def test_a_refused_csrf_check_says_what_to_do(login):
    c = login("dolisa")
    c.handler.enforce_csrf_checks = True
    html = assert_portal_page(c.post("/reports/2018/quarterly/compile/"), 403, "Trang đã cũ")
    assert "Hãy tải lại trang" in html
    assert_portal_page(csrf_failure(RequestFactory().post("/"), reason="x"), 403, "Trang đã cũ")
