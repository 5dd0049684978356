"""Filing an incident and adding a note are idempotent: each form carries a token of its own (a hidden
field, unique in the database), and the same form sent twice (a double click, a retry after a lost
answer) files one incident, sends one e-mail, adds one note."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from incidents.models import Incident, IncidentNote

from .helpers import client_for, file_incident, post_form

pytestmark = pytest.mark.django_db


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f-]{36})"', page).group(1)


def test_the_same_filing_form_sent_twice_files_one_incident_and_one_email(
    program, clock, settings, django_capture_on_commit_callbacks
):
    clock("2018-05-10")
    settings.PORTAL_DOLISA_EMAIL = "bvcste@example.org"
    client = client_for("so-y-te")
    form_page = client.get(reverse("incidents:create")).content.decode()
    data = {**post_form(program), "token": token_of(form_page)}
    assert token_of(client.get(reverse("incidents:create")).content.decode()) != data["token"]  # one per form shown
    before = Incident.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("incidents:create"), data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse("incidents:create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Incident.objects.count() == before + 1
    assert len(mail.outbox) == 1


def test_a_form_with_errors_keeps_its_token_so_the_corrected_one_files_once(program, clock):
    clock("2018-05-10")
    client = client_for("so-y-te")
    data = {
        **post_form(program, actions=""),
        "token": token_of(client.get(reverse("incidents:create")).content.decode()),
    }
    again = client.post(reverse("incidents:create"), data)
    assert again.status_code == 200 and token_of(again.content.decode()) == data["token"]
    data["actions"] = "Đã tiếp nhận."
    client.post(reverse("incidents:create"), data)
    client.post(reverse("incidents:create"), data)
    assert Incident.objects.filter(submit_token=data["token"]).count() == 1


def test_the_same_note_form_sent_twice_adds_one_note(program, clock):
    clock("2018-05-10")
    incident = file_incident(program)
    client = client_for("dolisa")
    detail = client.get(reverse("incidents:detail", kwargs={"pk": incident.pk})).content.decode()
    data = {"text": "Đã thăm hỏi gia đình.", "token": token_of(detail)}
    for _ in range(2):
        assert client.post(reverse("incidents:note_add", kwargs={"pk": incident.pk}), data).status_code == 302
    assert IncidentNote.objects.filter(incident=incident).count() == 1


def test_every_page_guards_its_forms_against_a_second_submit(program):
    """The browser's side: a vendored script on every page (static/js/submit-guard.js, no CDN)."""
    page = client_for("so-y-te").get("/").content.decode()
    assert '<script src="/static/js/submit-guard.js"></script>' in page
