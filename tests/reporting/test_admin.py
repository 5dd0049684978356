"""The admin cannot rewrite history: submissions, their values, review transitions, reminders and
uploaded workbooks can be read in the Django admin, but not added, changed, deleted or reverted to
an earlier version (every change goes through reporting.services: version check, lock, history)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from accounts.models import User
from reporting import services
from reporting.models import (
    ActivityProgress,
    CommuneStatus,
    IndicatorValue,
    OutputProgress,
    Reminder,
    Submission,
    Transition,
    WorkbookUpload,
)
from tests.admin_pages import (
    admin_url,
    assert_add_refused,
    assert_change_refused,
    assert_delete_refused,
    assert_list_queries_do_not_grow,
    assert_pages_show,
    assert_revert_refused,
)
from tests.helpers import ensure_program, rolled_back
from tests.reporting.helpers import make_submission
from tests.reporting.workbook.helpers import OWN, download, fill, find_header_of, spec_of, upload

pytestmark = pytest.mark.django_db

TABLES = (Submission, IndicatorValue, CommuneStatus, ActivityProgress, OutputProgress, Transition, Reminder,
          WorkbookUpload)  # fmt: skip
# Each model, and a field that a change would set: to this value.
CHANGES = [
    (Submission, "difficulties", "Sửa trong trang quản trị"),
    (IndicatorValue, "numerator", "1"),
    (CommuneStatus, "safe_home_full", "on"),
    (ActivityProgress, "children_boys", "99"),
    (OutputProgress, "quantity", "99"),
    (Transition, "comment", "Sửa trong trang quản trị"),
    (Reminder, "days_before", "9"),
    (WorkbookUpload, "original_name", "khac.xlsx"),
]
MODELS = [model for model, _field, _value in CHANGES]
WITH_HISTORY = [Submission, IndicatorValue, CommuneStatus, ActivityProgress, OutputProgress]


def report_with_every_value(code: str) -> Submission:
    """An agency's Q1 report with a value of every kind, saved twice (on the web, then from a workbook),
    then submitted; and a deadline reminder."""
    make_submission(code, status="draft")
    spec = spec_of(code)
    item = spec.activities[0]
    content = fill(download(code, code), [
        ("Chỉ số", spec.indicators[0].code, "Tử số", 7),
        ("Xã", spec.communes[0].code, find_header_of(spec, 0), "Có"),
        ("Hoạt động", item.activity.code, "Tình trạng", "Đang triển khai"),
        ("Chỉ tiêu đầu ra", spec.outputs[0].code, "Số lượng đạt trong quý", 3),
    ])  # fmt: skip
    assert upload(content, code, code).status_code == 302
    sub = Submission.objects.get(agency__code=code, quarter__number=1)
    services.submission_submit(submission=sub, user=User.objects.get(username=code), spec=spec,
                               expected_version=sub.version)  # fmt: skip
    Reminder.objects.create(agency=sub.agency, quarter=sub.quarter, days_before=5, recipients="a@example.org",
                            sent_at=dt.datetime(2018, 3, 10, 1, tzinfo=dt.UTC))  # fmt: skip
    return sub


@pytest.fixture(scope="module")
def submitted(django_db_setup, django_db_blocker, tmp_path_factory):
    """Chợ Mới's Q1 report, submitted, with a value of every kind and an earlier version of each; made
    once for this module (the tests change nothing, or fail) and undone afterwards."""
    media = tmp_path_factory.mktemp("media")
    with rolled_back(django_db_blocker), override_settings(PORTAL_CLOCK_TODAY="2018-03-10", MEDIA_ROOT=media):
        ensure_program()
        yield report_with_every_value(OWN)


@pytest.fixture
def admin(login):
    return login("admin")


def first(model):
    return model.objects.order_by("pk").first()


IDS = [model.__name__ for model in MODELS]


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_pages_still_show_the_records(submitted, admin, model):
    """The list and each record's page display (read only), with its history where it keeps one."""
    assert_pages_show(admin, first(model))


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_lists_cost_the_same_queries_for_more_records(
    submitted, admin, model, clock, settings, tmp_path, django_assert_num_queries
):
    """A list's queries do not grow with its rows (related objects are read with the rows)."""
    settings.MEDIA_ROOT = tmp_path
    assert_list_queries_do_not_grow(admin, model, add_more=lambda: report_with_every_value("ubnd-an-phu"),
                                    django_assert_num_queries=django_assert_num_queries)  # fmt: skip


def test_uploaded_workbook_page_shows_the_record_not_the_file(submitted, admin):
    """The file is served only by the portal's view that checks access: the admin page has no link to it."""
    kept = first(WorkbookUpload)
    html = admin.get(admin_url(WorkbookUpload, "change", kept.pk)).content.decode()
    assert kept.sha256 in html and kept.original_name in html
    assert kept.file.name not in html and "/media/" not in html


@pytest.mark.parametrize("model,field,value", CHANGES, ids=IDS)
def test_admin_cannot_change_a_record(submitted, admin, model, field, value):
    """Posting the change page back with a field changed is refused (403) and changes nothing."""
    assert_change_refused(admin, first(model), field=field, value=value, tables=TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_cannot_add_a_record(submitted, admin, model):
    """The add page is refused (403), shown or posted."""
    assert_add_refused(admin, model, tables=TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_cannot_delete_a_record(submitted, admin, model):
    """Neither the delete page nor the list's “delete selected” action deletes anything."""
    assert_delete_refused(admin, first(model), tables=TABLES)


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda m: m.__name__)
def test_admin_cannot_revert_to_an_earlier_version(submitted, admin, model):
    """django-simple-history's “revert to this version” page displays, but posting it is refused (403)."""
    assert_revert_refused(admin, first(model), tables=TABLES)


def test_a_submissions_values_have_earlier_versions(submitted):
    """The fixture is meaningful: reverting a value or the submission would change what is stored."""
    value = first(IndicatorValue)
    assert value.history.earliest().numerator != value.numerator
    sub = first(Submission)
    assert sub.history.earliest().status != sub.status
