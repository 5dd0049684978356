"""A user's own password: changed in the portal, reset by e-mail when forgotten (Django's views, Vietnamese
pages and mail, rate-limited per address and per client address), and changed at the next sign-in when an
administrator asks for it. Signed-in pages and files are never cached; Django's NUL message is Vietnamese."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import views as account_views
from accounts.admin import UserAdmin
from accounts.models import User

pytestmark = pytest.mark.django_db
NEW = "mot-mat-khau-moi-du-dai-2018"


def test_a_user_changes_their_password(login, program, demo_password):
    client = login("so-y-te")
    page = client.get(reverse("password_change")).content.decode()
    assert "Đổi mật khẩu" in page and "ít nhất 12 ký tự" in page
    data = {"old_password": demo_password, "new_password1": NEW, "new_password2": NEW}
    response = client.post(reverse("password_change"), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Đã đổi mật khẩu" in response.content.decode()
    assert User.objects.get(username="so-y-te").check_password(NEW)


def test_a_wrong_old_password_changes_nothing(login, program, demo_password):
    client = login("so-y-te")
    response = client.post(reverse("password_change"),
                           {"old_password": "sai", "new_password1": NEW, "new_password2": NEW})  # fmt: skip
    assert response.status_code == 200
    assert User.objects.get(username="so-y-te").check_password(demo_password)


def test_an_administrator_forces_a_change_at_next_sign_in(login, program, demo_password, rf):
    """The admin's action flags the users; each is sent to the change page on every request until done."""
    request = rf.post("/admin/accounts/user/")
    request.user = User.objects.get(username="admin")
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    UserAdmin(User, site).require_password_change(request, User.objects.filter(username="so-y-te"))
    assert User.objects.get(username="so-y-te").must_change_password

    client = login("so-y-te")
    for url in ("/", "/submissions/2018/", "/incidents/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    assert client.get(reverse("password_change")).status_code == 200
    client.post(reverse("password_change"), {"old_password": demo_password, "new_password1": NEW, "new_password2": NEW})
    assert not User.objects.get(username="so-y-te").must_change_password
    assert client.get("/").status_code == 200


def test_a_forgotten_password_is_reset_by_email(program):
    user = User.objects.get(username="so-y-te")
    client = Client()
    assert "Quên mật khẩu?" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": user.email}, follow=True)
    assert "Đã gửi thư đặt lại mật khẩu" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "Đặt lại mật khẩu" in message.subject and "Xin chào so-y-te" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    assert User.objects.get(username="so-y-te").check_password(NEW)


def test_an_unknown_address_gets_the_same_page_and_no_mail(program):
    response = Client().post(reverse("password_reset"), {"email": "khong-co@example.org"}, follow=True)
    assert "Đã gửi thư đặt lại mật khẩu" in response.content.decode()
    assert mail.outbox == []


def test_reset_e_mails_are_rate_limited_per_address_and_per_client(program, monkeypatch):
    email = User.objects.get(username="so-y-te").email
    client = Client()
    for _ in range(account_views.RESETS_PER_ADDRESS):
        assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    refused = client.post(reverse("password_reset"), {"email": email})
    assert refused.status_code == 429
    assert "nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert len(mail.outbox) == account_views.RESETS_PER_ADDRESS

    monkeypatch.setattr(account_views, "RESETS_PER_IP", account_views.RESETS_PER_ADDRESS + 1)
    assert client.post(reverse("password_reset"), {"email": "other@example.org"}).status_code == 429  # this client


def test_signed_in_pages_and_files_are_never_cached(login, program):
    client = login("ubnd-cho-moi")
    for url in ("/", "/incidents/", "/submissions/2018/q1/ubnd-cho-moi/workbook.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_a_nul_character_is_refused_in_vietnamese(program):
    from incidents.forms import NoteForm

    form = NoteForm({"text": "ghi chú\x00"})
    assert not form.is_valid()
    assert form.errors["text"] == ["Văn bản không được chứa ký tự rỗng (NUL, mã 0)."]
