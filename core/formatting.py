"""Number, money, percentage and date formatting: one place for pages, PDFs, e-mails and workbooks.

Vietnamese conventions by default: 1.368 ; 150.000.000 đ ; 95,5%. Under the English interface the
separators follow English (1,368 ; 95.5%). Dates are day first in every language: 20/03/2018, and a
moment date first: 02/05/2018 13:46 (templates: the |vdate and |vdatetime filters of core's `portal`
tags; config/formats writes Django's own date formats the same way).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone


def _num(value, decimals: int) -> str:
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def fmt_int(value) -> str:
    if value is None or value == "":
        return "–"
    return _num(int(value), 0)


def fmt_vnd(value) -> str:
    if value is None or value == "":
        return "–"
    return f"{_num(int(value), 0)} đ"


def fmt_number(value, decimals: int = 1) -> str:
    """A number with decimals, rounded half up: 12,0 (an average per commune)."""
    if value is None:
        return "–"
    return _num(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), decimals)


def fmt_pct(value, decimals: int = 1) -> str:
    """A percentage, with trailing zeros dropped: 100%, 95,5%."""
    if value is None:
        return "–"
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == q.to_integral_value():
        return f"{_num(int(q), 0)}%"
    text = _num(q, decimals)
    return f"{text}%"


def fmt_quantity(value, unit: str, *, money: bool) -> str:
    """A quantity with its unit, "800 trẻ em"; money (an output target's `is_money`) as "150.000.000 đ"."""
    if money:
        return fmt_vnd(value)
    return f"{fmt_int(value)} {unit}"


# ------------------------------------------------------------------------------------------------
# Dates: day first, as Vietnamese documents write them, in every language of the interface
# ------------------------------------------------------------------------------------------------
DATE_PATTERN = "%d/%m/%Y"


def fmt_date(day) -> str:
    """20/03/2018; "–" for no date. A moment is first taken to the portal's time zone."""
    if day is None or day == "":
        return "–"
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return day.strftime(DATE_PATTERN)


def fmt_datetime(at) -> str:
    """A moment in the portal's time zone, date first: 02/05/2018 13:46; "–" for none."""
    if at is None or at == "":
        return "–"
    return timezone.localtime(at).strftime(f"{DATE_PATTERN} %H:%M")
