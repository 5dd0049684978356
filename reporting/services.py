"""Writes to submissions: saving values, the review workflow, reopening. Each function is atomic,
checks who may do it, and refuses a write based on an outdated version (no lost updates)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from core import dataversion
from core.formatting import fmt_date, fmt_int
from programs import calendar

from .fields import ACT_TEXTS, COMMUNE_BUDGET, act_field, commune_field, ind_field, initial_from, out_field
from .models import (
    ActivityProgress,
    CommuneStatus,
    IndicatorValue,
    OutputProgress,
    ReopenRequest,
    Submission,
    Transition,
)
from .rows import stored_rows
from .selectors import (
    FormSpec,
    Values,
    agency_recipients,
    previous_submission,
    reopen_default_until,
    reports_for_agency,
    reviews_submissions,
    submission_lock_reason,
    submission_locked_by_deadline,
    submission_values,
)

S = Submission.Status
R = ReopenRequest.Status
logger = logging.getLogger(__name__)


class ConflictError(Exception):
    """Someone else saved the submission since this editor loaded it."""

    def __init__(self, submission: Submission):
        super().__init__("conflict")
        self.submission = submission


@dataclass
class SaveResult:
    submission: Submission
    changed: int
    warnings: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# Who may do it: the rules are the selectors' (reporting.selectors, scoping); here they refuse
# ------------------------------------------------------------------------------------------------
def _require_reporter(user, submission: Submission) -> None:
    if not reports_for_agency(user, agency_id=submission.agency_id):
        raise PermissionDenied(_("Chỉ cán bộ báo cáo của cơ quan mới được nhập báo cáo này."))


def _require_officer(user) -> None:
    if not reviews_submissions(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được thực hiện thao tác này."))


def _require_unlocked(submission: Submission, *, at: dt.datetime) -> None:
    reason = submission_lock_reason(submission, at=at)
    if reason:
        raise ValidationError(reason, code="locked")


# ------------------------------------------------------------------------------------------------
# Saving values
# ------------------------------------------------------------------------------------------------
def _claim(submission: Submission, *, user, expected_version: int, at: dt.datetime) -> Submission:
    """Take the submission for this write: create it, or move its version on from the one the
    editor loaded. A stale version, or a submission someone else created first, is a conflict."""
    if submission.pk is None:
        if expected_version != 0:
            raise ConflictError(submission)
        try:
            with transaction.atomic():
                submission.version = 1
                submission.updated_by = user
                submission._history_user, submission._history_date = user, at
                submission.save()
        except IntegrityError:
            current = Submission.objects.get(agency_id=submission.agency_id, quarter_id=submission.quarter_id)
            raise ConflictError(current) from None
        return submission
    claimed = Submission.objects.filter(pk=submission.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=user, updated_at=at
    )
    if not claimed:
        raise ConflictError(Submission.objects.get(pk=submission.pk))
    if submission.version == expected_version:
        # What we read is what the editor saw: every write moves the version, so nothing else changed.
        submission.version, submission.updated_by, submission.updated_at = expected_version + 1, user, at
    else:
        submission.refresh_from_db()
    return submission


def _data_changed(submission: Submission) -> None:
    """Move the program's data version on, in this transaction, so that what is cached under it (the
    dashboard) is computed again once the change commits: every service that changes what a figure counts
    calls this (every workflow step; a save only of a report some figure counts, see submission_save)."""
    dataversion.bump(submission.quarter.program_id)


def _stamp(obj: models.Model, user, at: dt.datetime) -> None:
    obj._history_user = user
    obj._history_date = at


def _apply_row(model, stored: dict | None, values: dict, *, submission: Submission, create: dict, user, at) -> int:
    """Like _apply, for a row read by reporting.rows: an instance is made only for a row that changes."""
    if stored is None:
        return _apply(model(submission=submission, **create), values, user=user, at=at)
    changed = [k for k, v in values.items() if stored[k] != v]
    if not changed:
        return 0
    obj = model(**stored)
    obj._state.adding, obj._state.db = False, "default"
    obj.submission = submission
    for k in changed:
        setattr(obj, k, values[k])
    _stamp(obj, user, at)
    obj.save(update_fields=changed)
    return len(changed)


def _apply(obj: models.Model, values: dict, *, user, at: dt.datetime) -> int:
    """Save the fields of `obj` that differ from `values`; a new object is saved only if it
    carries something. Returns the number of fields changed."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if obj.pk is None:
        if all(v in (None, "", False) for v in values.values()):
            return 0
        for k, v in values.items():
            setattr(obj, k, v)
        _stamp(obj, user, at)
        obj.save()
        return len([v for v in values.values() if v not in (None, "", False)])
    if not changed:
        return 0
    for k in changed:
        setattr(obj, k, values[k])
    _stamp(obj, user, at)
    obj.save(update_fields=changed)
    return len(changed)


