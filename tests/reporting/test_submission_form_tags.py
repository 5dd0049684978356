# ruff: noqa: E501  (the earlier template, as it was)
"""The quarterly form's tags (reporting/templatetags/submission_form.py) keep the markup that does not
depend on a field's value once per field, and an activity's block once as a skeleton (issue 17): the
page they make is, byte for byte, the one the earlier tags and template made, whatever the values, errors,
warnings, previous quarter's numbers, language and read-only state. The earlier tags are kept here as the
reference."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.formatting import fmt_int
from reporting.fields import act_field, commune_field, ind_field
from reporting.forms import Layout, SubmissionForm
from reporting.templatetags.submission_form import (
    activity_block,
    commune_flags,
    number_field,
    status_select,
    text_area,
)
from tests.reporting.helpers import fill_indicators, post_data, spec_for

pytestmark = pytest.mark.django_db
DISTRICT = "ubnd-cho-moi"
_DISABLED = SafeString(" disabled")
_SELECTED = SafeString(" selected")
_CLOSE_DIV = SafeString("</div>")

# The activity's block as the template had it before the skeleton (templates/reporting/_activity_block.html).
REFERENCE_BLOCK = Template(
    "{% load i18n portal submission_form %}{% for row in rows %}"
    """
    <details class="activity-block mb-2 border rounded"{% if row.status.errors or row.numbers.0.errors or row.numbers.1.errors or row.numbers.2.errors %} open{% endif %} data-activity="{{ row.item.activity.code }}">
      <summary class="p-2">
        <span class="badge {% if row.item.role == 'lead' %}text-bg-primary{% else %}text-bg-light border{% endif %}">{% if row.item.role == 'lead' %}{% translate "Chủ trì" %}{% else %}{% translate "Phối hợp" %}{% endif %}</span>
        <span class="small text-muted">{{ row.item.activity.code }}</span>
        <span class="activity-title activity-text">{% tr row.item.activity "text" %}</span>
        {% if row.status.value %}<span class="badge text-bg-success ms-1">✓ {% translate "đã cập nhật" %}</span>{% endif %}
      </summary>
      <div class="p-2 pt-0">
        <div class="row g-2">
          <div class="col-12 col-md-3">
            {% status_select row.status %}
          </div>
          {% for bf in row.numbers %}{% number_field bf "col-6 col-md-3" %}{% endfor %}
        </div>
        {% if row.outputs %}
        <div class="row g-2 mt-1">
          {% for o in row.outputs %}
            <div class="col-12 col-md-6 output-field" data-output="{{ o.output.code }}">
              {% number_field o.field "" %}
              <div class="form-text">{% translate "Kế hoạch năm" %}: {{ o.output.quantity|qty:o.output }} · {{ o.output.aggregation_label }}</div>
            </div>
          {% endfor %}
        </div>
        {% endif %}
        <div class="row g-2 mt-1">
          {% for bf in row.texts %}
          <div class="col-12 col-md-4">
            {% text_area bf %}
          </div>
          {% endfor %}
        </div>
      </div>
    </details>
    {% endfor %}"""
)


def _reference_value(bf) -> str:
    value = bf.value()
    return "" if value is None else str(value)


def _reference_errors(bf) -> str:
    return " ".join(str(e) for e in bf.errors)


def reference_number_field(bf, col="col-6 col-md-3", hide_label=False):
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
            _reference_value(bf),
            state,
            _DISABLED if bf.field.disabled else "",
            format_html(' aria-invalid="true" aria-describedby="{}-err"', field_id) if errors else "",
        )
    )
    if errors:
        parts.append(
            format_html('<div class="invalid-feedback d-block" id="{}-err">{}</div>', field_id, _reference_errors(bf))
        )
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


def reference_text_area(bf, rows=2):
    """A labelled textarea with its error."""
    errors = bf.errors
    html = format_html(
        '<label class="form-label small mb-0" for="{}">{}</label>'
        '<textarea name="{}" id="{}" rows="{}" class="form-control{}"{}>{}</textarea>',
        bf.id_for_label, bf.label, bf.html_name, bf.id_for_label, rows, " is-invalid" if errors else "",
        _DISABLED if bf.field.disabled else "", _reference_value(bf),
    )  # fmt: skip
    if errors:
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _reference_errors(bf))
    return html


def reference_status_select(bf):
    """The activity status select."""
    current = _reference_value(bf)
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
        html += format_html('<div class="invalid-feedback d-block">{}</div>', _reference_errors(bf))
    return html


REFERENCE_FLAGS = Template(
    '{% for bf in row.flags %}<td class="text-center"><input type="checkbox" class="form-check-input" name="{{ bf.html_name }}" id="{{ bf.id_for_label }}" aria-label="{{ row.commune.name }}: {{ forloop.counter }}"{% if bf.value %} checked{% endif %}{% if bf.field.disabled %} disabled{% endif %}></td>{% endfor %}'
)


def layouts(spec):
    """The district's form: blank; posted with values, errors and a >50% warning; read only with the
    previous quarter's numbers."""
    item = next(i for i in spec.activities if i.outputs)
    a = item.activity.pk
    values = {
        **fill_indicators(DISTRICT, num=7, den=9),
        ind_field(spec.indicators[0].pk, "num"): "-3", act_field(a, "status"): "done", act_field(a, "boys"): "mười",
        act_field(a, "account"): 'Đã tổ chức <b>"hội thảo"</b> & tập huấn',
    }  # fmt: skip
    values[commune_field(spec.communes[1].pk, spec.flags[0])] = "on"
    posted = post_data(DISTRICT, **values)
    bound = SubmissionForm(posted, spec=spec)
    bound.is_valid()
    warned = {ind_field(spec.indicators[1].pk, "num"): "tăng hơn 50%"}
    readonly = SubmissionForm(
        spec=spec,
        initial={
            act_field(a, "status"): "done",
            act_field(a, "girls"): 12,
            commune_field(spec.communes[0].pk, spec.flags[1]): True,
        },
    )
    readonly.make_readonly()
    previous = {ind_field(spec.indicators[0].pk, "num"): 1234, act_field(a, "girls"): 5}
    return [Layout(SubmissionForm(spec=spec)), Layout(bound, warned), Layout(readonly, previous=previous)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_tags_make_the_markup_the_earlier_tags_made(program, clock, language):
    spec = spec_for(DISTRICT)
    ticked = []
    with translation.override(language):
        for layout in layouts(spec):
            numbers = [r[k] for r in layout.indicators for k in ("num", "den")]
            numbers += [bf for r in layout.activities for bf in r["numbers"]]
            numbers += [o["field"] for r in layout.activities for o in r["outputs"]]
            for bf in numbers:
                for args in (("col-6 col-md-3",), ("",), ("", True)):
                    assert number_field(bf, *args) == reference_number_field(bf, *args)
            for row in layout.activities:
                assert status_select(row["status"]) == reference_status_select(row["status"])
                for bf in row["texts"]:
                    assert text_area(bf) == reference_text_area(bf)
                    assert text_area(bf, 3) == reference_text_area(bf, 3)
            assert layout.form.errors or not layout.form.is_bound
            for row in layout.communes:
                assert commune_flags(row) == REFERENCE_FLAGS.render(Context({"row": row}))
            ticked.append(sum(commune_flags(row).count(" checked") for row in layout.communes))
    assert ticked == [0, 1, 1]  # blank, posted, read only: one commune ticked in each of the last two


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_activitys_block_is_the_block_the_template_made(program, clock, language):
    """Filled from its skeleton (the first layout renders it), each state of each activity: open with an
    error, "updated" with a status, read only."""
    spec = spec_for(DISTRICT)
    with translation.override(language):
        pages = []
        for layout in layouts(spec):
            rows = layout.activities
            mine = "".join(activity_block(row) for row in rows)
            assert mine == REFERENCE_BLOCK.render(Context({"rows": rows}))
            pages.append(mine)
    blank, posted, readonly = pages
    assert " open data-activity" not in blank and posted.count(" open data-activity") == 1
    assert "✓" not in blank and posted.count("✓") == 1 and readonly.count("✓") == 1
    assert " disabled" in readonly and " disabled" not in posted
