"""API tokens: a user creates, names, sees and revokes them on the tokens page (account menu); a secret is
shown once and stored only as its SHA-256; a call with a token acts as its user; rate limits count each
token apart; creations, revocations, writes and refused calls are in the security log."""

from __future__ import annotations

import hashlib
import logging
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from api.models import ApiToken
from tests.api.conftest import BASE

pytestmark = pytest.mark.django_db
PAGE = reverse("api:tokens")


def _create(client: Client, name: str = "Hệ thống của Sở"):
    """Create a token on the page; the answer and the secret it shows."""
    response = client.post(PAGE, {"name": name})
    assert response.status_code == 200
    match = re.search(r'data-testid="secret">([^<]+)<', response.content.decode())
    return response, match.group(1) if match else None


def _bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.parametrize("username", ["dolisa", "admin", "ubnd-cho-moi", "so-y-te"])
def test_officers_and_reporters_create_a_token_whose_secret_is_shown_once_and_stored_hashed(login, username):
    client = login(username)
    response, secret = _create(client)
    assert secret and secret.startswith("bvcste_") and len(secret) > 40
    assert "no-store" in response["Cache-Control"]  # the page with the secret is never cached
    token = ApiToken.objects.get(user__username=username)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=secret).exists()
    assert all(secret not in str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk))
    assert secret.startswith(token.prefix) and len(token.prefix) < 16
    again = client.get(PAGE).content.decode()
    assert secret not in again  # shown once
    assert f"{token.prefix}…" in again and "Hệ thống của Sở" in again and "Chưa dùng" in again
    assert _bearer(secret).get(BASE + "/").status_code == 200


@pytest.mark.parametrize("username,expected", [(None, 302), ("viewer", 404)])
def test_viewers_and_anonymous_have_no_tokens_page(client, login, program, username, expected):
    """Viewers read the pages and hold no token; the account menu shows the page only to those who may."""
    if username:
        login(username)
    assert client.get(PAGE).status_code == expected
    assert client.post(PAGE, {"name": "x"}).status_code == expected
    assert not ApiToken.objects.exists()
    if username:
        assert 'data-testid="nav-api-tokens"' not in client.get("/").content.decode()


def test_the_account_menu_leads_to_the_tokens_page(login):
    assert 'data-testid="nav-api-tokens"' in login("ubnd-cho-moi").get("/").content.decode()


def test_a_token_needs_a_name_and_a_user_holds_at_most_ten(login, settings):
    client = login("dolisa")
    response, secret = _create(client, name="   ")
    assert secret is None and "Vui lòng đặt tên cho khóa" in response.content.decode()
    settings.PORTAL_API_MAX_TOKENS = 2
    assert _create(client, "a")[1] and _create(client, "b")[1]
    response, secret = _create(client, "c")
    assert secret is None and "tối đa 2 khóa" in response.content.decode()
    assert ApiToken.objects.filter(user__username="dolisa").count() == 2


def test_the_page_shows_when_and_from_where_a_token_was_last_used(login):
    client = login("so-y-te")
    _response, secret = _create(client)
    _bearer(secret).get(BASE + "/", REMOTE_ADDR="10.1.2.3")
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.last_used_ip == "10.1.2.3"
    page = client.get(PAGE).content.decode()
    assert "Chưa dùng" not in page and "10.1.2.3" in page


def test_a_forwarded_address_that_is_no_address_is_not_kept(login, settings):
    settings.PORTAL_PROXY_COUNT = 1
    _response, secret = _create(login("so-y-te"))
    assert _bearer(secret).get(BASE + "/", HTTP_X_FORWARDED_FOR="unknown").status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.last_used_ip is None


def test_a_revoked_token_opens_nothing_and_stays_listed(login):
    client = login("ubnd-cho-moi")
    _response, secret = _create(client)
    token = ApiToken.objects.get()
    response = client.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    assert _bearer(secret).get(BASE + "/").status_code == 401
    page = client.get(PAGE).content.decode()
    assert "Đã thu hồi" in page and 'data-testid="revoke"' not in page


