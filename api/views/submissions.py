"""Quarterly submissions through the API, with the rules of their pages: what a user may see is
reporting.selectors' (submissions_visible_to, submission_for), what the agency may change now is
submission_may_edit (role, deadline, state), what is sent is checked by the quarterly form, and every
write is one service of reporting.services, which keeps it in the history with its user. The version is
the ETag: a write names it in If-Match (428 without, 412 when stale, and then nothing changes)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from accounts import security
from programs.models import Agency
from reporting import selectors as rs
from reporting import services
from reporting.fields import initial_from
from reporting.forms import SubmissionForm
from reporting.models import Submission

from ..exceptions import Invalid, PreconditionFailed, PreconditionRequired
from ..selectors import SubmissionFilters, submission_rows
from ..serializers.submissions import (
    ChangeSerializer,
    SaveResultSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    ValuesSerializer,
)
from ..values import VERSION, form_data, form_errors, shape_of, values_out
from .base import ApiListView, ApiView, choice_param, code_param, quarter_param

TAGS = ["submissions"]
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True,
    description="ETag của báo cáo đã đọc, ví dụ \"3\" — The ETag (version) of the report as read, e.g. \"3\"",
)  # fmt: skip
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response=[200],
    description="Phiên bản của báo cáo, để gửi lại trong If-Match — The report's version, for If-Match",
)  # fmt: skip


class SubmissionFilterParams(serializers.Serializer):
    quarter = quarter_param()
    agency = code_param("Mã cơ quan — Agency code")
    district = code_param("Mã huyện: báo cáo của UBND huyện đó — District code: its People's Committee's reports")
    status = choice_param(Submission.Status.choices, "Trạng thái — State")
    kind = choice_param(Agency.Kind.choices, "Cấp tỉnh hay huyện — Provincial or district")


@extend_schema(tags=TAGS, summary="Báo cáo quý — Quarterly submissions", parameters=[SubmissionFilterParams])
class SubmissionList(ApiListView):
    """Các báo cáo quý bạn được xem, như trang Báo cáo quý: cơ quan thấy báo cáo của mình, Sở thấy tất cả,
    lãnh đạo UBND thấy báo cáo đã duyệt — The submissions you may see, as on the submissions page."""

    serializer_class = SubmissionSerializer

    def get_queryset(self):
        filters = SubmissionFilters(**self.params(SubmissionFilterParams))
        return submission_rows(user=self.request.user, program=self.program(), filters=filters)


def _etag(submission: Submission) -> str:
    return f'"{submission.version}"'


def _expected_version(request, submission: Submission) -> int:
    """The version the writer read, from If-Match ("3", or 3): 428 without it, 412 when it is not the
    stored one (nothing is changed)."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    named = {tag.strip().strip('"') for tag in header.split(",") if not tag.strip().startswith("W/")}
    if str(submission.version) not in named:
        raise PreconditionFailed()
    return submission.version


def _refused(exc: ValidationError) -> exceptions.APIException:
    """A service's refusal: the report is locked (403), or cannot be saved or sent as it is (400)."""
    message = " ".join(exc.messages)
    if getattr(exc, "code", None) == "locked":
        return exceptions.PermissionDenied(message, code="locked")
    return Invalid(message, code=getattr(exc, "code", None) or "invalid")


class SubmissionView(ApiView):
    """One agency's report for one quarter, found as its page finds it (404 for what the user may not see)."""

    def ref(self) -> rs.SubmissionRef:
        k = self.kwargs
        return rs.submission_for(self.request.user, program=self.program(), quarter_number=k["quarter"],
                                 agency_code=k["code"])  # fmt: skip

    def detail(self, ref: rs.SubmissionRef, submission: Submission, spec, **extra) -> Response:
        data = initial_from(spec=spec, values=rs.submission_values(submission=submission), submission=submission)
        body = {
            "submission": submission,
            "started": submission.pk is not None,
            "entry_deadline": ref.quarter.entry_deadline,
            "editable": rs.submission_may_edit(self.request.user, submission=submission),
            "lock_reason": rs.submission_lock_reason(submission),
            "values": values_out(shape_of(spec), data),
            "transitions": rs.submission_transitions(submission=submission),
        }
        serialized = SubmissionDetailSerializer(body, context=self.get_serializer_context()).data
        return Response({**serialized, **extra}, headers={"ETag": _etag(submission)})

    def may_edit(self, submission: Submission) -> None:
        """The page's gate: the agency's own reporter, while the report is not locked."""
        user = self.request.user
        if rs.submission_may_edit(user, submission=submission):
            return
        if rs.reports_for_agency(user, agency_id=submission.agency_id):
            raise PermissionDenied(rs.submission_lock_reason(submission))
        raise PermissionDenied

    def written(self, action: str, submission: Submission, **fields) -> None:
        k = self.kwargs
        security.log_event(
            "api_write", request=self.request, what=f"submission:{k['code']}:q{k['quarter']}", action=action,
            version=submission.version, **fields,
        )  # fmt: skip


