"""A save changes exactly what the agency changed: stored rows are compared with the form, an
unchanged form writes nothing, a changed tick is one change, recorded in history."""

import pytest
from django.contrib.messages import get_messages
from django.forms import BooleanField

from reporting.fields import commune_field
from reporting.models import CommuneStatus, Submission
from tests.reporting.helpers import post_data, spec_for, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-cho-moi"


def _messages(response) -> list[str]:
    """The messages this response added (earlier ones wait in the cookie until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_ticks_saved_then_unchanged_then_one_changed(login, program, clock):
    c = login(AGENCY)
    spec = spec_for(AGENCY)
    first, second = spec.communes[:2]
    ticks = {commune_field(first.pk, "safe_home_pilot"): "on", commune_field(second.pk, "safe_home_pilot"): "on"}
    response = c.post(url_for(AGENCY), post_data(AGENCY, **ticks, action="save"))
    assert response.status_code == 302
    assert _messages(response) == ["Đã lưu nháp (2 thay đổi)."]
    sub = Submission.objects.get(agency__code=AGENCY, quarter__number=1)
    assert set(
        CommuneStatus.objects.filter(submission=sub, safe_home_pilot=True).values_list("commune_id", flat=True)
    ) == {
        first.pk,
        second.pk,
    }

    # the same form again: nothing to save, the version does not move
    response = c.post(url_for(AGENCY), post_data(AGENCY, action="save"))
    assert _messages(response) == ["Không có thay đổi nào để lưu."]
    sub.refresh_from_db()
    assert sub.version == 2  # created, then claimed by the second save; no row written

    # one box unticked: one change, and history says who changed what from what
    response = c.post(
        url_for(AGENCY), post_data(AGENCY, **{commune_field(second.pk, "safe_home_pilot"): None}, action="save")
    )
    assert _messages(response) == ["Đã lưu nháp (1 thay đổi)."]
    row = CommuneStatus.objects.get(submission=sub, commune_id=second.pk)
    assert row.safe_home_pilot is False
    last = row.history.order_by("-history_id").first()
    assert last.safe_home_pilot is False and last.history_user.username == AGENCY
    assert CommuneStatus.objects.get(submission=sub, commune_id=first.pk).safe_home_pilot is True


def test_a_browser_post_with_every_field_empty_saves_nothing(login, program, clock):
    """A browser posts every text input and textarea, empty or not."""
    c = login(AGENCY)
    spec = spec_for(AGENCY)
    from reporting.forms import SubmissionForm

    data = {name: "" for name, field in SubmissionForm(spec=spec).fields.items() if not isinstance(field, BooleanField)}
    data.update(version="0", action="save")
    response = c.post(url_for(AGENCY), data)
    assert response.status_code == 302
    assert _messages(response) == ["Không có thay đổi nào để lưu."]
