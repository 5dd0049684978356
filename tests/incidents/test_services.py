"""Filing an incident: DOLISA gets exactly one e-mail (after commit) that names no child; bad input is
refused with a message in Vietnamese and saves nothing; follow-up notes, closing and reopening."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from incidents import services
from incidents.models import Incident, IncidentNote

from .helpers import AN_PHU, client_for, file_incident, post_form

pytestmark = pytest.mark.django_db

MARKER = "Nguyễn Văn Bé"  # what an officer might type despite the warning: it must never leave the portal by mail


@pytest.fixture
def dolisa_addresses(settings):
    settings.PORTAL_DOLISA_EMAIL = "bvcste@soldtbxh.example.vn"
    User.objects.filter(username="dolisa").update(email="canbo.dolisa@example.vn")
    User.objects.filter(username="so-y-te").update(email="so-y-te@example.vn")  # a reporter: not told
    return ["bvcste@soldtbxh.example.vn", "canbo.dolisa@example.vn"]


def test_new_incident_sends_one_email_without_identity(program, clock, dolisa_addresses,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    data = post_form(program, actions=f"Đã đưa cháu {MARKER} đi khám.", needs=f"Hỗ trợ gia đình {MARKER}.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("so-y-te").post(reverse("incidents:create"), data)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(dolisa_addresses)
    assert message.subject == (
        f"[BVCSTE An Giang] Báo cáo đột xuất: Xâm hại tình dục tại {incident.commune.name}, Huyện Chợ Mới"
    )
    body = message.body
    assert "Sở Y tế vừa gửi một báo cáo đột xuất" in body
    assert "Ngày xảy ra: 02/05/2018" in body
    assert "Số trẻ em: 1 (nam 0, nữ 1)" in body
    assert "Từ 11 đến dưới 16 tuổi: nam 0, nữ 1" in body
    assert "cơ quan công an, cơ quan y tế" in body
    assert f"http://testserver/incidents/{incident.pk}/" in body
    assert MARKER not in body and MARKER not in message.subject
    assert "Hỗ trợ" not in body  # no free text at all


def test_email_only_after_commit(program, clock, dolisa_addresses):
    """Inside the (test) transaction nothing is sent: the e-mail waits for the commit."""
    file_incident(program, notify=True)
    assert mail.outbox == []


def test_without_a_dolisa_address_no_email_is_sent_and_it_is_logged(
    program, clock, django_capture_on_commit_callbacks, caplog
):
    """With no DOLISA address the filing is kept, no e-mail is sent, and the log says why."""
    User.objects.filter(groups__name="dolisa_officer").update(email="")
    with django_capture_on_commit_callbacks(execute=True):
        file_incident(program, notify=True)
    assert mail.outbox == []
    assert "no DOLISA address" in caplog.text


def _errors(response) -> dict:
    form = response.context["form"]
    return {k: [str(e) for e in v] for k, v in form.errors.items()}


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        (
            {"commune": "other-district"},
            "commune",
            "không thuộc Huyện Chợ Mới: vui lòng chọn lại xã, phường, thị trấn.",
        ),
        ({"girls_11_16": "0"}, "__all__", "Vui lòng nhập số trẻ em liên quan: ít nhất 01 trẻ em."),
        ({"boys_6_11": "-2"}, "boys_6_11", "Số trẻ em không được âm."),
        ({"boys_6_11": "1,5"}, "boys_6_11", "Vui lòng nhập số nguyên không âm."),
        ({"occurred_on": "2018-05-11"}, "occurred_on", "Ngày xảy ra không được sau ngày hôm nay."),
        ({"occurred_on": None}, "occurred_on", "Vui lòng nhập ngày xảy ra."),
        ({"kind": None}, "kind", "Vui lòng chọn loại vụ việc."),
        ({"actions": "  "}, "actions", "Vui lòng ghi rõ nội dung này."),
        ({"other_involved": "on"}, "other_involved_text", "Vui lòng ghi rõ cơ quan, tổ chức khác."),
        ({"district": "999999"}, "district", "Vui lòng chọn một huyện, thị xã, thành phố của tỉnh."),
    ],
)
def test_bad_input_is_refused_in_vietnamese(program, clock, overrides, field, message):
    overrides = dict(overrides)
    if overrides.get("commune") == "other-district":
        overrides["commune"] = post_form(program, AN_PHU)["commune"]
    response = client_for("ubnd-cho-moi").post(reverse("incidents:create"), post_form(program, **overrides))
    assert response.status_code == 200
    errors = _errors(response)
    assert any(message in e for e in errors.get(field, [])), errors
    assert Incident.objects.count() == 0
    assert mail.outbox == []


def test_service_refuses_a_future_date_by_its_own_clock(program, clock):
    import datetime as dt
    from zoneinfo import ZoneInfo

    at = dt.datetime(2018, 3, 1, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with pytest.raises(ValidationError) as exc:
        services.incident_file(
            user=User.objects.get(username="so-y-te"), program=program, at=at, notify=False,
            data={**_data(program), "occurred_on": dt.date(2018, 3, 2)},
        )  # fmt: skip
    assert exc.value.message_dict == {"occurred_on": ["Ngày xảy ra không được sau ngày hôm nay."]}


def _data(program):
    from .helpers import incident_data

    return incident_data(program)


def test_only_reporters_file(program, clock):
    from django.core.exceptions import PermissionDenied

    for username in ("dolisa", "viewer", "admin"):
        with pytest.raises(PermissionDenied):
            services.incident_file(user=User.objects.get(username=username), program=program, data=_data(program))


def test_notes_closing_and_reopening_follow_a_case(program, clock):
    """Notes while open; DOLISA closes (with its note), nothing more is added, then reopens; each step in history."""
    incident = file_incident(program)
    officer = User.objects.get(username="dolisa")
    services.incident_note_add(incident=incident, user=User.objects.get(username="ubnd-cho-moi"), text=" Đã thăm. ")
    services.incident_close(incident=incident, user=officer, note="Trẻ đã ổn định.")
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by == officer and incident.closed_at is not None
    assert list(IncidentNote.objects.filter(incident=incident).values_list("text", flat=True)) == [
        "Đã thăm.", "Trẻ đã ổn định."
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="Vụ việc đã kết thúc"):
        services.incident_close(incident=incident, user=officer)
    with pytest.raises(ValidationError, match="mở lại trước khi ghi thêm"):
        services.incident_note_add(incident=incident, user=officer, text="Thêm")
    services.incident_reopen(incident=incident, user=officer, note="Phát sinh tình tiết mới.")
    incident.refresh_from_db()
    assert incident.status == "open" and incident.closed_at is None and incident.closed_by is None
    assert incident.history.count() == 3  # filed, closed, reopened: each with who did it
    assert incident.history.first().history_user == officer


def test_follow_up_pages(program, clock):
    """The detail page shows the counts, the notes and, for DOLISA, the close button; messages in Vietnamese."""
    incident = file_incident(program)
    c = client_for("dolisa")
    url = reverse("incidents:detail", kwargs={"pk": incident.pk})
    response = c.post(reverse("incidents:note_add", kwargs={"pk": incident.pk}), {"text": ""}, follow=True)
    assert "Vui lòng nhập nội dung ghi chú." in response.content.decode()
    response = c.post(reverse("incidents:close", kwargs={"pk": incident.pk}), {"note": "Xong."}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(url, 302)]
    assert "Đã kết thúc theo dõi vụ việc." in html and "Mở lại vụ việc" in html and "Xong." in html
    assert 'data-testid="note-form"' not in html
    response = c.post(reverse("incidents:close", kwargs={"pk": incident.pk}), follow=True)
    assert "Vụ việc đã kết thúc." in response.content.decode()
    html = client_for("ubnd-cho-moi").get(url).content.decode()
    assert 'data-testid="follow-up"' not in html
    assert "Số trẻ em liên quan: 3" in html


def test_mail_server_down_does_not_lose_the_report(program, clock, dolisa_addresses, monkeypatch, caplog,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    """The incident is committed before DOLISA is told; a failing mail server is logged, the agency sees its report."""

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("incidents.services.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("so-y-te").post(reverse("incidents:create"), post_form(program))
    assert response.status_code == 302 and Incident.objects.count() == 1
    assert "could not be notified" in caplog.text


# ------------------------------------------------------------------------------------------------
# The incidents' data version (the dashboard's cached incident figures)
# ------------------------------------------------------------------------------------------------
def test_filing_following_up_closing_and_reopening_each_move_the_data_version(
    program, clock, django_capture_on_commit_callbacks
):
    """Each write moves the incidents' version in its transaction, once: the dashboard shows it."""
    from core import dataversion

    officer, filer = User.objects.get(username="dolisa"), User.objects.get(username="so-y-te")
    incident = None

    def file():
        nonlocal incident
        incident = file_incident(program)

    steps = [
        file,
        lambda: services.incident_note_add(incident=incident, user=filer, text="Đã thăm hỏi gia đình."),
        lambda: services.incident_close(incident=incident, user=officer),
        lambda: services.incident_reopen(incident=incident, user=officer, note="Có tin mới."),
    ]
    for step in steps:
        before = dataversion.version(dataversion.INCIDENTS)
        with django_capture_on_commit_callbacks(execute=True):
            step()
            assert dataversion.version(dataversion.INCIDENTS) == before + 1
        assert dataversion.version(dataversion.INCIDENTS) == before + 1
