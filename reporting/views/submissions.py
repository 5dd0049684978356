"""Quarterly progress pages: home pages by role, the submission form and its review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programs import calendar
from programs.selectors import program_for_year

from .. import selectors, services
from ..fields import initial_from
from ..forms import AcceptForm, Layout, ReopenForm, ReturnForm, SubmissionForm, summarize
from ..models import Submission
from ..selectors import Values


def submission_list(request, year: int):
    """Submissions the user may see, filtered by quarter, state and kind. Template: reporting/submission_list.html."""
    program = program_for_year(year=year, user=request.user)
    quarter = request.GET.get("quarter")
    status = request.GET.get("status")
    kind = request.GET.get("kind")
    rows = selectors.submission_list(
        user=request.user,
        program=program,
        quarter=int(quarter) if quarter and quarter.isdigit() else None,
        status=status if status in Submission.Status.values else None,
        kind=kind if kind in ("provincial", "district") else None,
    )
    return render(
        request,
        "reporting/submission_list.html",
        {"program": program, "rows": rows, "statuses": Submission.Status.choices, "filters": request.GET},
    )


@require_http_methods(["GET", "POST"])
def submission_detail(request, year: int, quarter: int, code: str):
    """The quarterly report of one agency: its form while the agency may edit it, read-only
    otherwise, with its workflow steps, and for DOLISA its review actions and history of changes.
    Template: reporting/submission_detail.html."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    submission = ref.submission
    spec = selectors.form_spec(agency=ref.agency, quarter=ref.quarter)
    editable = selectors.submission_may_edit(request.user, submission=submission)
    conflict = None
    warnings: dict[str, str] = {}

    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = SubmissionForm(request.POST, spec=spec)
        if form.is_valid():
            action = request.POST.get("action", "save")
            try:
                result = _save_and_maybe_submit(request, submission, spec, form, action)
            except services.ConflictError as exc:
                conflict = _conflict_context(exc.submission, spec, form)
                submission = exc.submission
                submission.agency, submission.quarter = ref.agency, ref.quarter
                form = SubmissionForm(
                    spec=spec, values=selectors.submission_values(submission=submission), submission=submission
                )
                editable = selectors.submission_may_edit(request.user, submission=submission)
            except ValidationError as exc:
                target = "change_explanation" if getattr(exc, "code", "") == "explanation_required" else None
                form.add_error(target, exc)
                warnings = services.change_warnings(submission=submission, spec=spec, data=form.cleaned_data)
            else:
                if result is not None:
                    return redirect(ref.submission.get_absolute_url())
        else:
            messages.error(request, _("Chưa lưu: vui lòng sửa các ô được đánh dấu đỏ."))
    else:
        # the submission's values and, for the >50% warnings, the previous quarter's, in one read
        previous = selectors.previous_submission(submission=submission) if submission.pk else None
        values = selectors.values_for(submissions=[submission, previous])
        form = SubmissionForm(spec=spec, values=values.get(submission.pk) or Values(), submission=submission)
        if submission.pk:
            warnings = services.change_warnings(
                submission=submission, spec=spec, data=form.initial,
                previous=(previous, values.get(previous.pk) if previous else None),
            )  # fmt: skip

    if not editable:
        form.make_readonly()
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    if form.is_bound and not hasattr(form, "cleaned_data"):
        data = {k: form.data.get(k) for k in form.fields}
    reviewer = selectors.reviews_submissions(request.user)
    return render(
        request,
        "reporting/submission_detail.html",
        {
            "program": program,
            "ref": ref,
            "submission": submission,
            "spec": spec,
            "form": form,
            "layout": Layout(form, warnings),
            "summary": summarize(spec=spec, data=data if isinstance(data, dict) else {}),
            "editable": editable,
            "lock_reason": selectors.submission_lock_reason(submission) if submission.pk or not editable else None,
            "conflict": conflict,
            "transitions": selectors.submission_transitions(submission=submission),
            "uploads": selectors.workbook_uploads(request.user, submission=submission),
            "history": selectors.submission_history(submission=submission, spec=spec) if reviewer else None,
            "can_review": selectors.submission_may_review(request.user, submission=submission),
            "can_reopen": reviewer,
            "return_form": ReturnForm(auto_id="return_%s"),
            "accept_form": AcceptForm(auto_id="accept_%s"),
            "reopen_form": ReopenForm(auto_id="reopen_%s", initial={"until": calendar.local_today()}),
            "deadline_passed": calendar.is_past(ref.quarter.entry_deadline),
            "days_left": calendar.days_left(ref.quarter.entry_deadline),
        },
    )


