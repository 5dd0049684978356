"""A user's province has one source (programs.selectors.user_province_id): an agency's users take its
province and leave the user's own field empty."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from tests.ministry.helpers import province_with

pytestmark = pytest.mark.django_db


def test_a_user_of_an_agency_takes_its_province_and_sets_none():
    """Refused with a message on the province field."""
    program = province_with("Tỉnh Một", [(1, 2)])
    user = User(username="x", agency=program.duties.first().agency, province=program.province)
    with pytest.raises(ValidationError) as refused:
        user.clean()
    assert "province" in refused.value.message_dict
