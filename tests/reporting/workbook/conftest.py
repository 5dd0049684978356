"""The workbook tests' shared fixture: Chợ Mới's Q1 draft."""

import pytest

from tests.reporting.helpers import make_submission

from .helpers import OWN


@pytest.fixture
def draft(program, clock):
    """Chợ Mới's Q1 draft (indicators 8/10), ten days before the deadline (20/03)."""
    return make_submission(OWN, status="draft")