# What each value model stores from the form: for each row the form holds, its key, what a new row is
# made with, and its values.
def _indicator_rows(spec: FormSpec, data: dict):
    for ind in spec.indicators:
        values = {"numerator": data.get(ind_field(ind.pk, "num")), "denominator": data.get(ind_field(ind.pk, "den"))}
        yield ind.pk, {"indicator_id": ind.pk}, values


def _commune_rows(spec: FormSpec, data: dict):
    for commune in spec.communes:
        values = {f: bool(data.get(commune_field(commune.pk, f))) for f in spec.flags}
        if spec.reports_budget:
            values[COMMUNE_BUDGET] = data.get(commune_field(commune.pk, COMMUNE_BUDGET))
        yield commune.pk, {"commune_id": commune.pk}, values


def _activity_rows(spec: FormSpec, data: dict):
    for item in spec.activities:
        a = item.activity.pk
        values = {
            "status": data.get(act_field(a, "status")) or "",
            "children_boys": data.get(act_field(a, "boys")),
            "children_girls": data.get(act_field(a, "girls")),
            "money_spent": data.get(act_field(a, "money")),
            **{t: data.get(act_field(a, t)) or "" for t in ACT_TEXTS},
        }
        yield a, {"activity_id": a}, values


def _output_rows(spec: FormSpec, data: dict):
    for out in spec.outputs:
        yield out.pk, {"output_id": out.pk}, {"quantity": data.get(out_field(out.pk))}


VALUE_ROWS = (
    (IndicatorValue, "indicator_id", _indicator_rows),
    (CommuneStatus, "commune_id", _commune_rows),
    (ActivityProgress, "activity_id", _activity_rows),
    (OutputProgress, "output_id", _output_rows),
)
HEAD_TEXTS = ("difficulties", "proposals", "change_explanation")


def _save_values(submission: Submission, *, spec: FormSpec, data: dict, user, at: dt.datetime) -> int:
    """Write the form's values that differ from the stored ones; returns the number of fields changed."""
    changed = 0
    for model, key, rows in VALUE_ROWS:
        stored = stored_rows(model, submission_id=submission.pk, key=key)
        for pk, create, values in rows(spec, data):
            changed += _apply_row(model, stored.get(pk), values, submission=submission, create=create, user=user, at=at)
    head = {name: data.get(name) or "" for name in HEAD_TEXTS}
    if spec.flags:
        head["communes_checked"] = bool(data.get("communes_checked"))
    if spec.reports_budget:
        head["district_budget"] = data.get("district_budget")
    return changed + _apply(submission, head, user=user, at=at)


