"""The incident filing form (incidents.forms): what it asks and says. Its bad input is refused in Vietnamese
(tests/incidents/test_services.py, through the page)."""

import pytest
from django.urls import reverse

from .helpers import CHO_MOI, client_for

pytestmark = pytest.mark.django_db


def test_form_tells_not_to_enter_identities(program, clock):
    """The filing form says not to enter anything that identifies a child, and asks for no name or birth date."""
    html = client_for("ubnd-cho-moi").get(reverse("incidents:create")).content.decode()
    assert "Không ghi tên, địa chỉ, ngày sinh, số định danh" in html
    assert 'name="ten"' not in html and "Họ tên" not in html and "Ngày sinh" not in html


def test_district_form_starts_with_its_district(program, clock):
    """A district People's Committee's form starts with its own district chosen."""
    response = client_for("ubnd-cho-moi").get(reverse("incidents:create"))
    assert response.context["form"]["district"].value() == program.province.children.get(code=CHO_MOI).pk
