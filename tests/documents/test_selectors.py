"""Reads of the compiled reports (documents.selectors): the progress of a compile as its page shows it.
Who may read which version is tested through the pages (test_views.py)."""

from __future__ import annotations

import pytest

from documents import selectors
from documents.models import ReportVersion

from .helpers import new_version

pytestmark = pytest.mark.django_db
V = ReportVersion


def test_progress_lists_the_steps(program):
    """Each step pending, done, current or failed, with its Vietnamese label."""
    version = new_version()
    progress = selectors.version_progress(version=version)
    assert progress["status"] == "queued" and [s["state"] for s in progress["steps"]] == ["pending"] * 4
    ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.RUNNING, step=V.Step.XLSX, percent=70)
    version.refresh_from_db()
    progress = selectors.version_progress(version=version)
    assert [s["state"] for s in progress["steps"]] == ["done", "done", "current", "pending"]
    assert [s["label"] for s in progress["steps"]] == ["Tổng hợp số liệu", "Soạn báo cáo PDF", "Lập phụ lục Excel",
                                                        "Lưu tệp"]  # fmt: skip
    ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.FAILED, error="x")
    version.refresh_from_db()
    progress = selectors.version_progress(version=version)
    assert [s["state"] for s in progress["steps"]] == ["done", "done", "failed", "pending"]
