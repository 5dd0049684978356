"""The upload as one action: an uploaded workbook is checked whole, saved as an edit of the submission
(reporting.services.submission_save: version check, lock, history) and kept for audit, all or
nothing, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.formatting import fmt_datetime
from programs import calendar

from .. import services
from ..fields import initial_from
from ..forms import SubmissionForm
from ..models import Submission, WorkbookUpload
from ..selectors import FormSpec, submission_lock_reason, submission_values
from .identity import Identity, identity_check
from .layout import WorkbookLayout, workbook_layout
from .read import CellError, LoadedWorkbook, WrongShape, read_cells

UNNAMED = "workbook.xlsx"


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # CellError, or str for the file as a whole
    saved: services.SaveResult | None = None
    upload: WorkbookUpload | None = None  # the file as kept for audit
    # An older workbook whose every value is what the report holds now: accepted as "no change", nothing saved.
    unchanged: bool = False

    @property
    def ok(self) -> bool:
        return (self.saved is not None or self.unchanged) and not self.errors

    @property
    def cell_errors(self) -> list[CellError]:
        return [e for e in self.errors if isinstance(e, CellError)]

    @property
    def file_errors(self) -> list[str]:
        return [e for e in self.errors if not isinstance(e, CellError)]


@transaction.atomic
def workbook_import(
    *, submission: Submission, user, spec: FormSpec, loaded: LoadedWorkbook, at: dt.datetime | None = None
) -> ImportResult:
    """Check an uploaded workbook whole and, if it is valid, save it as an edit of the submission and
    keep the file for audit (WorkbookUpload), in one transaction: if the file cannot be kept, no value
    changes; if the import is refused, no file is kept.

    Refused (nothing saved, errors listed) when the workbook belongs to another agency, quarter or
    layout, when the report is locked, when the report was saved after the workbook was made and the
    workbook would change it (a conflict), or when any cell breaks a rule of the form. A workbook made
    before the last save whose values are all the report's values now (the same file uploaded again) is
    accepted as "no change" (`unchanged`): kept for audit, nothing saved.
    """
    at = at or calendar.now()
    layout = workbook_layout(spec=spec)
    identity, errors = identity_check(loaded.book, spec=spec, layout=layout)
    if errors:
        return ImportResult(errors=errors)
    reason = submission_lock_reason(submission, at=at)
    if reason:
        return ImportResult(errors=[reason])
    if (submission.version or 0) != identity.version:  # told at once; submission_save checks it again
        if not _changes_nothing(loaded, layout, submission, identity, user=user, at=at):
            return ImportResult(errors=[_conflict_message(identity, submission)])
        upload = workbook_upload_record(
            submission=submission, user=user, raw=loaded.raw, original_name=loaded.name, changed=0, at=at
        )
        return ImportResult(upload=upload, unchanged=True)
    form, errors = _validated(loaded, layout, submission, identity)
    if errors:
        return ImportResult(errors=errors)
    try:
        saved = services.submission_save(
            submission=submission, user=user, spec=spec, data=form.cleaned_data, expected_version=identity.version,
            at=at, with_warnings=True,
        )  # fmt: skip
    except services.ConflictError as exc:
        return ImportResult(errors=[_conflict_message(identity, exc.submission)])
    except ValidationError as exc:
        return ImportResult(errors=list(exc.messages))
    upload = workbook_upload_record(
        submission=saved.submission, user=user, raw=loaded.raw, original_name=loaded.name, changed=saved.changed, at=at
    )
    return ImportResult(saved=saved, upload=upload)


class _DryRun(Exception):
    """Undoes the trial save of _changes_nothing."""


def _changes_nothing(
    loaded: LoadedWorkbook, layout: WorkbookLayout, submission: Submission, identity: Identity, *, user, at
) -> bool:
    """Whether the workbook, valid, would change no value of the report as it stands now: tried as a save
    against the current version (the same count of changes as a real save) and undone."""
    if submission.pk is None:
        return False
    form, errors = _validated(loaded, layout, submission, identity)
    if errors:
        return False
    current = Submission.objects.get(pk=submission.pk)
    try:
        with transaction.atomic():
            saved = services.submission_save(
                submission=current, user=user, spec=layout.spec, data=form.cleaned_data,
                expected_version=current.version, at=at,
            )  # fmt: skip
            raise _DryRun
    except _DryRun:
        return saved.changed == 0
    except (services.ConflictError, ValidationError):
        return False


def _validated(
    loaded: LoadedWorkbook, layout: WorkbookLayout, submission: Submission, identity: Identity
) -> tuple[SubmissionForm | None, list]:
    """The workbook's cells through the web form's rules: the bound form, and every error by cell
    (sorted as the sheets and cells are), or a single error when the workbook's shape was changed."""
    spec = layout.spec
    current = initial_from(spec=spec, values=submission_values(submission=submission),
                           submission=submission if submission.pk else None)  # fmt: skip
    try:
        data, errors = read_cells(loaded, layout, current)
    except WrongShape as exc:
        return None, [exc.error]
    data["version"] = str(identity.version)
    form = SubmissionForm(data, spec=spec)
    errors = [*errors, *_form_errors(form, loaded, layout, read=errors)]
    order = {ws.title: i for i, ws in enumerate(loaded.book.worksheets)}
    errors.sort(key=lambda e: _error_order(e, order))
    return form, errors


