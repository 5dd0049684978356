"""The documents tests' shared fixture."""

import pytest

from documents import services as compiling


@pytest.fixture
def media(settings, tmp_path, monkeypatch):
    """Compiled files in a folder of the test's own, as of 20/05/2018, with a stand-in PDF (fast)."""
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    monkeypatch.setattr(compiling, "report_pdf", lambda **kw: b"%PDF-1.7 fake report")
    return tmp_path
