"""The day field (core.forms.DayField): shows and reads dd/mm/yyyy in every language of the interface, reads
ISO days (addresses of filters), and refuses anything else with a Vietnamese message."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from core.forms import DayField


class _Form(forms.Form):
    day = DayField(required=False)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("typed", "day"),
    [("10/05/2018", dt.date(2018, 5, 10)), ("1/5/2018", dt.date(2018, 5, 1)), ("2018-05-10", dt.date(2018, 5, 10))],
)
def test_reads_day_first_in_every_language(language, typed, day):
    with translation.override(language):
        form = _Form({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == day


@pytest.mark.parametrize("language", ["vi", "en"])
def test_shows_day_first_in_a_text_input(language):
    with translation.override(language):
        html = str(_Form(initial={"day": dt.date(2018, 5, 10)})["day"])
    assert 'type="text"' in html
    assert 'value="10/05/2018"' in html
    assert "data-day-input" in html
    assert 'pattern="\\d{1,2}/\\d{1,2}/\\d{4}"' in html


@pytest.mark.parametrize("typed", ["31/02/2018", "05-10-2018x", "2018/05/10", "hôm nay", "13/13/2018"])
def test_refuses_other_input_with_a_vietnamese_message(typed):
    with translation.override("vi"):
        form = _Form({"day": typed})
        assert not form.is_valid()
        assert form.errors["day"] == ["Ngày không hợp lệ: hãy viết theo dạng ngày/tháng/năm, ví dụ 20/03/2018."]


def test_no_form_uses_the_browsers_own_date_input():
    """The browser's <input type="date"> shows mm/dd/yyyy under an English browser: every date field is a
    DayField (the day field's calendar button alone uses one, hidden, in static/js/day-input.js)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html")
        for path in root.glob(pattern)
        if ".venv" not in path.parts
        and not path.parts[len(root.parts)].startswith("tests")
        and any(s in path.read_text(encoding="utf-8") for s in ('"type": "date"', 'input_type = "date"', 'type="date"'))
    ]
    assert offenders == []
