"""A submission's values as the API reads and writes them: sections of items named by the program's codes
(indicator, commune, activity and output codes), each item's values under plain names, and the report's
own values (budget, texts) beside them.

This module only translates between that shape and the quarterly form's data, whose field names are
reporting.fields': what is sent is checked by the form itself (reporting.forms.SubmissionForm), saved by
reporting.services.submission_save, and read back with reporting.fields.initial_from. No rule of a value
lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from programs import structure
from reporting.fields import ACT_TEXTS, act_field, commune_field, ind_field, out_field
from reporting.forms import SubmissionForm
from reporting.selectors import FormSpec

SECTIONS = ("indicators", "communes", "activities", "outputs")
VERSION = "version"  # the form's hidden field: the version the editor read


@dataclass(frozen=True)
class Item:
    """One row of a section: its code, its values (name in the API → the form's field), and what
    describes it (read-only: a name, a role)."""

    code: str
    fields: dict[str, str]
    about: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """What an agency reports for a quarter, as the API names it."""

    sections: dict[str, list[Item]]
    head: dict[str, str]  # the report's own values: name in the API → the form's field

    def paths(self) -> dict[str, str]:
        """Each form field's place in the API's shape, for error messages: activities[I.1.6].money_spent."""
        out = {f: name for name, f in self.head.items()}
        for section, items in self.sections.items():
            for item in items:
                out.update({f: f"{section}[{item.code}].{name}" for name, f in item.fields.items()})
        return out


def shape_of(spec: FormSpec) -> Shape:
    """The shape of an agency's quarterly report (cached with the program's structure, as the form is)."""
    return structure.cached(f"api-shape:{spec.agency.pk}:{spec.quarter.pk}", lambda: _shape(spec))


def _shape(spec: FormSpec) -> Shape:
    numbers = {"status": "status", "children_boys": "boys", "children_girls": "girls", "money_spent": "money"}
    sections = {
        "indicators": [
            Item(i.code, {"numerator": ind_field(i.pk, "num"), "denominator": ind_field(i.pk, "den")}, {"name": i.name})
            for i in spec.indicators
        ],
        "communes": [
            Item(c.code, {flag: commune_field(c.pk, flag) for flag in spec.flags}, {"name": c.name})
            for c in spec.communes
        ],
        "activities": [
            Item(
                a.activity.code,
                {
                    **{name: act_field(a.activity.pk, part) for name, part in numbers.items()},
                    **{t: act_field(a.activity.pk, t) for t in ACT_TEXTS},
                },
                {"role": a.role},
            )  # fmt: skip
            for a in spec.activities
        ],
        "outputs": [
            Item(o.code, {"quantity": out_field(o.pk)}, {"activity": a.activity.code, "label": o.label, "unit": o.unit})
            for a in spec.activities
            for o in a.outputs
        ],
    }
    in_sections = {f for items in sections.values() for item in items for f in item.fields.values()}
    # The report's own values are the form's other fields, under the form's names.
    head = {name: name for name in SubmissionForm(spec=spec).fields if name not in in_sections and name != VERSION}
    return Shape(sections=sections, head=head)


def values_out(shape: Shape, data: dict) -> dict:
    """The API's shape of the form's data (reporting.fields.initial_from)."""
    out: dict = {
        section: [{"code": i.code, **i.about, **{n: data.get(f) for n, f in i.fields.items()}} for i in items]
        for section, items in shape.sections.items()
    }
    out.update({name: data.get(f) for name, f in shape.head.items()})
    return out


def form_data(shape: Shape, payload: dict, *, base: dict) -> tuple[dict, list[dict]]:
    """The form's data for `payload` (the API's shape) laid over `base` (the stored values for PATCH,
    nothing for PUT), and an error for each code or name the agency's report does not have."""
    data, errors = dict(base), []
    for section, entries in payload.items():
        if section not in shape.sections:
            continue
        items = {i.code: i for i in shape.sections[section]}
        seen: set[str] = set()
        for entry in entries:
            code = entry["code"]
            where = f"{section}[{code}]"
            item = items.get(code)
            if item is None:
                errors.append(_error(where, _("Báo cáo của cơ quan này không có mã “%(c)s”.") % {"c": code}, "code"))
                continue
            if code in seen:
                errors.append(_error(where, _("Mã “%(c)s” được gửi hai lần.") % {"c": code}, "duplicate"))
                continue
            seen.add(code)
            for name, value in entry.items():
                if name in item.fields:
                    data[item.fields[name]] = value
                elif name != "code" and name not in item.about:
                    errors.append(_error(f"{where}.{name}", _("Mục này không báo cáo “%(n)s”.") % {"n": name}, "name"))
    for name, value in payload.items():
        if name in SECTIONS:
            continue
        if name in shape.head:
            data[shape.head[name]] = value
        else:
            errors.append(_error(name, _("Báo cáo của cơ quan này không có “%(n)s”.") % {"n": name}, "name"))
    return data, errors


def form_errors(shape: Shape, form: SubmissionForm) -> list[dict]:
    """The form's messages, each at its place in the API's shape."""
    paths = shape.paths()
    return [
        _error(paths.get(name, "" if name == "__all__" else name), e["message"], e["code"] or "invalid")
        for name, errors in form.errors.get_json_data().items()
        for e in errors
    ]


def _error(where: str, message: str, code: str) -> dict:
    return {"field": where, "message": message, "code": code}
