"""Quarterly progress pages: the list of submissions, the submission form and its review."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.numbers import query_number
from programs import calendar
from programs.selectors import program_for_year

from .. import selectors, services
from ..fields import initial_from
from ..forms import (
    AcceptForm,
    Layout,
    ReopenForm,
    ReopenGrantForm,
    ReopenRefuseForm,
    ReopenRequestForm,
    ReturnForm,
    SubmissionForm,
    summarize,
)
from ..models import Submission
from ..selectors import FormSpec, SubmissionRef, Values


def submission_list(request, year: int):
    """Submissions the user may see, filtered by quarter, state and kind. Template: reporting/submission_list.html."""
    program = program_for_year(year=year, user=request.user)
    status = request.GET.get("status")
    statuses = selectors.statuses_visible_to(request.user)
    kind = request.GET.get("kind")
    rows = selectors.submission_list(
        user=request.user,
        program=program,
        quarter=query_number(request.GET, "quarter"),
        status=status if status in dict(statuses) else None,
        kind=kind if kind in ("provincial", "district") else None,
    )
    return render(
        request,
        "reporting/submission_list.html",
        {"program": program, "rows": rows, "statuses": statuses, "filters": request.GET},
    )


# ------------------------------------------------------------------------------------------------
# The submission page
# ------------------------------------------------------------------------------------------------
@dataclass
class Editor:
    """What the form page shows of the submission: after a GET, or a POST that did not save."""

    submission: Submission
    form: SubmissionForm
    editable: bool
    warnings: dict[str, str] = field(default_factory=dict)
    conflict: dict | None = None
    previous: dict[str, int] | None = None  # the previous quarter's numbers, for a reviewer


@require_http_methods(["GET", "POST"])
def submission_detail(request, year: int, quarter: int, code: str):
    """The quarterly report of one agency: its form while the agency may edit it, read-only
    otherwise, with its workflow steps, and for DOLISA its review actions and history of changes.
    A POST saves the form (and sends the report when asked) and comes back here.
    Template: reporting/submission_detail.html."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    spec = selectors.form_spec(program=program, agency=ref.agency, quarter=ref.quarter)
    if request.method == "POST":
        editor = _editor_post(request, ref, spec)
        if editor is None:
            return redirect(ref.submission)  # the page shows any change of more than half
    else:
        editor = _editor_get(request.user, ref, spec)
    if not editor.editable:
        editor.form.make_readonly()
    context = _detail_context(request.user, program, ref, spec, editor)
    return render(request, "reporting/submission_detail.html", context)


def _editor_get(user, ref: SubmissionRef, spec: FormSpec) -> Editor:
    """The stored values and, for the >50% warnings, the previous quarter's, in one read."""
    submission = ref.submission
    previous = selectors.previous_submission(submission=submission) if submission.pk else None
    values = selectors.values_for(submissions=[submission, previous])
    form = SubmissionForm(spec=spec, values=values.get(submission.pk) or Values(), submission=submission)
    warnings, before = {}, None
    if submission.pk:
        earlier = (previous, values.get(previous.pk) if previous else None)
        warnings = services.change_warnings(submission=submission, spec=spec, data=form.initial, previous=earlier)
        if previous is not None and selectors.reviews_submissions(user):  # a reviewer reads them beside each figure
            before = services.previous_numbers(submission=submission, spec=spec, previous=earlier)
    editable = selectors.submission_may_edit(user, submission=submission)
    return Editor(submission, form, editable, warnings, previous=before)


def _editor_post(request, ref: SubmissionRef, spec: FormSpec) -> Editor | None:
    """Save the form, and send the report too when asked (one service each); None once done. A form
    with errors, a refused step or a conflict comes back as the page to show."""
    submission = ref.submission
    if not selectors.submission_may_edit(request.user, submission=submission):
        raise PermissionDenied
    form = SubmissionForm(request.POST, spec=spec)
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: vui lòng sửa các ô được đánh dấu đỏ."))
        return Editor(submission, form, editable=True)
    submit = request.POST.get("action", "save") == "submit"
    save = services.submission_save_and_submit if submit else services.submission_save
    try:
        result = save(submission=submission, user=request.user, spec=spec, data=form.cleaned_data,
                      expected_version=form.cleaned_data["version"])  # fmt: skip
    except services.ConflictError as exc:
        return _editor_conflict(request.user, ref, spec, form, exc.submission)
    except ValidationError as exc:
        form.add_error("change_explanation" if getattr(exc, "code", "") == "explanation_required" else None, exc)
        warnings = services.change_warnings(submission=submission, spec=spec, data=form.cleaned_data)
        return Editor(submission, form, editable=True, warnings=warnings)
    if submit:
        messages.success(request, _("Đã gửi báo cáo đến Sở Lao động – Thương binh và Xã hội."))
    elif result.changed:
        messages.success(request, _("Đã lưu nháp (%(n)s thay đổi).") % {"n": result.changed})
    else:
        messages.info(request, _("Không có thay đổi nào để lưu."))
    return None


def _editor_conflict(user, ref: SubmissionRef, spec: FormSpec, form: SubmissionForm, current: Submission) -> Editor:
    """Someone saved first: the stored report, with what this editor tried to save beside it."""
    stored = initial_from(spec=spec, values=selectors.submission_values(submission=current), submission=current)
    mine = form.cleaned_data
    diffs = [
        {"label": field.label, "mine": mine.get(name), "stored": stored.get(name)}
        for name, field in form.fields.items()
        if name != "version" and (mine.get(name) or None) != (stored.get(name) or None)
    ]
    conflict = {"by": current.updated_by, "at": current.updated_at, "diffs": diffs}
    current.agency, current.quarter = ref.submission.agency, ref.submission.quarter
    fresh = SubmissionForm(spec=spec, values=selectors.submission_values(submission=current), submission=current)
    return Editor(current, fresh, selectors.submission_may_edit(user, submission=current), conflict=conflict)


