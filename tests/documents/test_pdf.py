"""The printed provincial reports: each of the three, rendered from fixture submissions and read
back, shows the administrative header, the decision, every target with its achieved value, the
district table, and follows the page format (A4, Tinos only, page numbers from page 2). What the
report says is tested in test_wording.py."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from documents.wording import doc_date
from targets.models import Indicator

from .helpers import EXPECTED, ISSUED, MET, SUBJECTS, TICKED, VALUES, pdf_text, render, seed, squash

pytestmark = pytest.mark.django_db


def top_text(page) -> str:
    """The text drawn highest on a page."""
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return max(found)[1]


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