@transaction.atomic
def submission_save(
    *,
    submission: Submission,
    user,
    spec: FormSpec,
    data: dict,
    expected_version: int,
    at: dt.datetime | None = None,
    with_warnings: bool = False,
) -> SaveResult:
    """Save a whole quarterly form (cleaned data of reporting.forms.SubmissionForm) as a draft edit.

    Refused with ConflictError when the submission changed since `expected_version` was loaded;
    refused with ValidationError when the agency may not change it now (deadline, state). The >50%
    warnings are computed only when asked for (the form page shows them anyway after a save).
    """
    at = at or calendar.now()
    _require_reporter(user, submission)
    _require_unlocked(submission, at=at)
    submission = _claim(submission, user=user, expected_version=expected_version, at=at)
    _require_unlocked(submission, at=at)  # the state may have moved while we waited for the lock
    changed = _save_values(submission, spec=spec, data=data, user=user, at=at)
    # A draft or a returned report counts in no figure (Submission.COUNTED), nor in the reporting
    # compliance until it is sent (first_submitted_at, set by submission_submit): saving it leaves the
    # dashboards cached, which is what keeps them fast while every agency saves on deadline day.
    if changed and submission.status in Submission.COUNTED:
        _data_changed(submission)
    return SaveResult(
        submission=submission,
        changed=changed,
        warnings=change_warnings(submission=submission, spec=spec, data=data) if with_warnings else {},
    )


# ------------------------------------------------------------------------------------------------
# Change from the previous quarter: a warning, not an error
# ------------------------------------------------------------------------------------------------
CHANGE_THRESHOLD = 0.5


def previous_numbers(*, submission: Submission, spec: FormSpec, previous=None) -> dict[str, int]:
    """The numbers of the same agency's previous quarter, by form field name (those above zero): what the
    >50% warnings compare with, and what a reviewer reads beside each figure. `previous` as in
    change_warnings."""
    prev, values = previous if previous is not None else (previous_submission(submission=submission), None)
    if prev is None:
        return {}
    values = values if values is not None else submission_values(submission=prev)
    numbers: dict[str, int | None] = {}
    for ind in spec.indicators:
        v = values.indicators.get(ind.pk)
        if v:
            numbers[ind_field(ind.pk, "num")] = v.numerator
            numbers[ind_field(ind.pk, "den")] = v.denominator
    for item in spec.activities:
        p = values.activities.get(item.activity.pk)
        if p:
            numbers[act_field(item.activity.pk, "boys")] = p.children_boys
            numbers[act_field(item.activity.pk, "girls")] = p.children_girls
            numbers[act_field(item.activity.pk, "money")] = p.money_spent
        for out in item.outputs:
            o = values.outputs.get(out.pk)
            if o:
                numbers[out_field(out.pk)] = o.quantity
    if spec.reports_budget:
        numbers["district_budget"] = prev.district_budget
        for commune in spec.communes:
            cs = values.communes.get(commune.pk)
            if cs is not None:
                numbers[commune_field(commune.pk, COMMUNE_BUDGET)] = cs.budget
    return {k: v for k, v in numbers.items() if v}


def change_warnings(*, submission: Submission, spec: FormSpec, data: dict, previous=None) -> dict[str, str]:
    """Fields whose value moved by more than half from the same agency's previous quarter. `previous`,
    when the caller has read it already: (previous submission or None, its Values)."""
    if submission.quarter.number <= 1:
        return {}
    warnings = {}
    for name, before in previous_numbers(submission=submission, spec=spec, previous=previous).items():
        now = data.get(name)
        if now is None:
            continue
        if abs(now - before) > CHANGE_THRESHOLD * before:
            warnings[name] = _("Thay đổi hơn 50%% so với quý trước (quý trước: %(v)s).") % {"v": fmt_int(before)}
    return warnings


# ------------------------------------------------------------------------------------------------
# Workflow
# ------------------------------------------------------------------------------------------------
def _transition(submission: Submission, *, action: str, to: str, user, at: dt.datetime, comment: str = "") -> None:
    Transition.objects.create(
        submission=submission, action=action, from_status=submission.status, to_status=to, actor=user, at=at,
        comment=comment,
    )  # fmt: skip
    submission.status = to


def _missing_for_submit(values: Values, spec: FormSpec) -> list[str]:
    missing = []
    for ind in spec.indicators:
        v = values.indicators.get(ind.pk)
        if v is None or v.numerator is None or v.denominator is None:
            missing.append(_("chỉ số %(code)s") % {"code": ind.code})
    return missing


