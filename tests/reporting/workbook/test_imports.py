"""The upload as one action (reporting.workbook.imports): a filled workbook is checked whole by the web
form's rules and saved as one edit (version check, lock, history), or refused with nothing saved."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from django.core.files.storage import FileSystemStorage

from accounts.models import User
from reporting.models import IndicatorValue, Submission, WorkbookUpload
from reporting.workbook.imports import workbook_import
from reporting.workbook.read import workbook_load
from tests.reporting.helpers import make_submission, post_data, url_for

from .helpers import OWN, changed, client_for, download, fill, find, find_header_of, spec_of, stored, upload

pytestmark = pytest.mark.django_db


def test_filled_workbook_changes_exactly_those_values(draft):
    """Downloaded, filled with openpyxl and uploaded: exactly the edited values change, as one edit
    (version + 1, history by the uploader)."""
    spec = spec_of()
    ind, commune, item = spec.indicators[0], spec.communes[0], spec.activities[0]
    output = spec.outputs[0]
    flag_header = find_header_of(spec, 0)
    before = stored()
    content = fill(
        download(),
        [
            ("Chỉ số", ind.code, "Tử số", 9),
            ("Xã", commune.code, flag_header, "Có"),
            ("Hoạt động", item.activity.code, "Tình trạng", "Đang triển khai"),
            ("Hoạt động", item.activity.code, "Trẻ em nam", 12),
            ("Hoạt động", item.activity.code, "Kinh phí đã chi (đồng)", "15.000.000"),
            ("Chỉ tiêu đầu ra", output.code, "Số lượng đạt trong quý", 3),
            ("Kinh phí", "H", "Số tiền (đồng)", 150_000_000),
            ("Kinh phí", commune.code, "Số tiền (đồng)", "18.000.000"),  # one commune's budget
            ("Xã", "RS", flag_header, "Có"),  # every commune looked at
            ("Chung", "1", "Ý kiến của cơ quan", "- Thiếu cán bộ chuyên trách\n- Cần tập huấn"),
        ],
    )
    response = upload(content, follow=True)
    assert response.redirect_chain == [(url_for(OWN), 302)]
    assert "Đã nhận tệp Excel: đã lưu 10 thay đổi" in response.content.decode()
    after = stored()
    a = item.activity.pk
    assert changed(before, after) == {
        f"ind-{ind.pk}-num": 9,
        f"com-{commune.pk}-{spec.flags[0]}": True,
        f"com-{commune.pk}-budget": 18_000_000,
        "communes_checked": True,
        f"act-{a}-status": "in_progress",
        f"act-{a}-boys": 12,
        f"act-{a}-money": 15_000_000,
        f"out-{output.pk}": 3,
        "district_budget": 150_000_000,
        "difficulties": "- Thiếu cán bộ chuyên trách\n- Cần tập huấn",
    }
    assert after["version"] == before["version"] + 1
    history = IndicatorValue.history.filter(indicator_id=ind.pk, submission_id=draft.pk).order_by("-history_date")
    history = history.first()
    assert history.numerator == 9 and history.history_user.username == OWN


def test_unchanged_workbook_changes_nothing(draft):
    """Uploading the workbook as downloaded changes no value, even texts a spreadsheet would take for formulas
    or whose line endings it rewrites."""
    data = post_data(OWN, **{"proposals": '=HYPERLINK("http://x")', "difficulties": "- một\r\n- hai"})
    client_for(OWN).post(url_for(OWN), {**data, "action": "save"})
    before = stored()
    assert before["proposals"].startswith("=")
    content = download()
    cell = find(openpyxl.load_workbook(io.BytesIO(content))["Chung"], "2", "Ý kiến của cơ quan")
    assert cell.value == '\'=HYPERLINK("http://x")'  # never a formula in the officer's Excel
    response = upload(content, follow=True)
    assert response.redirect_chain == [(url_for(OWN), 302)]
    assert changed(before, stored()) == {}
    assert "Đã nhận tệp Excel: không có số liệu nào thay đổi." in response.content.decode()


def test_first_report_can_start_from_the_workbook(program, clock):
    """An agency with no report yet downloads an empty workbook; its upload creates the draft."""
    spec = spec_of("so-y-te")
    item = spec.activities[0]
    content = fill(download("so-y-te", "so-y-te"), [("Hoạt động", item.activity.code, "Tình trạng", "Đã hoàn thành")])
    assert upload(content, "so-y-te", "so-y-te").status_code == 302
    sub = Submission.objects.get(agency__code="so-y-te", quarter__number=1)
    assert sub.status == "draft" and sub.version == 1
    assert sub.activity_progress.get(activity_id=item.activity.pk).status == "done"


def test_errors_in_three_cells_are_listed_and_nothing_changes(draft):
    spec = spec_of()
    ind, item = spec.indicators[0], spec.activities[0]
    before = stored()
    content = fill(
        download(),
        [
            ("Chỉ số", ind.code, "Tử số", 12),  # above its denominator (10)
            ("Hoạt động", item.activity.code, "Trẻ em nam", -3),
            ("Hoạt động", item.activity.code, "Kinh phí đã chi (đồng)", 1500.5),
            ("Chỉ tiêu đầu ra", spec.outputs[0].code, "Số lượng đạt trong quý", 4),  # valid, but not saved either
        ],
    )
    response = upload(content)
    assert response.status_code == 200
    errors = [str(e) for e in response.context["cell_errors"]]
    row = 5 + spec.activities.index(item)
    assert errors == [
        "Sheet 'Chỉ số', ô C5: Tử số (12) không được lớn hơn mẫu số (10).",
        f"Sheet 'Hoạt động', ô E{row}: Không được nhập số âm.",
        f"Sheet 'Hoạt động', ô G{row}: Số tiền phải là số nguyên đồng, không có phần lẻ.",
    ]
    assert not response.context["file_errors"]
    html = response.content.decode()
    assert "Không có số liệu nào được lưu." in html and html.count('data-testid="cell-error"') == 3
    assert stored() == before


def test_workbook_older_than_the_last_save_is_a_conflict(draft):
    """Downloaded, then someone saves on the web: the old workbook would overwrite that save, so it is refused."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    make_submission(OWN, status="draft", num=7)  # a colleague saves 7/10 meanwhile
    before = stored()
    [error] = upload(content).context["file_errors"]
    assert "sau khi tệp Excel này được tải về" in error and "tải tệp Excel mới" in error
    assert stored() == before


