"""The OpenAPI 3 description of the API, generated from the code by drf-spectacular (/api/schema/, browsable
at /api/docs/): the refusals every operation may answer, the token scheme, and the description and tags in
Vietnamese with English beside them."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .serializers import ErrorSerializer

# The refusals an operation may answer, beside what it answers when it succeeds.
REFUSALS = {
    "400": "Yêu cầu không hợp lệ (tham số, nội dung) — Invalid request",
    "401": "Chưa xác thực: thiếu khóa hoặc khóa không hợp lệ — No valid token or session",
    "403": "Không được phép (vai trò, báo cáo đã khóa) — Not allowed (role, locked report)",
    "404": "Không có, hoặc bạn không được xem — Not there, or not yours to see",
    "406": "Không trả lời được theo Accept — Cannot answer in the accepted format",
    "429": "Quá nhiều yêu cầu với khóa này — Rate limit of the token reached",
}
WRITE_REFUSALS = {
    "412": "Phiên bản trong If-Match đã cũ: không có gì thay đổi — Stale If-Match version: nothing changed",
    "415": "Nội dung phải là JSON — The body must be JSON",
    "428": "Thiếu If-Match — If-Match is required",
}
TAGS = [
    {"name": "program", "description": "Chương trình: mục tiêu, chỉ số, hoạt động, cơ quan, địa bàn, lịch — "
     "The program: targets, indicators, activities, agencies, places, calendar"},
    {"name": "figures", "description": "Số liệu tổng hợp của một kỳ, như Bảng điều khiển — "
     "The figures of a cut, as on the dashboard"},
    {"name": "submissions", "description": "Báo cáo quý của các cơ quan: đọc, nhập số liệu, gửi — "
     "Agencies' quarterly reports: read, enter values, submit"},
    {"name": "documents", "description": "Báo cáo gửi UBND tỉnh đã biên soạn và tệp của chúng — "
     "Compiled reports to the People's Committee and their files"},
    {"name": "incidents", "description": "Báo cáo đột xuất (chỉ số lượng trẻ em) — "
     "Ad hoc incident reports (counts only)"},
]  # fmt: skip
DESCRIPTION = """\
Dữ liệu của Cổng báo cáo Chương trình công tác Bảo vệ, chăm sóc trẻ em tỉnh An Giang cho các hệ thống
khác, với cùng quy tắc như các trang của Cổng. — The portal's data for other systems, with the same rules
as its pages.

**Xác thực — Authentication.** Mỗi người dùng (cán bộ Sở, cán bộ báo cáo) tạo khóa của mình ở trang
*Khóa truy cập API* (menu tài khoản) và gửi `Authorization: Bearer <khóa>`. Khóa hành động với vai trò
của người dùng: thấy đúng những gì người đó thấy trên các trang. — Each user creates their own tokens
on the *API tokens* page (account menu) and sends `Authorization: Bearer <token>`; a token sees exactly
what its user sees on the pages.

**Mã — Identifiers.** Mọi thứ được gọi bằng mã của chương trình: mã cơ quan, mã chỉ số, mã hoạt động,
mã chỉ tiêu đầu ra, mã đơn vị hành chính, số quý, loại báo cáo. — Everything is named by the program's
codes: agency, indicator, activity, output and unit codes, quarter numbers, report kinds.

**Ghi số liệu — Writing values.** Đọc báo cáo (GET) để có `ETag` (phiên bản), rồi gửi PUT/PATCH với
`If-Match: <ETag>`. Thiếu If-Match: 428; phiên bản đã cũ: 412 và không có gì thay đổi. Số liệu được
kiểm tra như trên biểu mẫu; mọi thay đổi được ghi vào lịch sử với người dùng. — Read the report (GET) for
its `ETag` (version), then PUT/PATCH with `If-Match`: 428 without it, 412 on a stale version (nothing
changes). Values are checked as the form checks them; every change is in the history with its user.

**Giới hạn — Limits.** Số lần gọi mỗi khóa có giới hạn (429, `Retry-After`); danh sách được chia trang
(`page`, `page_size`). — Calls per token are limited (429 with `Retry-After`); lists come in pages.
"""


class AutoSchema(SpectacularAutoSchema):
    """Every operation says how it may be refused, in the one error shape (api.exceptions)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        refusals = {**REFUSALS, **(WRITE_REFUSALS if self.method in ("PUT", "PATCH", "POST") else {})}
        for code, description in refusals.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, ["application/json"], direction)
                responses[code]["description"] = description
        return responses


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Khóa truy cập API của người dùng — A user's API token (Authorization: Bearer <token>)",
        }


def describe(result, generator, request, public):
    """drf-spectacular's postprocessing hook: the description and the tags."""
    result["info"]["description"] = DESCRIPTION
    result["tags"] = TAGS
    return result
