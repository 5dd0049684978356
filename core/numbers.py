"""The portal's one number parser: every whole number a user types (the quarterly form, the incident form,
the workbook's cells through the form) or puts in an address (?quarter=2) is read here, and nowhere else.

Accepted: ASCII digits 0-9, grouped by thousands as the portal writes them (core.formatting.fmt_int):
"1.234.567" in Vietnamese, and "1,234,567" too when the interface is English; a space or a no-break
space groups in both. A grouped number groups every three digits and uses one separator.
Refused, each with a clear Vietnamese message (ValidationError with a code) and never another exception:
other digits that Python's isdigit() and int() take (², ①, Arabic-Indic, fullwidth), signs, decimals,
text, and anything longer than MAX_LENGTH characters (int() of a 5,000-digit string raises).

(Issue 14 adds thousands separators as the user types: the parser stays the one rule.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .formatting import fmt_int

MAX_LENGTH = 40  # far beyond 1.000.000.000.000 (the largest money a form takes) written with separators
SPACES = (" ", "\u00a0", "\u202f")  # space, no-break space, narrow no-break space
DIGITS = frozenset("0123456789")

MESSAGES = {
    "too_long": _("Số quá dài: vui lòng kiểm tra lại."),
    "not_digits": _("Chỉ dùng các chữ số 0–9 (không dùng chữ số đặc biệt, số mũ hay số trong vòng tròn)."),
    "negative": _("Không được nhập số âm."),
    "fraction": _("Vui lòng nhập số nguyên (không có phần thập phân)."),
    "money_fraction": _("Số tiền phải là số nguyên đồng, không có phần lẻ."),
    "invalid": _("Vui lòng nhập một số nguyên không âm."),
    "too_large": _("Số quá lớn: tối đa %(max)s."),
}


def group_separators(language: str | None = None) -> tuple[str, ...]:
    """The thousands separators a user may type in the interface's language."""
    english = (language or get_language() or "vi").startswith("en")
    return (".", ",", *SPACES) if english else (".", *SPACES)


def _error(code: str, messages: Mapping | None = None, **params) -> ValidationError:
    message = (messages or {}).get(code) or MESSAGES[code]
    return ValidationError(message, code=code, params=params or None)


def _ungroup(text: str, separators: tuple[str, ...]) -> str | None:
    """The digits of a number grouped by thousands with one of `separators`, or None if it is not one."""
    used = {ch for ch in text if ch not in DIGITS}
    if not used:
        return text
    if len(used) != 1 or next(iter(used)) not in separators:
        return None
    parts = text.split(next(iter(used)))
    if not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    return "".join(parts)


_FRACTION = re.compile(r"^[0-9]+[.,][0-9]+$")


def parse_whole(
    text: str,
    *,
    max_value: int | None = None,
    money: bool = False,
    grouping: bool = True,
    language: str | None = None,
    messages: Mapping | None = None,
) -> int:
    """A whole, non-negative number from what a user typed, or ValidationError (nothing else).
    `grouping` False (addresses) takes bare digits only; `messages` replaces a message by its code."""
    if not isinstance(text, str):
        raise _error("invalid", messages)
    if len(text) > MAX_LENGTH:
        raise _error("too_long", messages)
    text = text.strip().strip("".join(SPACES))
    if not text:
        raise _error("invalid", messages)
    if any(ch.isdigit() and ch not in DIGITS for ch in text):
        raise _error("not_digits", messages)
    if text[0] in "-−" and len(text) > 1 and text[1:].strip()[:1] in DIGITS:
        raise _error("negative", messages)
    digits = _ungroup(text, group_separators(language) if grouping else ())
    if digits is None:
        if _FRACTION.match(text):
            raise _error("money_fraction" if money else "fraction", messages)
        raise _error("invalid", messages)
    number = int(digits)
    if max_value is not None and number > max_value:
        raise _error("too_large", messages, max=fmt_int(max_value), limit_value=fmt_int(max_value))
    return number


def query_number(params: Mapping, name: str) -> int | None:
    """A number from a query string (?quarter=2): bare ASCII digits, or None when missing or not one."""
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_whole(str(raw), grouping=False)
    except ValidationError:
        return None


class WholeNumberField(forms.CharField):
    """A whole, non-negative number typed in a form, read by parse_whole: Vietnamese thousands separators
    (150.000.000), English ones under the English interface, spaces; refuses digits of other scripts, signs,
    decimals and text with a message in Vietnamese. Money fields show their value grouped."""

    def __init__(self, *, max_value: int, money: bool = False, **kwargs):
        self.max_value, self.money = max_value, money
        kwargs.setdefault("required", False)
        super().__init__(strip=True, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.setdefault("inputmode", "numeric")
        attrs.setdefault("autocomplete", "off")
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int):
            return fmt_int(value) if self.money else str(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_whole(value, max_value=self.max_value, money=self.money, messages=self.error_messages)
