"""The admin cannot rewrite a compiled report's versions: they can be read in the Django admin, but
not added, changed or deleted (they are made and compiled by documents.services)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from documents.models import ReportVersion
from programs.models import ProvincialReport
from tests.admin_pages import (
    assert_add_refused,
    assert_change_refused,
    assert_delete_refused,
    assert_list_queries_do_not_grow,
    assert_pages_show,
)

pytestmark = pytest.mark.django_db

V = ReportVersion


def new_version(kind: str, number: int = 1) -> ReportVersion:
    report = ProvincialReport.objects.get(program__year=2018, kind=kind)
    return V.objects.create(report=report, number=number, trigger=V.Trigger.MANUAL, created_at=timezone.now(),
                            status=V.Status.FAILED, error="Lỗi khi biên soạn")  # fmt: skip


@pytest.fixture
def version(program):
    return new_version("six_month")


@pytest.fixture
def admin(login):
    return login("admin")


def test_admin_pages_still_show_the_versions(version, admin):
    assert_pages_show(admin, version)


def test_admin_version_list_costs_the_same_queries_for_more_versions(version, admin, django_assert_num_queries):
    assert_list_queries_do_not_grow(admin, V, add_more=lambda: new_version("annual"),
                                    django_assert_num_queries=django_assert_num_queries)  # fmt: skip


def test_admin_cannot_change_a_version(version, admin):
    """Marking a failed version done in the admin is refused (403) and changes nothing."""
    assert_change_refused(admin, version, field="status", value=V.Status.DONE, tables=[V])


def test_admin_cannot_add_or_delete_a_version(version, admin):
    assert_add_refused(admin, V, tables=[V])
    assert_delete_refused(admin, version, tables=[V])
