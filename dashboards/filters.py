"""The dashboard's filters: which figures a page shows, read from its query string and scoped to the
user's role, and the links that keep them.

Officers and viewers see the province and may pick a district or an agency; viewers read accepted
figures only. A reporter sees its own agency (and its district); anything else answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from programs import calendar
from programs.models import AdminUnit, Agency, Program

from .figures import Cut, Frame, cut_quarter, program_frame

CUT_YTD, CUT_QUARTER = "ytd", "quarter"


@dataclass(frozen=True)
class Filters:
    """Which figures the page shows, as read from its query string and the user's role."""

    program: Program
    frame: Frame
    quarter: int
    year_to_date: bool = True
    include_pending: bool = False
    district: AdminUnit | None = None
    agency: Agency | None = None
    locked: bool = False  # a reporter's own dashboard: its agency (and district) are forced
    may_include_pending: bool = False  # viewers read accepted figures only

    def params(self, **changes) -> dict[str, str]:
        """The query-string parameters of these filters, with `changes` (None removes a parameter)."""
        p = {"cut": CUT_YTD if self.year_to_date else CUT_QUARTER, "quarter": str(self.quarter)}
        if self.include_pending:
            p["pending"] = "1"
        if self.district is not None:
            p["district"] = self.district.code
        if self.agency is not None:
            p["agency"] = self.agency.code
        for key, value in changes.items():
            if value is None:
                p.pop(key, None)
            else:
                p[key] = str(value)
        return p

    def query(self, **changes) -> str:
        return urlencode(self.params(**changes))

    def url(self, name: str, **changes) -> str:
        return reverse(f"dashboards:{name}", kwargs={"year": self.program.year}) + "?" + self.query(**changes)

    def sources_url(self, what: str, **changes) -> str:
        """The drill-down listing the submissions behind one number of these filters."""
        return self.url("dashboard_sources", what=what, **changes)

    def cut(self) -> Cut:
        return cut_quarter(
            program=self.program, number=self.quarter, year_to_date=self.year_to_date,
            include_pending=self.include_pending, district=self.district, agency=self.agency, frame=self.frame,
        )  # fmt: skip

    @property
    def cut_label(self) -> str:
        values = {"n": self.quarter, "y": self.program.year}
        if self.year_to_date:
            return _("Lũy kế từ đầu năm đến hết quý %(n)s/%(y)s") % values
        return _("Riêng quý %(n)s/%(y)s") % values

    @property
    def counting_label(self) -> str:
        if self.include_pending:
            return _("Gồm cả báo cáo đã gửi, chưa duyệt")
        return _("Chỉ số liệu đã được Sở duyệt")

    @property
    def scope_label(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.district is not None:
            return self.district.name
        return _("Toàn tỉnh")

    @property
    def shows_targets(self) -> bool:
        """Targets, districts and budget come from the districts: a provincial agency has none of them."""
        return self.agency is None or self.agency.is_district

    @property
    def file_stem(self) -> str:
        """bang-dieu-khien-2018-q2-luy-ke, with the scope and the pending switch when set."""
        parts = ["bang-dieu-khien", str(self.program.year), f"q{self.quarter}"]
        if self.year_to_date:
            parts.append("luy-ke")
        if self.agency is not None:
            parts.append(self.agency.code)
        elif self.district is not None:
            parts.append(f"huyen-{self.district.code}")
        if self.include_pending:
            parts.append("gom-chua-duyet")
        return "-".join(parts)


def current_quarter(frame: Frame) -> int:
    """The quarter of the portal's today within the program year (the first or last one outside it)."""
    today = calendar.local_today()
    for q in frame.quarters:
        if q.start <= today <= q.end:
            return q.number
    if today > frame.quarters[-1].end:
        return frame.quarters[-1].number
    return frame.quarters[0].number


def filters_parse(*, user, program: Program, params: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """The filters from the query string, and a Vietnamese message for each value that was ignored.

    Officers and viewers see the province and may pick a district or an agency; viewers read accepted
    figures only (pending=1 is ignored). A reporter sees its own agency (and its district): a query for
    another one answers 404, as does a user without a role.
    """
    if not (roles.sees_province(user) or roles.is_reporter(user)):
        raise Http404("No dashboard for this user")
    frame = program_frame(program=program)
    if not frame.quarters:
        raise Http404("The program has no quarters")
    warnings: list[str] = []
    quarter = _quarter_param(frame, params, warnings)
    year_to_date = _cut_param(params, warnings)
    may_include_pending = roles.is_officer(user) or roles.is_reporter(user)
    raw_agency = (params.get("agency") or "").strip()
    raw_district = (params.get("district") or "").strip()
    locked = roles.is_reporter(user) and not roles.sees_province(user)
    if locked:
        agency, district = _reporter_scope(user, frame, raw_agency, raw_district)
    else:
        agency, district = _chosen_scope(frame, raw_agency, raw_district, warnings)
    filters = Filters(
        program=program, frame=frame, quarter=quarter, year_to_date=year_to_date,
        include_pending=may_include_pending and params.get("pending") == "1", district=district, agency=agency,
        locked=locked, may_include_pending=may_include_pending,
    )  # fmt: skip
    return filters, warnings


def _quarter_param(frame: Frame, params: Mapping[str, str], warnings: list[str]) -> int:
    numbers = [q.number for q in frame.quarters]
    default = current_quarter(frame)
    raw = (params.get("quarter") or "").strip()
    if not raw:
        return default
    if raw.isascii() and raw.isdigit() and int(raw) in numbers:  # "²" is a digit to isdigit(), not to int()
        return int(raw)
    warnings.append(
        _("Quý “%(v)s” không hợp lệ (chọn từ 1 đến %(m)s); đang hiển thị quý %(n)s.")
        % {"v": raw, "m": numbers[-1], "n": default}
    )
    return default


def _cut_param(params: Mapping[str, str], warnings: list[str]) -> bool:
    """Whether the cut is the year to date (the default) rather than one quarter."""
    raw = (params.get("cut") or "").strip()
    if raw and raw not in (CUT_YTD, CUT_QUARTER):
        warnings.append(_("Cách tính “%(v)s” không hợp lệ; đang hiển thị số liệu lũy kế từ đầu năm.") % {"v": raw})
    return raw != CUT_QUARTER


def _own_district(frame: Frame, agency: Agency) -> AdminUnit | None:
    return next((d for d in frame.districts if d.pk == agency.unit_id), None) if agency.is_district else None


def _reporter_scope(user, frame: Frame, raw_agency: str, raw_district: str) -> tuple[Agency, AdminUnit | None]:
    """A reporter's own agency and district; naming another one answers 404."""
    agency = next((a for a in frame.agencies if a.pk == user.agency_id), None)
    if agency is None or (raw_agency and raw_agency != agency.code):
        raise Http404("A reporter sees its own agency's dashboard only")
    district = _own_district(frame, agency)
    if raw_district and (district is None or raw_district != district.code):
        raise Http404("A reporter sees its own district only")
    return agency, district


def _chosen_scope(frame: Frame, raw_agency: str, raw_district: str, warnings: list[str]):
    """The agency and district an officer or a viewer asked for, reconciled: an unknown code is
    dropped, a district agency brings its own district, a provincial agency has none."""
    agency = next((a for a in frame.agencies if a.code == raw_agency), None) if raw_agency else None
    if raw_agency and agency is None:
        warnings.append(
            _("Không có cơ quan, đơn vị mã “%(v)s” trong chương trình; đã bỏ bộ lọc này.") % {"v": raw_agency}
        )
    district = next((d for d in frame.districts if d.code == raw_district), None) if raw_district else None
    if raw_district and district is None:
        warnings.append(_("Không có huyện, thị xã, thành phố mã “%(v)s”; đã bỏ bộ lọc này.") % {"v": raw_district})
    if agency is not None and agency.is_district:
        own = _own_district(frame, agency)
        if district is not None and district != own:
            warnings.append(
                _("%(a)s thuộc %(d)s: đã lọc theo %(d)s.") % {"a": agency.short_name, "d": own.name if own else "–"}
            )
        return agency, own
    if agency is not None and district is not None:
        warnings.append(_("%(a)s là cơ quan cấp tỉnh: đã bỏ bộ lọc huyện.") % {"a": agency.short_name})
        return agency, None
    return agency, district