@transaction.atomic
def submission_submit(
    *, submission: Submission, user, spec: FormSpec, expected_version: int, at: dt.datetime | None = None
) -> Submission:
    """Send the report to DOLISA (draft → submitted, returned → resubmitted). A first submission
    after the entry deadline is marked late with its days late."""
    at = at or calendar.now()
    _require_reporter(user, submission)
    if submission.pk is None:
        raise ValidationError(_("Vui lòng nhập và lưu số liệu trước khi gửi."), code="empty")
    submission = _claim(submission, user=user, expected_version=expected_version, at=at)
    _require_unlocked(submission, at=at)
    values = submission_values(submission=submission)
    missing = _missing_for_submit(values, spec)
    if missing:
        raise ValidationError(
            _("Chưa thể gửi: còn thiếu %(items)s.") % {"items": ", ".join(missing)}, code="incomplete"
        )
    data = initial_from(spec=spec, values=values, submission=submission)
    if change_warnings(submission=submission, spec=spec, data=data) and not submission.change_explanation.strip():
        raise ValidationError(
            _("Có số liệu thay đổi hơn 50% so với quý trước: vui lòng giải trình ngắn gọn trước khi gửi."),
            code="explanation_required",
        )
    if submission.status == S.RETURNED:
        _transition(submission, action=Transition.Action.RESUBMIT, to=S.RESUBMITTED, user=user, at=at)
    else:
        _transition(submission, action=Transition.Action.SUBMIT, to=S.SUBMITTED, user=user, at=at)
    if submission.first_submitted_at is None:
        submission.first_submitted_at = at
        # A body the decision only requests (VIII.2.10) is never late.
        late = 0 if submission.agency.is_requested else calendar.days_late(submission.quarter.entry_deadline, at)
        submission.days_late = late
    submission.submitted_at = at
    _stamp(submission, user, at)
    submission.save(update_fields=["status", "first_submitted_at", "days_late", "submitted_at"])
    _data_changed(submission)
    return submission


@transaction.atomic
def submission_save_and_submit(
    *, submission: Submission, user, spec: FormSpec, data: dict, expected_version: int, at: dt.datetime | None = None
) -> SaveResult:
    """Save the whole form and send the report to DOLISA: both or neither (a report that cannot be
    sent, e.g. incomplete, is not saved either; the form shows why)."""
    at = at or calendar.now()
    saved = submission_save(
        submission=submission, user=user, spec=spec, data=data, expected_version=expected_version, at=at
    )
    submission_submit(
        submission=saved.submission, user=user, spec=spec, expected_version=saved.submission.version, at=at
    )
    return saved


@transaction.atomic
def submission_return(
    *, submission: Submission, user, comment: str, reopen_until: dt.date | None = None, at: dt.datetime | None = None
) -> Submission:
    """DOLISA sends a report back with its comment. After the entry deadline the agency gets until
    `reopen_until` (by default seven days) to correct it."""
    at = at or calendar.now()
    _require_officer(user)
    if not comment.strip():
        raise ValidationError(_("Vui lòng ghi rõ lý do trả lại để cơ quan chỉnh sửa."), code="comment_required")
    submission = _claim(submission, user=user, expected_version=submission.version, at=at)
    if submission.status not in Submission.AWAITING_REVIEW:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi."), code="state")
    today = timezone.localdate(at)
    if reopen_until is not None and reopen_until < today:
        raise ValidationError(_("Ngày cho phép chỉnh sửa phải từ hôm nay trở đi."), code="past")
    if reopen_until is None and calendar.is_past(submission.quarter.entry_deadline, at=at):
        reopen_until = reopen_default_until(today=today)
    _transition(submission, action=Transition.Action.RETURN, to=S.RETURNED, user=user, at=at, comment=comment.strip())
    submission.reviewed_at = at
    submission.reopened_until = reopen_until or submission.reopened_until
    _stamp(submission, user, at)
    submission.save(update_fields=["status", "reviewed_at", "reopened_until"])
    _data_changed(submission)
    return submission