def test_nobody_revokes_another_users_token(login):
    _response, secret = _create(login("ubnd-cho-moi"))
    token = ApiToken.objects.get()
    other = login("dolisa", Client())
    assert other.post(reverse("api:token_revoke", kwargs={"pk": token.pk})).status_code == 404
    assert ApiToken.objects.get().is_live
    assert _bearer(secret).get(BASE + "/").status_code == 200


@pytest.mark.parametrize("change", ["deactivated", "became_viewer"])
def test_a_token_acts_with_its_users_current_state_and_role(login, change):
    """A token is no key of its own: a deactivated user's tokens, or those of a user who is now a viewer
    (who holds no tokens), open nothing."""
    _response, secret = _create(login("ubnd-cho-moi"))
    user = User.objects.get(username="ubnd-cho-moi")
    if change == "deactivated":
        user.is_active = False
        user.save(update_fields=["is_active"])
    else:
        user.groups.set([Group.objects.get(name="viewer")])
    assert _bearer(secret).get(BASE + "/").status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer bvcste_nope", "Bearer ŧ"])
def test_a_malformed_or_unknown_token_is_401_in_vietnamese(program, header):
    client = APIClient()
    response = client.get(BASE + "/", HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "authentication_failed"


def test_rate_limit_counts_each_token_apart(login, settings, caplog):
    """Past PORTAL_API_RATE calls a token is refused with 429 and Retry-After; the user's other token,
    and other users, still get through."""
    settings.PORTAL_API_RATE = "3/minute"
    caplog.set_level(logging.INFO, logger="portal.security")
    client = login("dolisa")
    first, second = _bearer(_create(client, "a")[1]), _bearer(_create(client, "b")[1])
    assert [first.get(BASE + "/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(BASE + "/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "thử lại sau" in refused.json()["detail"]
    assert second.get(BASE + "/").status_code == 200
    token = ApiToken.objects.get(name="a")
    assert "event=api_refused user=dolisa ip=127.0.0.1 path=/api/v1/programs/2018/ status=429" in caplog.text
    assert f"token={token.prefix}" in caplog.text


def test_token_life_is_in_the_security_log(login, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    client = login("so-y-te")
    _create(client)
    token = ApiToken.objects.get()
    client.post(reverse("api:token_revoke", kwargs={"pk": token.pk}))
    assert f"event=api_token_created user=so-y-te ip=127.0.0.1 path=/api/tokens/ token={token.prefix}" in caplog.text
    assert "event=api_token_revoked user=so-y-te" in caplog.text


@pytest.mark.parametrize(
    "call,status",
    [
        (lambda c: APIClient().get(BASE + "/submissions/"), 401),
        (lambda c: c.get(BASE + "/submissions/1/so-y-te/"), 404),
        (lambda c: c.get(BASE + "/submissions/1/ubnd-cho-moi/history/"), 403),
        (lambda c: c.get(BASE + "/documents/"), 404),
        (lambda c: c.put(BASE + "/submissions/1/ubnd-cho-moi/", {}, format="json"), 428),
        (lambda c: c.put(BASE + "/submissions/1/ubnd-cho-moi/", {}, format="json", HTTP_IF_MATCH='"7"'), 412),
    ],
)
def test_every_refused_call_is_in_the_security_log(api, clock, caplog, call, status):
    caplog.set_level(logging.INFO, logger="portal.security")
    response = call(api("ubnd-cho-moi"))
    assert response.status_code == status
    line = next(r.getMessage() for r in caplog.records if "event=api_refused" in r.getMessage())
    assert f"path={response.wsgi_request.path} status={status}" in line
    assert ("user=-" if status == 401 else "user=ubnd-cho-moi") in line


def test_a_session_write_needs_the_csrf_token(program, clock):
    """The browsable documentation uses the signed-in session: a write from it needs the CSRF token, as a
    form of the portal does; nothing changes without it."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="ubnd-cho-moi"))
    url = BASE + "/submissions/1/ubnd-cho-moi/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"difficulties": "x"}, format="json", HTTP_IF_MATCH='"0"')
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    client.get("/api/docs/?script=")  # the docs page's script carries the CSRF token and sets its cookie
    token = client.cookies["csrftoken"].value
    ok = client.patch(url, {"difficulties": "x"}, format="json", HTTP_IF_MATCH='"0"', HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok["ETag"] == '"1"'
