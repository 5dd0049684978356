"""The printed provincial reports: each of the three, rendered from fixture submissions and read
back, shows the administrative header, the decision, every target with its achieved value, the
district table, and follows the page format (A4, Tinos only, page numbers from page 2)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from activities.models import Activity, OutputTarget
from dashboards.figures import cut_report, figures_compute
from documents.pdf import report_pdf
from documents.wording import doc_date
from programs.models import Agency, ProvincialReport, Quarter
from programs.selectors import district_communes
from targets.models import Indicator
from tests.factories import (
    ActivityProgressFactory,
    CommuneStatusFactory,
    IndicatorValueFactory,
    OutputProgressFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db

# (district agency, quarter) → indicator code → (numerator, denominator); every submission is accepted.
VALUES = {
    ("ubnd-an-phu", 1): {"1": (45, 50), "2": (3, 4), "3": (900, 1000), "4": (80, 100)},
    ("ubnd-cho-moi", 1): {"1": (30, 30), "2": (2, 2), "3": (1800, 2000), "4": (40, 50)},
    ("ubnd-an-phu", 2): {"1": (50, 50), "2": (4, 4), "3": (950, 1000), "4": (85, 100)},
    ("ubnd-cho-moi", 4): {"1": (27, 30), "2": (2, 2), "3": (1900, 2000), "4": (45, 50)},
}
# Ticks, the same in every submission: (pilot communes, communes at 100% Safe Home, child-friendly).
TICKS = {"ubnd-an-phu": (7, 1, 14), "ubnd-cho-moi": (9, 0, 18)}
# The province's values as printed, worked out by hand: sum of the districts' latest numerators over
# the sum of their denominators. An Phú has 14 communes, Chợ Mới 18 → 5a 16/32, 5b 1/2, 6 32/32.
EXPECTED = {
    "quarterly": {"1": ("93,8%", "75/80"), "2": ("83,3%", "5/6"), "3": ("90%", "2.700/3.000"),
                  "4": ("80%", "120/150")},
    "six_month": {"1": ("100%", "80/80"), "2": ("100%", "6/6"), "3": ("91,7%", "2.750/3.000"),
                  "4": ("83,3%", "125/150")},
    "annual": {"1": ("96,3%", "77/80"), "2": ("100%", "6/6"), "3": ("95%", "2.850/3.000"), "4": ("86,7%", "130/150")},
}  # fmt: skip
MET = {"quarterly": 1, "six_month": 3, "annual": 3}  # targets met (6 everywhere; 1, 2 and 4 as the year goes)
TICKED = {"5a": ("50%", "16/32 xã"), "5b": ("50%", "1/2 huyện"), "6": ("100%", "32/32 xã")}
SUBJECTS = {"quarterly": "quý I năm 2018", "six_month": "6 tháng đầu năm 2018", "annual": "năm 2018"}
ISSUED = {"quarterly": dt.date(2018, 3, 20), "six_month": dt.date(2018, 5, 20), "annual": dt.date(2018, 11, 15)}
ACCOUNT = "Phối hợp khám sàng lọc tim cho 40 trẻ em <script>alert('x')</script> & lập hồ sơ phẫu thuật."
FORMULA = '=HYPERLINK("http://example.invalid","bấm") Đề nghị bổ sung kinh phí khám sàng lọc tim.'
HOSTILE = '<img src="https://example.invalid/x.png"> =HYPERLINK("http://example.invalid","bấm")'


def quarter(n: int) -> Quarter:
    return Quarter.objects.get(program__year=2018, number=n)


def seed(program) -> None:
    """Accepted submissions of two districts and one department, with values, ticks, outputs,
    accounts, a budget and difficulties."""
    indicators = {i.code: i for i in Indicator.objects.filter(target__program=program)}
    for (code, n), values in VALUES.items():
        agency = Agency.objects.get(code=code)
        sub = SubmissionFactory(agency=agency, quarter=quarter(n), district_budget=130_000_000 if code == "ubnd-an-phu"
                                else 160_000_000, communes_budget=300_000_000)  # fmt: skip
        for ind_code, (num, den) in values.items():
            IndicatorValueFactory(submission=sub, indicator=indicators[ind_code], numerator=num, denominator=den)
        pilot, full, friendly = TICKS[code]
        for i, commune in enumerate(district_communes(program=program, district=agency.unit)):
            CommuneStatusFactory(
                submission=sub, commune=commune, safe_home_pilot=i < pilot, safe_home_full=i < full,
                child_friendly=i < friendly,
            )  # fmt: skip
    health = SubmissionFactory(
        agency=Agency.objects.get(code="so-y-te"), quarter=quarter(1), difficulties=HOSTILE,
        proposals=FORMULA,
    )  # fmt: skip
    heart = Activity.objects.get(group__program=program, code="I.7.3")
    ActivityProgressFactory(submission=health, activity=heart, status="in_progress", account=ACCOUNT, children_boys=25,
                            children_girls=15)  # fmt: skip
    OutputProgressFactory(
        submission=health, output=OutputTarget.objects.get(activity=heart, code="I.7.3.a"), quantity=12
    )


def report(kind: str) -> ProvincialReport:
    return ProvincialReport.objects.select_related("program__province").get(program__year=2018, kind=kind)


def render(kind: str, *, issued_on: dt.date | None = None, doc_number: int = 5) -> bytes:
    r = report(kind)
    figures = figures_compute(cut=cut_report(report=r))
    return report_pdf(report=r, figures=figures, issued_on=issued_on or ISSUED[kind], doc_number=doc_number)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its layout (pdftotext), or pypdf's extraction where poppler is missing."""
    if shutil.which("pdftotext"):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "r.pdf"
            path.write_bytes(data)
            return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout  # fmt: skip
    return "\f".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def top_text(page) -> str:
    """The text drawn highest on a page."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return max(found)[1]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("kind", ["quarterly", "six_month", "annual"])
def test_each_report_reads_back_with_header_decision_targets_and_district_table(program, kind):
    seed(program)
    data = render(kind)
    text = pdf_text(data)
    flat = squash(text)

    # The two-column header, the number and the date, the kind of document and its subject.
    for line in ["UBND TỈNH AN GIANG", "SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 05/BC-SLĐTBXH", "BÁO CÁO"]:  # fmt: skip
        assert line in text, line
    day, month, year = doc_date(ISSUED[kind])
    assert f"An Giang, ngày {day} tháng {month} năm {year}" in flat
    assert f"Kết quả thực hiện Chương trình công tác bảo vệ, chăm sóc trẻ em {SUBJECTS[kind]}" in flat
    assert "535/QĐ-UBND" in flat

    # Each target with its achieved value, in the results table (value, then its numerator/denominator).
    results = flat[
        flat.index("1. Kết quả thực hiện các mục tiêu cụ thể") : flat.index("2. Kết quả thực hiện các hoạt động")
    ]
    for code, (value, detail) in {**EXPECTED[kind], **TICKED}.items():
        name = squash(Indicator.objects.get(target__program=program, code=code).name)
        assert f"{name}: đạt {value} ({detail})" in results, (code, value, detail)
        assert value in results.split("(Chi tiết")[0]
    assert f"{MET[kind]}/6 mục tiêu cụ thể đạt chỉ tiêu đề ra" in flat

    # The district table, in its annex: An Phú and Chợ Mới with their own figures, the others empty.
    annex = text[text.index("KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CỤ THỂ THEO HUYỆN, THỊ XÃ, THÀNH PHỐ") :]
    assert "Phụ lục 1" in text[: text.index("KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CỤ THỂ THEO HUYỆN")]
    an_phu = next(line for line in annex.splitlines() if "An Phú" in line)
    ap_num, ap_den = VALUES[("ubnd-an-phu", 1 if kind == "quarterly" else 2)]["1"]
    assert an_phu.split()[3] == f"{round(100 * ap_num / ap_den)}%"  # An Phú's own value for target 1
    assert f"{ap_num}/{ap_den}" in annex
    assert "Toàn tỉnh" in annex
    assert re.search(r"Long Xuyên(\s+–){7}", annex)  # no accepted report: every cell empty
    assert "Phụ lục 2" in text and "Nơi nhận:" in text and "KT. GIÁM ĐỐC" in text and "- Lưu: VT, BVCSTE." in text


def test_page_format_fonts_and_page_numbers(program):
    seed(program)
    reader = PdfReader(io.BytesIO(render("six_month")))
    pages = reader.pages
    assert len(pages) >= 4
    first = pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)  # A4 portrait, in points
    last = pages[-1].mediabox
    assert (round(float(last.width)), round(float(last.height))) == (842, 595)  # the annex, landscape
    fonts = set()
    for page in pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Tinos" in f for f in fonts), fonts
    # No page number on the first page; "2" at the top of the second (the topmost text drawn).
    assert top_text(pages[0]) == "UBND TỈNH AN GIANG"
    assert top_text(pages[1]) == "2"
    assert top_text(pages[-1]) == str(len(pages))


def test_dates_take_leading_zeros_for_small_days_and_months_1_and_2(program):
    text = squash(pdf_text(render("quarterly", issued_on=dt.date(2018, 2, 5), doc_number=3)))
    assert "An Giang, ngày 05 tháng 02 năm 2018" in text
    assert "Số: 03/BC-SLĐTBXH" in text
    assert doc_date(dt.date(2018, 11, 15)) == ("15", "11", "2018")
    assert doc_date(dt.date(2018, 5, 9)) == ("09", "5", "2018")


def test_agency_text_is_printed_as_text_and_fetches_nothing(program, monkeypatch):
    """Agencies' accounts are user input: markup in them is printed literally, and the renderer
    fetches nothing but the shipped fonts."""
    from weasyprint.urls import URLFetcher

    seed(program)
    fetched = []
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    flat = squash(pdf_text(render("quarterly")))
    assert "<script>alert('x')</script>" in flat
    assert '<img src="https://example.invalid/x.png">' in flat
    assert fetched and all(u.startswith("file://") and u.endswith(".ttf") for u in fetched), fetched


def test_a_report_without_any_accepted_submission_still_renders(program):
    text = squash(pdf_text(render("annual")))
    assert "Quý I: 0/26 cơ quan, đơn vị đã gửi báo cáo" in text
    assert "chưa có số liệu được duyệt" in text
    assert "0/6 mục tiêu cụ thể đạt chỉ tiêu đề ra; 6 mục tiêu chưa có số liệu" in text


def test_the_signer_is_the_configured_name_or_a_dotted_line(program, settings):
    settings.PORTAL_REPORT_SIGNER_NAME = ""
    text = squash(pdf_text(render("quarterly")))
    assert "PHÓ GIÁM ĐỐC" in text and "…………" in text
    settings.PORTAL_REPORT_SIGNER_NAME = "Trần Thị Mai"
    assert "Trần Thị Mai" in squash(pdf_text(render("quarterly")))