def _write_schema(summary: str, description: str):
    return extend_schema(
        tags=TAGS, summary=summary, description=description, request=ValuesSerializer, parameters=[IF_MATCH, ETAG],
        responses={200: SaveResultSerializer},
    )  # fmt: skip


@extend_schema(tags=TAGS, summary="Một báo cáo quý — One submission", parameters=[ETAG],
               responses={200: SubmissionDetailSerializer})  # fmt: skip
class SubmissionDetail(SubmissionView):
    """Báo cáo của một cơ quan cho một quý, với số liệu — One agency's report for a quarter, with its values.
    The ETag header is its version: name it in If-Match to change the values (PUT, PATCH) or send it."""

    def get(self, request, year: int, quarter: int, code: str):
        ref = self.ref()
        return self.detail(
            ref, ref.submission, rs.form_spec(agency=ref.agency, quarter=ref.quarter, program=self.program())
        )

    @_write_schema(
        "Thay toàn bộ số liệu — Replace the values",
        "Mọi giá trị không gửi được để trống, như biểu mẫu "
        "gửi với ô trống — Every value not sent is emptied, as a form posted with empty fields.",
    )
    def put(self, request, year: int, quarter: int, code: str):
        return self.save(partial=False)

    @_write_schema(
        "Sửa một phần số liệu — Change some values", "Chỉ các giá trị được gửi thay đổi — Only the values sent change."
    )
    def patch(self, request, year: int, quarter: int, code: str):
        return self.save(partial=True)

    def save(self, *, partial: bool) -> Response:
        ref = self.ref()
        submission = ref.submission
        self.may_edit(submission)
        expected = _expected_version(self.request, submission)
        spec = rs.form_spec(agency=ref.agency, quarter=ref.quarter, program=self.program())
        payload = ValuesSerializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        shape = shape_of(spec)
        stored = rs.submission_values(submission=submission)
        base = initial_from(spec=spec, values=stored, submission=submission) if partial else {}
        data, errors = form_data(shape, payload.validated_data, base=base)
        if errors:
            raise Invalid(_("Chưa lưu: báo cáo của cơ quan không có các mục này."), code="unknown", errors=errors)
        form = SubmissionForm({**data, VERSION: expected}, spec=spec)
        if not form.is_valid():
            raise Invalid(_("Chưa lưu: vui lòng sửa các giá trị bị báo lỗi."), errors=form_errors(shape, form))
        try:
            result = services.submission_save(
                submission=submission, user=self.request.user, spec=spec, data=form.cleaned_data,
                expected_version=expected, with_warnings=True,
            )  # fmt: skip
        except services.ConflictError:
            raise PreconditionFailed() from None
        except ValidationError as exc:
            raise _refused(exc) from None
        self.written("save", result.submission, changed=result.changed)
        paths = shape.paths()
        warnings = {paths.get(name, name): message for name, message in result.warnings.items()}
        return self.detail(ref, result.submission, spec, changed=result.changed, warnings=warnings)


@extend_schema(tags=TAGS, summary="Gửi báo cáo cho Sở — Send the report to DOLISA", request=None,
               parameters=[IF_MATCH, ETAG], responses={200: SubmissionDetailSerializer})  # fmt: skip
class SubmissionSubmit(SubmissionView):
    """Gửi báo cáo (nháp → đã gửi, bị trả lại → đã gửi lại), như nút Gửi báo cáo — Send the report (draft →
    submitted, returned → resubmitted), as the page's Send button: refused while values are missing, or
    when a figure moved by over 50% without an explanation."""

    def post(self, request, year: int, quarter: int, code: str):
        ref = self.ref()
        submission = ref.submission
        self.may_edit(submission)
        expected = _expected_version(request, submission)
        spec = rs.form_spec(agency=ref.agency, quarter=ref.quarter, program=self.program())
        try:
            submission = services.submission_submit(submission=submission, user=request.user, spec=spec,
                                                    expected_version=expected)  # fmt: skip
        except services.ConflictError:
            raise PreconditionFailed() from None
        except ValidationError as exc:
            raise _refused(exc) from None
        self.written("submit", submission, status=submission.status)
        return self.detail(ref, submission, spec)


@extend_schema(tags=TAGS, summary="Lịch sử thay đổi — History of changes")
class SubmissionHistory(ApiListView, SubmissionView):
    """Mọi thay đổi số liệu của báo cáo, mới nhất trước, ai và lúc nào, như mục Lịch sử thay đổi của trang (chỉ
    cán bộ Sở) — Every change of the report's values, newest first, who and when, as the page shows DOLISA."""

    serializer_class = ChangeSerializer

    def get_queryset(self):
        ref = self.ref()
        if not rs.reviews_submissions(self.request.user):
            raise PermissionDenied
        spec = rs.form_spec(agency=ref.agency, quarter=ref.quarter, program=self.program())
        return rs.submission_history(submission=ref.submission, spec=spec)
