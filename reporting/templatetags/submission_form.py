"""Fast rendering of the quarterly form's many inputs: a district's form has some 400 fields, and
rendering each through an {% include %} made the page slow to serve. Same markup as the templates had."""

import functools
from html import escape

from django import template
from django.forms.utils import pretty_name
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import fmt_int

register = template.Library()

# Constant markup: literals with nothing to escape.
_DISABLED = SafeString(" disabled")
_SELECTED = SafeString(" selected")
_CHECKED = SafeString(" checked")
_CLOSE_DIV = SafeString("</div>")


def _value(bf) -> str:
    value = bf.value()
    return "" if value is None else str(value)


def _errors(bf) -> str:
    return " ".join(str(e) for e in bf.errors)


def _error_list(bf):
    """The field's errors, or None: read from the form's errors without the empty list that
    `bf.errors` makes for each of the hundreds of fields without one."""
    return bf.form.errors.get(bf.name)


# Every SafeString below (marked `nosec B703` for bandit) joins markup made by format_html with values
# passed through escape(): nothing a user typed reaches the page unescaped.
# The parts of a field's markup that do not depend on its value, its errors or its warning: made once
# per field (the shared fields of a form's shape, reporting.lean_form), id, place on the page and
# language, and kept while the field lives (the cache holds at most a few forms' fields). A request
# only escapes the values into them. The markup is the same, byte for byte, as the format_html of each
# part made it (tests/reporting/test_submission_form_tags.py).
@functools.lru_cache(maxsize=8192)
def _number_head(field, name, html_name, field_id, col, hide_label, disabled, language) -> tuple[str, str]:
    label = pretty_name(name) if field.label is None else field.label
    head = format_html('<div class="{} d-flex flex-column">', f"{col} " if col else "") + format_html(
        '<label class="{}" for="{}">{}</label>', "visually-hidden" if hide_label else "form-label small mb-0",
        field_id, label,
    )  # fmt: skip
    if field.help_text:
        head += format_html('<div class="form-text mt-0 mb-1">{}</div>', field.help_text)
    head += format_html('<input type="text" name="{}" id="{}" value="', html_name, field_id)
    middle = '" inputmode="numeric" autocomplete="off" class="form-control text-end mt-auto'
    return str(head), middle


@functools.lru_cache(maxsize=256)
def _previous_head(html_name, language) -> str:
    return str(format_html('<div class="form-text mt-0" data-previous="{}">{} ', html_name, _("Quý trước:")))


@register.simple_tag
def number_field(bf, col="col-6 col-md-3", hide_label=False):
    """A labelled numeric input with its help text, error and >50% warning (the label read by screen
    readers only with `hide_label`, in a table whose row and column say what the cell is)."""
    errors = _error_list(bf)
    warning = getattr(bf, "warning", None)
    field, field_id = bf.field, bf.auto_id
    head, middle = _number_head(field, bf.name, bf.html_name, field_id, col, hide_label, field.disabled,
                                get_language())  # fmt: skip
    parts = [head, escape(_value(bf)), middle, " is-invalid" if errors else (" is-warning" if warning else ""), '"']
    if field.disabled:
        parts.append(_DISABLED)
    if errors:
        parts.append(format_html(' aria-invalid="true" aria-describedby="{}-err"', field_id))
    parts.append(">")
    if errors:
        parts.append(format_html('<div class="invalid-feedback d-block" id="{}-err">{}</div>', field_id, _errors(bf)))
    if warning:
        parts.append(
            format_html('<div class="warning-feedback small" data-warning="{}">⚠ {}</div>', bf.html_name, warning)
        )
    previous = getattr(bf, "previous", None)
    if previous is not None:
        parts += [_previous_head(bf.html_name, get_language()), escape(fmt_int(previous)), "</div>"]
    parts.append(_CLOSE_DIV)
    return SafeString("".join(parts))  # every value above escaped, the rest made by format_html  # nosec B703


@functools.lru_cache(maxsize=4096)
def _text_head(field, name, html_name, field_id, rows, disabled, language) -> tuple[str, str]:
    label = pretty_name(name) if field.label is None else field.label
    head = format_html(
        '<label class="form-label small mb-0" for="{}">{}</label><textarea name="{}" id="{}" rows="{}" '
        'class="form-control', field_id, label, html_name, field_id, rows,
    )  # fmt: skip
    return str(head), '"' + (_DISABLED if disabled else "") + ">"


@register.simple_tag
def text_area(bf, rows=2):
    """A labelled textarea with its error."""
    errors = _error_list(bf)
    field = bf.field
    head, middle = _text_head(field, bf.name, bf.html_name, bf.auto_id, rows, field.disabled, get_language())
    html = "".join((head, " is-invalid" if errors else "", middle, escape(_value(bf)), "</textarea>"))
    if errors:
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _errors(bf))
    return SafeString(html)  # nosec B703