@transaction.atomic
def submission_accept(*, submission: Submission, user, comment: str = "", at: dt.datetime | None = None) -> Submission:
    at = at or calendar.now()
    _require_officer(user)
    submission = _claim(submission, user=user, expected_version=submission.version, at=at)
    if submission.status not in Submission.AWAITING_REVIEW:
        raise ValidationError(_("Chỉ duyệt được báo cáo đã gửi."), code="state")
    _transition(submission, action=Transition.Action.ACCEPT, to=S.ACCEPTED, user=user, at=at, comment=comment.strip())
    submission.reviewed_at = at
    _stamp(submission, user, at)
    submission.save(update_fields=["status", "reviewed_at"])
    _data_changed(submission)
    return submission


@transaction.atomic
def submission_reopen(
    *, submission: Submission, user, until: dt.date, comment: str = "", at: dt.datetime | None = None
) -> Submission:
    """DOLISA lets an agency change its report after the deadline, until a date it sets. A report
    already sent or accepted goes back to the agency (returned)."""
    at = at or calendar.now()
    _require_officer(user)
    if until < timezone.localdate(at):
        raise ValidationError(_("Ngày mở lại phải từ hôm nay trở đi."), code="past")
    if submission.pk is None:
        submission.version = 1
        submission.updated_by = user
        _stamp(submission, user, at)
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            submission = Submission.objects.get(agency_id=submission.agency_id, quarter_id=submission.quarter_id)
    submission = _claim(submission, user=user, expected_version=submission.version, at=at)
    to = S.DRAFT if submission.status == S.DRAFT else S.RETURNED
    _transition(submission, action=Transition.Action.REOPEN, to=to, user=user, at=at, comment=comment.strip())
    submission.reopened_until = until
    _stamp(submission, user, at)
    submission.save(update_fields=["status", "reopened_until"])
    _data_changed(submission)
    return submission


# ------------------------------------------------------------------------------------------------
# Requests to reopen: the agency asks, DOLISA grants (through submission_reopen) or refuses
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def reopen_request_create(*, submission: Submission, user, reason: str, at: dt.datetime | None = None) -> ReopenRequest:
    """A locked agency asks DOLISA to reopen its report for the quarter, saying why. Refused while the
    report is not locked by its deadline, without a reason, or while an earlier request is still open.
    DOLISA is e-mailed once the request is committed."""
    at = at or calendar.now()
    _require_reporter(user, submission)
    if not submission_locked_by_deadline(submission, at=at):
        raise ValidationError(_("Báo cáo không bị khóa do quá hạn: không cần đề nghị mở lại."), code="not_locked")
    if not reason.strip():
        raise ValidationError(_("Vui lòng ghi rõ lý do đề nghị mở lại."), code="reason_required")
    request = ReopenRequest(agency_id=submission.agency_id, quarter_id=submission.quarter_id, reason=reason.strip(),
                            requested_by=user, requested_at=at)  # fmt: skip
    _stamp(request, user, at)
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        raise ValidationError(_("Đã có đề nghị mở lại đang chờ Sở xem xét."), code="pending") from None
    _notify_on_commit(request)
    return request


def _decide(request: ReopenRequest, *, user, status: str, at: dt.datetime, **fields) -> ReopenRequest:
    """Take the pending request for this decision (a conditional update: of two officers deciding at
    once, the second is told it is done), then save the decision with its history."""
    _require_officer(user)
    if not ReopenRequest.objects.filter(pk=request.pk, status=R.PENDING).update(status=status, **fields):
        raise ValidationError(_("Đề nghị này đã được Sở xử lý."), code="decided")
    request = ReopenRequest.objects.select_related("agency", "quarter__program").get(pk=request.pk)
    for name, value in {"decided_by": user, "decided_at": at, **fields}.items():
        setattr(request, name, value)
    _stamp(request, user, at)
    request.save(update_fields=["status", "decided_by", "decided_at", *fields])
    return request


