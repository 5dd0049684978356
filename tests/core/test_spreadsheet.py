"""core.spreadsheet's CSV, byte by byte: what Excel opens in columns under Vietnamese regional settings (list
separator ";", decimal mark ","), in UTF-8 with a byte-order mark."""

from __future__ import annotations

from decimal import Decimal

from core.spreadsheet import csv_bytes


def test_csv_is_utf8_with_a_bom_semicolons_and_decimal_commas():
    data = csv_bytes(
        ["Chỉ tiêu", "Tỷ lệ (%)"],
        [["Trẻ em; có hoàn cảnh đặc biệt", 7.7], ["Xã, phường", 156], ["Kinh phí", Decimal("150000000.50")]],
    )
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark, then the header row
    assert data == (
        "\ufeffChỉ tiêu;Tỷ lệ (%)\r\n"
        '"Trẻ em; có hoàn cảnh đặc biệt";7,7\r\n'  # a ";" inside a cell is quoted
        "Xã, phường;156\r\n"  # a "," inside a cell needs nothing
        "Kinh phí;150000000,50\r\n"
    ).encode("utf-8")
    assert "Chỉ tiêu".encode() in data  # UTF-8, not a Windows code page


def test_csv_keeps_formula_like_text_as_text():
    data = csv_bytes(["a"], [["=1+1"], ["-5 trẻ"], [-5]])
    assert data == "\ufeffa\r\n'=1+1\r\n'-5 trẻ\r\n-5\r\n".encode()
