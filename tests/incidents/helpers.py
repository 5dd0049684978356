"""Helpers for the incident tests: places of the 2018 program, filing through the service, clients."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from accounts.models import User
from incidents import services
from incidents.selectors import incident_places
from programs.models import AdminUnit
from tests.helpers import form_post
from tests.incidents.factories import IncidentFactory

CHO_MOI = "893"  # Huyện Chợ Mới
AN_PHU = "886"  # Huyện An Phú


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
    return form_post(data, overrides)


def three_incidents(program) -> None:
    """Two cases in a commune of Chợ Mới (Q2: violence, 1 case and 3 children; drowning, 1 child) and one
    in Tri Tôn (Q1: sexual abuse, 2 children): 3 cases and 6 children over the year to date."""
    cho_moi = AdminUnit.objects.get(parent=program.province, short_name="Chợ Mới")
    tri_ton = AdminUnit.objects.get(parent=program.province, short_name="Tri Tôn")
    filer = User.objects.get(username="so-y-te")
    commune = cho_moi.children.order_by("order").first()
    IncidentFactory(filed_by=filer, commune=commune, occurred_on=dt.date(2018, 5, 2), kind="violence",
                    boys_6_11=1, girls_11_16=2)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=commune, occurred_on=dt.date(2018, 4, 20), kind="drowning_injury",
                    boys_6_11=1)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=tri_ton.children.order_by("order").first(), occurred_on=dt.date(2018, 2, 9),
                    kind="sexual_abuse", girls_11_16=1)  # with the factory's boy aged 6–11: 2 children  # fmt: skip