@transaction.atomic
def reopen_request_grant(
    *, request: ReopenRequest, user, until: dt.date, comment: str = "", at: dt.datetime | None = None
) -> ReopenRequest:
    """DOLISA grants the request: the report is reopened until `until` by submission_reopen (the one
    rule of reopening), and the agency is e-mailed."""
    at = at or calendar.now()
    request = _decide(request, user=user, status=R.GRANTED, at=at, until=until, answer=comment.strip())
    submission = Submission.objects.filter(agency_id=request.agency_id, quarter_id=request.quarter_id).first()
    if submission is None:
        submission = Submission(agency=request.agency, quarter=request.quarter, version=0)
    note = _("Theo đề nghị của cơ quan: %(r)s") % {"r": request.reason}
    submission_reopen(submission=submission, user=user, until=until, comment="\n".join(filter(None, [note, comment])),
                      at=at)  # fmt: skip
    _notify_on_commit(request)
    return request


@transaction.atomic
def reopen_request_refuse(
    *, request: ReopenRequest, user, comment: str, at: dt.datetime | None = None
) -> ReopenRequest:
    """DOLISA refuses the request, saying why; the agency is e-mailed."""
    at = at or calendar.now()
    if not comment.strip():
        raise ValidationError(_("Vui lòng ghi rõ lý do không đồng ý mở lại."), code="comment_required")
    request = _decide(request, user=user, status=R.REFUSED, at=at, answer=comment.strip())
    _notify_on_commit(request)
    return request


def _notify_on_commit(request: ReopenRequest) -> None:
    pk = request.pk

    def queue() -> None:
        from .tasks import reopen_request_notify_task

        try:
            reopen_request_notify_task.delay(request_id=pk)
        except Exception:  # the request is committed: a broker or mail server down is logged, not shown
            logger.exception("Reopen request %s: the e-mail could not be queued.", pk)

    transaction.on_commit(queue)


def reopen_request_notify(*, request_id: int) -> int:
    """E-mail the other side of a reopen request: DOLISA of a new request, the agency of DOLISA's
    decision. Returns the number of messages sent."""
    request = ReopenRequest.objects.select_related("agency", "quarter__program").filter(pk=request_id).first()
    if request is None:
        return 0
    to = roles.dolisa_emails() if request.status == R.PENDING else agency_recipients(agency_id=request.agency_id)
    if not to:
        logger.warning("Reopen request %s: no address to write to.", request_id)
        return 0
    with translation.override("vi"):
        subject, lines = _reopen_words(request)
        url = settings.PORTAL_BASE_URL.rstrip("/") + request.get_absolute_url()
        body = "\n\n".join([*lines, url, _("(Thư được gửi tự động từ Cổng báo cáo; vui lòng không trả lời thư này.)")])
    return EmailMessage(subject=subject, body=body, to=to).send()


def _reopen_words(request: ReopenRequest) -> tuple[str, list[str]]:
    words = {"a": request.agency.name, "q": str(request.quarter), "r": request.reason, "c": request.answer,
             "d": fmt_date(request.until) if request.until else ""}  # fmt: skip
    if request.status == R.PENDING:
        return _("%(a)s đề nghị mở lại báo cáo %(q)s") % words, [
            _("%(a)s đề nghị Sở mở lại báo cáo %(q)s để chỉnh sửa sau hạn.") % words,
            _("Lý do: %(r)s") % words,
            _("Đồng ý hoặc không đồng ý trên Cổng báo cáo:"),
        ]
    if request.status == R.GRANTED:
        return _("Sở đã mở lại báo cáo %(q)s đến ngày %(d)s") % words, [
            _("Sở Lao động – Thương binh và Xã hội đồng ý đề nghị của %(a)s: báo cáo %(q)s được mở lại để chỉnh sửa "
              "đến hết ngày %(d)s.") % words,
            *([_("Ý kiến của Sở: %(c)s") % words] if request.answer else []),
        ]  # fmt: skip
    return _("Sở không đồng ý mở lại báo cáo %(q)s") % words, [
        _("Sở Lao động – Thương binh và Xã hội không đồng ý đề nghị mở lại báo cáo %(q)s của %(a)s.") % words,
        _("Lý do: %(c)s") % words,
    ]
