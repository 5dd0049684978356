"""Fast rendering of the quarterly form's many inputs: a district's form has some 400 fields, and
rendering each through an {% include %} made the page slow to serve. Same markup as the templates had."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.formatting import fmt_int

register = template.Library()

# Constant markup: literals with nothing to escape.
_DISABLED = SafeString(" disabled")
_SELECTED = SafeString(" selected")
_CLOSE_DIV = SafeString("</div>")


def _value(bf) -> str:
    value = bf.value()
    return "" if value is None else str(value)


def _errors(bf) -> str:
    return " ".join(str(e) for e in bf.errors)


@register.simple_tag
def number_field(bf, col="col-6 col-md-3", hide_label=False):
    """A labelled numeric input with its help text, error and >50% warning (the label read by screen
    readers only with `hide_label`, in a table whose row and column say what the cell is)."""
    errors = bf.errors
    warning = getattr(bf, "warning", None)
    state = " is-invalid" if errors else (" is-warning" if warning else "")
    field_id = bf.id_for_label
    parts = [
        format_html('<div class="{} d-flex flex-column">', f"{col} " if col else ""),
        format_html(
            '<label class="{}" for="{}">{}</label>',
            "visually-hidden" if hide_label else "form-label small mb-0",
            field_id,
            bf.label,
        ),  # fmt: skip
    ]
    if bf.help_text:
        parts.append(format_html('<div class="form-text mt-0 mb-1">{}</div>', bf.help_text))
    parts.append(
        format_html(
            '<input type="text" name="{}" id="{}" value="{}" inputmode="numeric" autocomplete="off" '
            'class="form-control text-end mt-auto{}"{}{}>',
            bf.html_name,
            field_id,
            _value(bf),
            state,
            _DISABLED if bf.field.disabled else "",
            format_html(' aria-invalid="true" aria-describedby="{}-err"', field_id) if errors else "",
        )
    )
    if errors:
        parts.append(format_html('<div class="invalid-feedback d-block" id="{}-err">{}</div>', field_id, _errors(bf)))
    if warning:
        parts.append(
            format_html('<div class="warning-feedback small" data-warning="{}">⚠ {}</div>', bf.html_name, warning)
        )
    previous = getattr(bf, "previous", None)
    if previous is not None:
        parts.append(format_html('<div class="form-text mt-0" data-previous="{}">{} {}</div>', bf.html_name,
                                 _("Quý trước:"), fmt_int(previous)))  # fmt: skip
    parts.append(_CLOSE_DIV)
    return format_html("{}" * len(parts), *parts)  # each part is escaped by format_html


@register.simple_tag
def text_area(bf, rows=2):
    """A labelled textarea with its error."""
    errors = bf.errors
    html = format_html(
        '<label class="form-label small mb-0" for="{}">{}</label>'
        '<textarea name="{}" id="{}" rows="{}" class="form-control{}"{}>{}</textarea>',
        bf.id_for_label, bf.label, bf.html_name, bf.id_for_label, rows, " is-invalid" if errors else "",
        _DISABLED if bf.field.disabled else "", _value(bf),
    )  # fmt: skip
    if errors:
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _errors(bf))
    return html


@register.simple_tag
def status_select(bf):
    """The activity status select."""
    current = _value(bf)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, _SELECTED if str(value) == current else "", label) for value, label in bf.field.choices),
    )
    html = format_html(
        '<label class="form-label small mb-0" for="{}">{}</label>'
        '<select name="{}" id="{}" class="form-select{}"{}>{}</select>',
        bf.id_for_label, bf.label, bf.html_name, bf.id_for_label, " is-invalid" if bf.errors else "",
        _DISABLED if bf.field.disabled else "", options,
    )  # fmt: skip
    if bf.errors:
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _errors(bf))
    return html