@functools.lru_cache(maxsize=4096)
def _select_parts(field, name, html_name, field_id, disabled, language):
    label = pretty_name(name) if field.label is None else field.label
    head = format_html(
        '<label class="form-label small mb-0" for="{}">{}</label><select name="{}" id="{}" class="form-select',
        field_id, label, html_name, field_id,
    )  # fmt: skip
    head = str(head)
    middle = '"' + (_DISABLED if disabled else "") + ">"
    options = tuple(
        (str(value), str(format_html('<option value="{}"', value)), str(format_html(">{}</option>", label)))
        for value, label in field.choices
    )
    return head, middle, options


@register.simple_tag
def status_select(bf):
    """The activity status select."""
    current = _value(bf)
    errors = _error_list(bf)
    field = bf.field
    head, middle, options = _select_parts(field, bf.name, bf.html_name, bf.auto_id, field.disabled, get_language())
    parts = [head, " is-invalid" if errors else "", middle]
    for value, start, end in options:
        parts += [start, _SELECTED if value == current else "", end]
    parts.append("</select>")
    html = "".join(parts)
    if errors:
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _errors(bf))
    return SafeString(html)  # nosec B703


@functools.lru_cache(maxsize=8192)
def _flag_head(field, html_name, field_id, commune, number) -> str:
    return str(format_html('<td class="text-center"><input type="checkbox" class="form-check-input" name="{}" id="{}" '
                           'aria-label="{}: {}"', html_name, field_id, commune, number))  # fmt: skip


@register.simple_tag
def commune_flags(row):
    """A commune's ticks (targets 5 and 6), one cell each: the box labelled by the commune's name and the
    flag's number in the table's header."""
    parts = []
    for number, bf in enumerate(row["flags"], start=1):
        parts += [
            _flag_head(bf.field, bf.html_name, bf.auto_id, row["commune"].name, number),
            _CHECKED if bf.value() else "",
            _DISABLED if bf.field.disabled else "",
            "></td>",
        ]
    return SafeString("".join(parts))  # nosec B703


# ------------------------------------------------------------------------------------------------
# An activity's block: a skeleton per activity, form shape and language, its slots filled per request
# ------------------------------------------------------------------------------------------------
_SLOT = "\x00"  # marks a slot in a skeleton: never in a page (escaped text cannot hold it either)
_SKELETONS: dict[tuple, tuple[list[str], list[str], dict[str, str]]] = {}
MAX_SKELETONS = 4096


def _slot(name: str) -> SafeString:
    return SafeString(f"{_SLOT}{name}{_SLOT}")  # nosec B703


def _skeleton(html: str) -> tuple[list[str], list[str], dict[str, str]]:
    """A rendered skeleton cut at its slots: the text between them, the slots' names in order, and the
    text of each optional part (between `[name` and `]name`: shown or left out as a whole)."""
    pieces = html.split(_SLOT)
    texts, names, optional = [pieces[0]], [], {}
    i = 1
    while i < len(pieces):
        name = pieces[i]
        if name.startswith("["):
            name = name[1:]
            optional[name] = pieces[i + 1]
            i += 2  # the closing mark
        names.append(name)
        texts.append(pieces[i + 1])
        i += 2
    return texts, names, optional


@register.simple_tag
def activity_block(row):
    """One activity of the quarterly form (templates/reporting/_activity_block.html). Its markup but
    the fields' is the same on every request for the same activity, form shape and language: rendered
    once as a skeleton, whose slots each request fills with the fields' markup (the tags above) and
    its two states: open when a field of the first row has an error, "updated" when a status is set."""
    status = row["status"]
    key = (status.field, get_language())
    skeleton = _SKELETONS.get(key)
    if skeleton is None:
        slots = {
            "open_start": _slot("[open"), "open_end": _slot("]open"),
            "updated_start": _slot("[updated"), "updated_end": _slot("]updated"),
            "status": _slot("status"),
            "numbers": [_slot(f"n{i}") for i in range(len(row["numbers"]))],
            "outputs": [{"output": o["output"], "field": _slot(f"o{i}")} for i, o in enumerate(row["outputs"])],
            "texts": [_slot(f"t{i}") for i in range(len(row["texts"]))],
        }  # fmt: skip
        html = render_to_string("reporting/_activity_block.html", {"item": row["item"], "slot": slots})
        if len(_SKELETONS) >= MAX_SKELETONS:
            _SKELETONS.clear()
        skeleton = _SKELETONS[key] = _skeleton(html)
    texts, names, optional = skeleton
    values = {
        "open": any(_error_list(bf) for bf in (status, *row["numbers"])),
        "updated": bool(status.value()),
        "status": status_select(status),
        **{f"n{i}": number_field(bf, "col-6 col-md-3") for i, bf in enumerate(row["numbers"])},
        **{f"o{i}": number_field(o["field"], "") for i, o in enumerate(row["outputs"])},
        **{f"t{i}": text_area(bf) for i, bf in enumerate(row["texts"])},
    }
    parts = [texts[0]]
    for name, text in zip(names, texts[1:], strict=True):
        value = values[name]
        parts += [(optional[name] if value else "") if name in optional else value, text]
    return SafeString("".join(parts))  # nosec B703
