"""The incident tests' fixture: the portal's clock on the demo's day. Their helpers are in
tests/incidents/helpers.py."""

import pytest


@pytest.fixture
def clock(settings):
    """The portal's today: 10/05/2018 (the demo's day) unless a test sets another."""

    def _set(day: str):
        settings.PORTAL_CLOCK_TODAY = day

    _set("2018-05-10")
    return _set
