"""Helpers for the incident tests: places of the 2018 program, filing through the service, clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.models import User
from incidents import services
from incidents.selectors import incident_places
from programs.models import AdminUnit

CHO_MOI = "893"  # Huyện Chợ Mới
AN_PHU = "886"  # Huyện An Phú


@pytest.fixture
def clock(settings):
    """The portal's today: 10/05/2018 (the demo's day) unless a test sets another."""

    def _set(day: str):
        settings.PORTAL_CLOCK_TODAY = day

    _set("2018-05-10")
    return _set


def client_for(username: str | None) -> Client:
    c = Client()
    if username:
        c.force_login(User.objects.get(username=username))
    return c


def district(code: str) -> AdminUnit:
    return AdminUnit.objects.get(code=code, level=AdminUnit.Level.DISTRICT)


def communes_of(program, code: str) -> list[AdminUnit]:
    districts, communes = incident_places(program=program)
    return communes[district(code).pk]


def incident_data(program, code: str = CHO_MOI, commune: int = 0, **overrides) -> dict:
    """Cleaned form data for an incident in the district `code` (its commune number `commune`)."""
    data = {
        "occurred_on": dt.date(2018, 5, 2),
        "district": district(code),
        "commune": communes_of(program, code)[commune],
        "kind": "violence",
        "boys_6_11": 1,
        "girls_11_16": 2,
        "actions": "Đã can thiệp, đưa trẻ đến nơi an toàn.",
        "police_involved": True,
    }
    data.update(overrides)
    return data


def file_incident(program, filer: str = "so-y-te", code: str = CHO_MOI, notify: bool = False, **overrides):
    return services.incident_file(
        user=User.objects.get(username=filer), program=program, data=incident_data(program, code, **overrides),
        notify=notify,
    )  # fmt: skip


def post_form(program, code: str = CHO_MOI, commune_index: int = 0, **overrides) -> dict:
    """The filing form as a browser posts it (overrides: field → text; None drops the field)."""
    data = {
        "occurred_on": "2018-05-02",
        "district": str(district(code).pk),
        "commune": str(communes_of(program, code)[commune_index].pk),
        "kind": "sexual_abuse",
        "boys_under_6": "0",
        "girls_11_16": "1",
        "actions": "Công an huyện đã tiếp nhận tin báo; trẻ được khám và tư vấn tâm lý.",
        "police_involved": "on",
        "health_involved": "on",
        "needs": "Hỗ trợ tâm lý dài hạn.",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