def test_the_same_workbook_uploaded_again_is_accepted_as_no_change(draft, media):
    """Uploaded once (saved: the version moves on), then the very same file again: nothing is refused as stale,
    nothing is saved, the page says "Không có thay đổi"; the second file is kept for audit."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    first = upload(content, follow=True)
    assert "Đã nhận tệp Excel: đã lưu 1 thay đổi" in first.content.decode()
    before, history = stored(), history_rows()
    again = upload(content, follow=True)
    assert again.redirect_chain == [(url_for(OWN), 302)]
    html = again.content.decode()
    assert "Không có thay đổi: mọi số liệu trong tệp Excel đã có trong báo cáo" in html
    assert "sau khi tệp Excel này được tải về" not in html
    assert stored() == before and history_rows() == history  # not even the version moved
    assert list(WorkbookUpload.objects.order_by("pk").values_list("changed", flat=True)) == [1, 0]


def test_a_changed_workbook_against_a_newer_report_is_still_a_conflict(draft, media):
    """The same old workbook with one more value changed would overwrite the save made since: refused."""
    downloaded = download()
    ind = spec_of().indicators[0]
    upload(fill(downloaded, [("Chỉ số", ind.code, "Tử số", 5)]))
    before = stored()
    [error] = upload(fill(downloaded, [("Chỉ số", ind.code, "Tử số", 6)])).context["file_errors"]
    assert "sau khi tệp Excel này được tải về" in error and "tải tệp Excel mới" in error
    assert stored() == before and WorkbookUpload.objects.count() == 1


def test_an_old_workbook_that_matches_a_web_save_is_no_change(draft, media):
    """Downloaded, then the same value typed on the web: the workbook holds what the report holds now."""
    content = fill(download(), [("Chỉ số", ind.code, "Tử số", 7) for ind in spec_of().indicators])
    make_submission(OWN, status="draft", num=7)  # the web save of the same 7s
    before = stored()
    result = workbook_import(
        submission=Submission.objects.get(pk=draft.pk), user=User.objects.get(username=OWN), spec=spec_of(),
        loaded=workbook_load(content),
    )  # fmt: skip
    assert result.ok and result.unchanged and result.saved is None and not result.errors
    assert stored() == before


def test_upload_after_the_deadline_is_refused(draft, clock):
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    clock("2018-03-21")
    before = stored()
    [error] = upload(content).context["file_errors"]
    assert "Đã quá hạn nhập số liệu (20/03/2018)" in error
    assert stored() == before


def test_save_racing_the_upload_is_still_a_conflict(draft):
    """Someone saves between the upload's checks and its write: submission_save's version check refuses it."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    stale = Submission.objects.get(pk=draft.pk)  # what the upload request loaded
    make_submission(OWN, status="draft", num=7)  # the other save lands now
    before = stored()
    result = workbook_import(
        submission=stale, user=User.objects.get(username=OWN), spec=spec_of(), loaded=workbook_load(content)
    )
    assert not result.ok and "sau khi tệp Excel này được tải về" in result.file_errors[0]
    assert stored() == before


