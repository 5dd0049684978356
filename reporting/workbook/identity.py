"""Which report a workbook was made for: agency, year, quarter, the submission's version and the
layout's fingerprint, signed with SECRET_KEY (django.core.signing) in a very hidden sheet. A workbook
for another agency or quarter, for an older layout, or with a forged identity is refused."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _
from openpyxl import Workbook

from programs.models import Agency

from ..models import Submission
from ..selectors import FormSpec
from .layout import WorkbookLayout

ID_SHEET = "portal_id"  # very hidden: Excel's interface cannot even unhide it
SIGNING_SALT = "reporting.workbook"


@dataclass(frozen=True)
class Identity:
    agency: str
    year: int
    quarter: int
    version: int
    layout: str

    def sign(self) -> str:
        payload = {"a": self.agency, "y": self.year, "q": self.quarter, "v": self.version, "l": self.layout}
        return signing.dumps(payload, salt=SIGNING_SALT)

    @classmethod
    def unsign(cls, token: str) -> Identity:
        data = signing.loads(token, salt=SIGNING_SALT)
        return cls(str(data["a"]), int(data["y"]), int(data["q"]), int(data["v"]), str(data["l"]))


def identity_for(*, spec: FormSpec, submission: Submission, layout: WorkbookLayout) -> Identity:
    return Identity(
        spec.agency.code, spec.program.year, spec.quarter.number, submission.version or 0, layout.fingerprint
    )


def identity_write(wb: Workbook, *, identity: Identity) -> None:
    """The very hidden sheet: the signed token, and its parts in plain text for a person who looks."""
    ws = wb.create_sheet(ID_SHEET)
    ws["A1"], ws["B1"] = "token", identity.sign()
    ws["A2"], ws["B2"] = "agency", identity.agency
    ws["A3"], ws["B3"] = "quarter", f"{identity.year}-Q{identity.quarter}"
    ws["A4"], ws["B4"] = "version", identity.version
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def identity_check(book: Workbook, *, spec: FormSpec, layout: WorkbookLayout) -> tuple[Identity | None, list]:
    """The uploaded workbook's identity, or None and the reason (in Vietnamese) it is not this report's."""
    foreign = _("Tệp này không phải tệp Excel do cổng tạo cho báo cáo này, hoặc phần nhận dạng của tệp đã bị sửa. "
                "Vui lòng tải tệp Excel mới từ trang báo cáo.")  # fmt: skip
    if ID_SHEET not in book.sheetnames:
        return None, [foreign]
    try:
        identity = Identity.unsign(str(book[ID_SHEET]["B1"].value or ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None, [foreign]
    q = spec.quarter
    if (identity.agency, identity.year, identity.quarter) != (spec.agency.code, spec.program.year, q.number):
        other = Agency.objects.filter(code=identity.agency).first()
        return None, [
            _("Tệp này là báo cáo Quý %(q)s/%(y)s của %(other)s, không phải báo cáo %(this_q)s của %(this)s. "
              "Vui lòng tải lên đúng tệp, hoặc tải tệp Excel mới từ trang báo cáo này.")
            % {"q": identity.quarter, "y": identity.year, "other": other.name if other else identity.agency,
               "this_q": q, "this": spec.agency.name}
        ]  # fmt: skip
    if identity.layout != layout.fingerprint:
        return None, [
            _(
                "Mẫu báo cáo của cơ quan đã thay đổi từ khi tệp này được tải về. Vui lòng tải tệp Excel mới và nhập "
                "lại số liệu."
            )
        ]
    return identity, []