def _save_and_maybe_submit(request, submission, spec, form, action):
    """Save the form, and submit it too when asked; both or neither (one transaction)."""
    from django.db import transaction

    version = form.cleaned_data["version"]
    with transaction.atomic():
        result = services.submission_save(
            submission=submission, user=request.user, spec=spec, data=form.cleaned_data, expected_version=version
        )
        if action == "submit":
            services.submission_submit(
                submission=result.submission, user=request.user, spec=spec, expected_version=result.submission.version
            )
    if action == "submit":
        messages.success(request, _("Đã gửi báo cáo đến Sở Lao động – Thương binh và Xã hội."))
    elif result.changed:
        messages.success(request, _("Đã lưu nháp (%(n)s thay đổi).") % {"n": result.changed})
    else:
        messages.info(request, _("Không có thay đổi nào để lưu."))
    return result  # the form page it redirects to shows any change of more than half


def _conflict_context(current: Submission, spec, form) -> dict:
    """What the second editor tried to save against what is stored now, field by field."""
    stored = initial_from(spec=spec, values=selectors.submission_values(submission=current), submission=current)
    mine = form.cleaned_data
    labels = {name: field.label for name, field in form.fields.items()}
    diffs = [
        {"label": labels.get(name, name), "mine": mine.get(name), "stored": stored.get(name)}
        for name in form.fields
        if name != "version" and (mine.get(name) or None) != (stored.get(name) or None)
    ]
    return {"by": current.updated_by, "at": current.updated_at, "diffs": diffs}


@require_POST
def submission_review(request, year: int, quarter: int, code: str):
    """DOLISA returns, accepts or reopens a submission. What the user may not see answers 404 first."""
    program = program_for_year(year=year, user=request.user)
    ref = selectors.submission_for(request.user, program=program, quarter_number=quarter, agency_code=code)
    if not selectors.reviews_submissions(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    forms_by_action = {"return": ReturnForm, "accept": AcceptForm, "reopen": ReopenForm}
    if action not in forms_by_action:
        raise PermissionDenied
    form = forms_by_action[action](request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(ref.submission.get_absolute_url())
    try:
        if action == "return":
            services.submission_return(
                submission=ref.submission, user=request.user, comment=form.cleaned_data["comment"],
                reopen_until=form.cleaned_data.get("reopen_until"),
            )  # fmt: skip
            messages.success(request, _("Đã trả lại báo cáo cho %(a)s.") % {"a": ref.agency.short_name})
        elif action == "accept":
            services.submission_accept(
                submission=ref.submission, user=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Đã duyệt báo cáo của %(a)s.") % {"a": ref.agency.short_name})
        else:
            services.submission_reopen(
                submission=ref.submission, user=request.user, until=form.cleaned_data["until"],
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
            messages.success(request, _("Đã mở lại báo cáo cho %(a)s.") % {"a": ref.agency.short_name})
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except services.ConflictError:
        messages.error(request, _("Báo cáo vừa được người khác cập nhật; vui lòng xem lại."))
    return redirect(ref.submission.get_absolute_url())


urlpatterns = [
    path("submissions/<int:year>/", submission_list, name="list"),
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/", submission_detail, name="submission"),
    path("submissions/<int:year>/q<int:quarter>/<slug:code>/review/", submission_review, name="review"),
]