# ------------------------------------------------------------------------------------------------
# The edit and the file kept for audit: all or nothing
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def media(settings, tmp_path):
    """Uploads are stored in a fresh folder, to see which files are left behind."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def history_rows() -> int:
    return Submission.history.count() + IndicatorValue.history.count()


def test_accepted_workbook_is_kept_with_its_edit(draft, media):
    """The workbook that saved the values is kept once, in the same action: by the uploader, at the
    moment of the edit, with its name, hash and the number of values it changed."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    result = workbook_import(
        submission=Submission.objects.get(pk=draft.pk), user=User.objects.get(username=OWN), spec=spec_of(),
        loaded=workbook_load(content, name="Báo cáo quý 1.xlsx"),
    )  # fmt: skip
    assert result.ok and result.saved.changed == 1
    kept = WorkbookUpload.objects.get()
    assert kept == result.upload and kept.submission_id == draft.pk and kept.uploaded_by.username == OWN
    assert kept.uploaded_at == Submission.objects.get(pk=draft.pk).updated_at
    assert (kept.original_name, kept.changed, kept.size) == ("Báo cáo quý 1.xlsx", 1, len(content))
    assert kept.sha256 == hashlib.sha256(content).hexdigest()
    assert [p.read_bytes() for p in files_in(media)] == [content]


def _fail(*args, **kwargs):
    raise OSError("No space left on device")


@pytest.mark.parametrize("what_fails", ["the file", "its record"])
def test_no_value_changes_when_the_upload_cannot_be_kept(draft, media, monkeypatch, what_fails):
    """If the workbook cannot be kept for audit (the file cannot be written, or its record cannot be
    saved), the upload fails as a whole: no value, version or history changes and no file is left."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    before, history = stored(), history_rows()
    if what_fails == "the file":
        monkeypatch.setattr(FileSystemStorage, "_save", _fail)
    else:
        monkeypatch.setattr(WorkbookUpload, "save", _fail)
    with pytest.raises(OSError):
        upload(content)
    assert stored() == before and history_rows() == history
    assert not WorkbookUpload.objects.exists() and files_in(media) == []


@pytest.mark.parametrize("refusal", ["a cell error", "another agency's workbook", "a conflict", "past the deadline"])
def test_refused_workbook_is_not_kept(draft, media, clock, refusal):
    """A workbook that is refused is not kept: no upload record and no file."""
    ind = spec_of().indicators[0]
    content = fill(download(), [("Chỉ số", ind.code, "Tử số", 12 if refusal == "a cell error" else 5)])
    if refusal == "another agency's workbook":
        content = download("dolisa", "so-y-te")
    elif refusal == "a conflict":
        make_submission(OWN, status="draft", num=7)
    elif refusal == "past the deadline":
        clock("2018-03-21")
    before = stored()
    response = upload(content)
    assert response.status_code == 200 and "Không có số liệu nào được lưu." in response.content.decode()
    assert stored() == before
    assert not WorkbookUpload.objects.exists() and files_in(media) == []
