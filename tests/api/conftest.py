"""Clients of the API: api("dolisa") calls with a token of that demo account (created through the
service, as the tokens page does); api("viewer") signs in with a session instead, since viewers hold no
tokens; api(None) is anonymous."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from api.selectors import may_hold_tokens
from api.services import token_create

BASE = "/api/v1/programs/2018"


@pytest.fixture
def api(program):
    def _client(username: str | None = None, *, session: bool = False) -> APIClient:
        client = APIClient()
        if username is None:
            return client
        user = User.objects.get(username=username)
        if session or not may_hold_tokens(user):
            client.force_login(user)
        else:
            _token, secret = token_create(user=user, name="tests")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return _client