def _form_errors(form: SubmissionForm, loaded: LoadedWorkbook, layout: WorkbookLayout, read: list[CellError]):
    """The form's errors at the cells of their fields, named as the uploaded workbook names its sheets
    (it may have been made in another language). A field whose cell could not be read is skipped: the
    cell's own error says it better (e.g. a formula without a result)."""
    if form.is_valid():
        return []
    titles = {id(sheet): ws.title for sheet, ws in zip(layout.sheets, loaded.sheets, strict=True)}
    slots = layout.slots()
    unread = {e.field for e in read}
    out: list = []
    for name, messages in form.errors.items():
        if name in unread:
            continue
        slot = slots.get(name)
        for message in messages:
            if slot is None:
                out.append(str(message))
            else:
                out.append(CellError(titles[id(slot.sheet)], slot.cell, slot.item, str(message), name))
    return out


def _conflict_message(identity: Identity, current: Submission) -> str:
    return _(
        "Chưa lưu: báo cáo đã được %(who)s lưu lúc %(when)s, sau khi tệp Excel này được tải về (tệp theo phiên bản "
        "%(v)s, báo cáo hiện ở phiên bản %(now)s). Để không ghi đè thay đổi đó, vui lòng tải tệp Excel mới và nhập "
        "lại số liệu của bạn."
    ) % {
        "who": current.updated_by.get_username() if current.updated_by_id else "—",
        "when": fmt_datetime(current.updated_at) if current.updated_at else "—",
        "v": identity.version,
        "now": current.version,
    }


def _error_order(error, sheet_order: dict[str, int]):
    if not isinstance(error, CellError):
        return (-1, 0, 0)
    letters = "".join(ch for ch in error.cell if ch.isalpha())
    digits = "".join(ch for ch in error.cell if ch.isdigit())
    return (sheet_order.get(error.sheet, 99), int(digits or 0), len(letters), letters)


def workbook_upload_record(
    *, submission: Submission, user, raw: bytes, original_name: str, changed: int, at: dt.datetime | None = None
) -> WorkbookUpload:
    """Keep an accepted workbook under a random name, with its hash, for audit. Called inside
    workbook_import's transaction; a file written for a row that could not be saved is removed."""
    upload = WorkbookUpload(
        submission=submission,
        uploaded_by=user,
        uploaded_at=at or calendar.now(),
        original_name=os.path.basename(original_name)[:255] or UNNAMED,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        changed=changed,
    )
    upload.file.save("upload.xlsx", ContentFile(raw), save=False)
    try:
        upload.save()
    except Exception:
        upload.file.delete(save=False)
        raise
    return upload