def _detail_context(user, program, ref: SubmissionRef, spec: FormSpec, editor: Editor) -> dict:
    """The page's context: the editor's state with the workflow, the uploads and, for DOLISA, the
    review forms and the history of changes."""
    submission, form = editor.submission, editor.form
    reviewer = selectors.reviews_submissions(user)
    transitions = selectors.submission_transitions(submission=submission)
    deadline_passed = calendar.is_past(ref.quarter.entry_deadline)
    can_review = selectors.submission_may_review(user, submission=submission)
    # Reopening is for after the deadline: before it, a draft is open and a sent report is returned.
    can_reopen = reviewer and deadline_passed
    return {
        **_reopen_context(user, ref, submission, reviewer),
        "program": program,
        "ref": ref,
        "submission": submission,
        "spec": spec,
        "form": form,
        "layout": Layout(form, editor.warnings, editor.previous),
        "summary": summarize(spec=spec, data=form.cleaned_data if form.is_bound else form.initial),
        "editable": editor.editable,
        "lock_reason": selectors.submission_lock_reason(submission) if submission.pk or not editor.editable else None,
        "conflict": editor.conflict,
        "transitions": transitions,
        "returned": selectors.submission_return(submission=submission, transitions=transitions),
        "uploads": selectors.workbook_uploads(user, submission=submission),
        "history": selectors.submission_history(submission=submission, spec=spec) if reviewer else None,
        "can_review": can_review,
        "can_reopen": can_reopen,
        "side": can_review or can_reopen,  # the decision box beside the data
        "return_form": ReturnForm(auto_id="return_%s"),
        "accept_form": AcceptForm(auto_id="accept_%s"),
        "reopen_form": ReopenForm(auto_id="reopen_%s", initial={"until": selectors.reopen_default_until()}),
        "deadline_passed": deadline_passed,
        "days_left": calendar.days_left(ref.quarter.entry_deadline),
        "period_note": selectors.period_note(program=program, quarter=ref.quarter),
    }


def _reopen_context(user, ref: SubmissionRef, submission: Submission, reviewer: bool) -> dict:
    """The requests to reopen the report, the agency's form to ask and DOLISA's to decide."""
    requests = selectors.reopen_requests_of(agency_id=ref.agency.pk, quarter_id=ref.quarter.pk)
    pending = next((r for r in requests if r.status == r.Status.PENDING), None)
    return {
        "reopen_requests": requests,
        "reopen_pending": pending,
        "can_ask_reopen": pending is None and selectors.submission_may_ask_reopen(user, submission=submission),
        "reopen_request_form": ReopenRequestForm(auto_id="ask_%s"),
        "grant_form": ReopenGrantForm(auto_id=False, initial={"until": selectors.reopen_default_until()})
        if reviewer and pending
        else None,
        "refuse_form": ReopenRefuseForm(auto_id="refuse_%s") if reviewer and pending else None,
    }


# ------------------------------------------------------------------------------------------------
# Review
# ------------------------------------------------------------------------------------------------
REVIEW_FORMS = {"return": ReturnForm, "accept": AcceptForm, "reopen": ReopenForm}


@require_POST
def submission_review(request, year: int, quarter: int, code: str):
    """DOLISA returns, accepts or reopens a submission. What the user may not see answers 404 first. After
    a decision (return, accept) the officer is taken to the next submission waiting for review."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    action = request.POST.get("action")
    if not selectors.reviews_submissions(request.user) or action not in REVIEW_FORMS:
        raise PermissionDenied
    form = REVIEW_FORMS[action](request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(ref.submission)
    try:
        messages.success(request, _review(action, ref=ref, user=request.user, data=form.cleaned_data))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except services.ConflictError:
        messages.error(request, _("Báo cáo vừa được người khác cập nhật; vui lòng xem lại."))
    else:
        if action in ("return", "accept"):  # decided: on to the next report waiting, or back to the queue
            following = selectors.review_queue_next(program=program, after=ref.submission)
            if following is None:
                messages.info(request, _("Không còn báo cáo nào chờ xem xét."))
            return redirect(following or "home")
    return redirect(ref.submission)


def _review(action: str, *, ref: SubmissionRef, user, data: dict) -> str:
    """Carry out one review action through its service; the message that says it is done."""
    agency = {"a": ref.agency.short_name}
    if action == "return":
        services.submission_return(submission=ref.submission, user=user, comment=data["comment"],
                                   reopen_until=data.get("reopen_until"))  # fmt: skip
        return _("Đã trả lại báo cáo cho %(a)s.") % agency
    if action == "accept":
        services.submission_accept(submission=ref.submission, user=user, comment=data["comment"])
        return _("Đã duyệt báo cáo của %(a)s.") % agency
    services.submission_reopen(submission=ref.submission, user=user, until=data["until"], comment=data["comment"])
    return _("Đã mở lại báo cáo cho %(a)s.") % agency


urlpatterns = [
    path("submissions/<int:year>/", submission_list, name="list"),
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/", submission_detail, name="submission"),
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/review/", submission_review, name="review"),
]
