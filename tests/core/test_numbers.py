"""The portal's one number parser (core.numbers): ASCII digits grouped as the portal writes them, in the
interface's language; everything else refused with a Vietnamese message, and never another exception."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.formatting import fmt_int
from core.numbers import MAX_LENGTH, WholeNumberField, parse_whole, query_number


@pytest.mark.parametrize(
    ("lang", "text", "number"),
    [
        ("vi", "0", 0), ("vi", "1234567", 1234567), ("vi", "1.234.567", 1234567), ("vi", "150.000.000", 150000000),
        ("vi", "1 234 567", 1234567), ("vi", "1\u00a0234", 1234), ("vi", " 42 ", 42), ("en", "1,234,567", 1234567),
        ("en", "150,000,000", 150000000), ("en", "1.234.567", 1234567), ("en", "12 345", 12345),
    ],
)  # fmt: skip
def test_ascii_digits_grouped_as_the_portal_writes_them(lang, text, number):
    with translation.override(lang):
        assert parse_whole(text) == number


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("vi", "²", "not_digits"), ("vi", "1²", "not_digits"), ("vi", "①", "not_digits"),
        ("vi", "٣", "not_digits"), ("vi", "１２", "not_digits"), ("vi", "۱۲۳", "not_digits"),
        ("vi", "-5", "negative"), ("vi", "−5", "negative"), ("vi", "+5", "invalid"), ("vi", "1,5", "fraction"),
        ("vi", "1,234", "fraction"), ("vi", "1.5", "fraction"), ("vi", "12.34.567", "invalid"),
        ("vi", "1.234 567", "invalid"), ("vi", "abc", "invalid"), ("vi", "", "invalid"), ("vi", "1.5", "fraction"),
        ("vi", "5" * 5000, "too_long"), ("vi", "1" * (MAX_LENGTH + 1), "too_long"), ("en", "1,234.5", "invalid"),
        ("en", "1.5", "fraction"), ("vi", "\x00", "invalid"),
    ],
)  # fmt: skip
def test_everything_else_is_refused_with_a_vietnamese_message(lang, text, code):
    with translation.override(lang), pytest.raises(ValidationError) as caught:
        parse_whole(text)
    assert caught.value.code == code
    with translation.override("vi"):
        assert caught.value.messages[0] and "Enter" not in caught.value.messages[0]


def test_bounds_and_money():
    with pytest.raises(ValidationError) as caught:
        parse_whole("1.000.001", max_value=1_000_000)
    assert caught.value.code == "too_large" and "1.000.000" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        parse_whole("1,5", money=True)
    assert caught.value.code == "money_fraction"


def test_query_numbers_take_bare_digits_only():
    assert query_number({"quarter": "2"}, "quarter") == 2
    for raw in ("²", "1.000", "-1", "9" * 5000, "x", ""):
        assert query_number({"quarter": raw}, "quarter") is None
    assert query_number({}, "quarter") is None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=60), lang=st.sampled_from(["vi", "en"]), money=st.booleans())
def test_no_input_raises_anything_but_a_validation_error(text, lang, money):
    """Arbitrary unicode: a whole number in range, or ValidationError; nothing else, ever."""
    with translation.override(lang):
        try:
            number = parse_whole(text, max_value=10**12, money=money)
        except ValidationError as exc:
            assert exc.messages
        else:
            assert isinstance(number, int) and 0 <= number <= 10**12
        field = WholeNumberField(max_value=10**12, money=money)
        with contextlib.suppress(ValidationError):
            field.clean(text)


@settings(max_examples=300, deadline=None)
@given(number=st.integers(min_value=0, max_value=10**12), lang=st.sampled_from(["vi", "en"]))
def test_what_the_portal_writes_it_reads_back(number, lang):
    """fmt_int's output, in either language, parses back to the same number (the form shows money grouped)."""
    with translation.override(lang):
        assert parse_whole(fmt_int(number)) == number
        field = WholeNumberField(max_value=10**12, money=True)
        assert field.clean(field.prepare_value(number)) == number
