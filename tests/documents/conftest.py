"""The compiled-report tests' fixture: files written to a folder of the test's own."""

import pytest


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in the test's folder; the portal's day 20/05/2018 (the six-month report's due date)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    return tmp_path
