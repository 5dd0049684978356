"""The API's refusals: one shape for every error ({"detail", "code", "errors"?}), a Vietnamese message for
each, and every refused call (401, 403, 404, 412, 428, 429) in the security log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from accounts import security

from .models import ApiToken

# Refused calls, as the security log records them (with the user, the token's prefix, the address, the path).
REFUSED = frozenset({401, 403, 404, 412, 428, 429})


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Cần tiêu đề If-Match với ETag (phiên bản) của báo cáo đã đọc, để không ghi đè thay đổi của người khác."
    )
    default_code = "if_match_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Báo cáo đã được lưu ở phiên bản khác sau khi bạn đọc nó: không có gì thay đổi. Vui lòng đọc lại báo cáo "
        "(ETag mới) rồi gửi lại thay đổi của bạn."
    )
    default_code = "stale_version"


class Invalid(exceptions.APIException):
    """A refusal of what was sent, with the form's messages by field (`errors`)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail: str, *, code: str = "invalid", errors: list[dict] | None = None):
        super().__init__(detail, code)
        self.errors = errors or []


# The message of each of DRF's refusals (its own are in English, or say which object is missing).
MESSAGES = [
    (exceptions.NotAuthenticated,
     gettext_lazy("Cần khóa truy cập API (Authorization: Bearer <khóa>) hoặc phiên đăng nhập.")),
    (exceptions.NotFound, gettext_lazy("Không tìm thấy, hoặc bạn không có quyền xem.")),
    (exceptions.MethodNotAllowed, gettext_lazy("Không dùng được phương thức này ở địa chỉ này.")),
    (exceptions.NotAcceptable, gettext_lazy("Không trả lời được theo định dạng đã yêu cầu (Accept).")),
    (exceptions.UnsupportedMediaType, gettext_lazy("Nội dung gửi lên phải là JSON (Content-Type: application/json).")),
    (exceptions.ParseError, gettext_lazy("Nội dung gửi lên không phải JSON hợp lệ.")),
    (exceptions.ValidationError, gettext_lazy("Dữ liệu gửi lên không hợp lệ.")),
]  # fmt: skip


def _message(exc: exceptions.APIException) -> str:
    """The Vietnamese message of a refusal; a message of the portal's own (a lock's reason, a service's
    refusal) is kept as it is."""
    if isinstance(exc, exceptions.Throttled):
        return _("Quá nhiều yêu cầu: vui lòng thử lại sau %(s)s giây.") % {"s": int(exc.wait or 1)}
    if isinstance(exc, exceptions.PermissionDenied) and exc.detail == exceptions.PermissionDenied.default_detail:
        return _("Bạn không có quyền thực hiện thao tác này.")
    return next((str(message) for kind, message in MESSAGES if isinstance(exc, kind)), str(exc.detail))


def _flatten(detail, path: str = "") -> list[dict]:
    """A DRF validation error's nested messages as [{"field", "message", "code"}]."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, _join(path, key))]
    if isinstance(detail, list):
        if all(isinstance(d, exceptions.ErrorDetail) for d in detail):
            return [{"field": path, "message": str(d), "code": d.code} for d in detail]
        return [e for i, value in enumerate(detail) for e in _flatten(value, f"{path}[{i}]")]
    return [{"field": path, "message": str(detail), "code": getattr(detail, "code", "invalid")}]


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == api_settings.NON_FIELD_ERRORS_KEY:
        return path
    return f"{path}.{key}" if path else str(key)


def exception_handler(exc, context):
    if isinstance(exc, Http404):  # a selector's "not yours or not there": never say which
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an error of the portal's: a 500, as on the pages
    codes = exc.get_codes()
    response.data = {"detail": _message(exc), "code": codes if isinstance(codes, str) else "invalid"}
    if isinstance(exc, exceptions.ValidationError):
        response.data["errors"] = _flatten(exc.detail)
    elif isinstance(exc, Invalid) and exc.errors:
        response.data["errors"] = exc.errors
    request = context.get("request")
    if response.status_code in REFUSED and request is not None:
        log_refused(request, status=response.status_code, reason=response.data["code"])
    return response


def log_refused(request, *, status: int, reason: str) -> None:
    """A refused call in the security log. Read what the call's authentication left, without running it
    again (it may be what failed)."""
    user = getattr(request, "_user", None)
    token = getattr(request, "_auth", None)
    security.log_event(
        "api_refused", request=request._request,
        username=user.get_username() if user is not None and user.is_authenticated else "-",
        status=status, method=request.method, token=token.prefix if isinstance(token, ApiToken) else "-",
        reason=reason,
    )  # fmt: skip
