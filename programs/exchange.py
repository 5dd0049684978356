"""The program file as a format: its JSON Schema (data/program.schema.json), the check of a file against
it with the line and field of each fault, and the export of a program back to it (what
`manage.py export_program` writes), so that one province can hand its program to another.

A file is read twice: once as YAML nodes, which know their line, and once as data. The schema is
checked on the data; each fault's path is then walked down the nodes to find its line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from targets.models import Indicator, Target

from .models import AdminUnit, Agency, Duty, LegalBasis, Program, ProvincialReport, Quarter

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "program.schema.json"


@dataclass(frozen=True)
class FileFault:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _("dòng %(line)s") % {"line": self.line} if self.line else _("không rõ dòng")
        return _("%(where)s, trường “%(field)s”: %(message)s") % {
            "where": where,
            "field": self.field or "/",
            "message": self.message,
        }


class ProgramFileError(ValueError):
    """A program file that does not follow the schema: every fault, each with its line and field."""

    def __init__(self, faults: list[FileFault]):
        self.faults = faults
        super().__init__("\n".join(str(f) for f in faults))


@functools.cache
def program_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def program_parse(*, text: str) -> dict[str, Any]:
    """The data of a program file, checked against the schema; ProgramFileError lists every fault."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ProgramFileError([FileFault(line, "", _("Tệp không đúng cú pháp YAML: %(e)s") % {"e": exc})]) from exc
    validator = jsonschema.Draft202012Validator(program_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(_plain(data)), key=lambda e: list(e.absolute_path))
    faults = [_fault(root, error) for error in errors]
    if faults:
        raise ProgramFileError(sorted(faults, key=lambda f: (f.line or 0, f.field)))
    return data


def _plain(value: Any) -> Any:
    """YAML's dates as the ISO strings JSON Schema knows (format "date")."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _field(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_at(root: yaml.Node | None, path: list[Any]) -> yaml.Node | None:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
        if node is None:
            return None
    return node


def _fault(root: yaml.Node | None, error: jsonschema.ValidationError) -> FileFault:
    path = list(error.absolute_path)
    field = _field(path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        field = _field([*path, missing])
        message = _("thiếu trường bắt buộc")
    elif error.validator == "additionalProperties":
        message = _("trường không có trong định dạng: %(e)s") % {"e": error.message}
    elif error.validator == "type":
        message = _("sai kiểu dữ liệu, cần %(t)s") % {"t": error.validator_value}
    elif error.validator == "enum":
        message = _("giá trị không hợp lệ, chỉ nhận: %(v)s") % {"v": ", ".join(map(str, error.validator_value))}
    elif error.validator in ("minimum", "maximum", "exclusiveMinimum"):
        message = _("giá trị %(v)s nằm ngoài giới hạn cho phép") % {"v": error.instance}
    elif error.validator == "format":
        message = _("giá trị “%(v)s” không đúng định dạng %(f)s") % {"v": error.instance, "f": error.validator_value}
    else:
        message = error.message
    node = _node_at(root, path)
    return FileFault(node.start_mark.line + 1 if node is not None else None, field, message)


# ------------------------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------------------------
def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _unit_tree(unit: AdminUnit, children: dict[int | None, list[AdminUnit]]) -> dict[str, Any]:
    node: dict[str, Any] = {"code": unit.code, "name": unit.name}
    if unit.short_name:
        node["short_name"] = unit.short_name
    node["kind"] = unit.kind
    for name in ("valid_from", "valid_to"):
        if getattr(unit, name):
            node[name] = getattr(unit, name)
    if unit.note:
        node["note"] = unit.note
    kids = children.get(unit.pk, [])
    if kids:
        node["children"] = [_unit_tree(c, children) for c in kids]
    return node


def program_export(*, program: Program) -> dict[str, Any]:
    """The program as its data file holds it (what `program_load` reads back to the same program). Items
    DOLISA removed from the year (archived) are not part of it."""
    province = program.province
    units = AdminUnit.objects.order_by("order", "code")
    children: dict[int | None, list[AdminUnit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    roles = list(
        ActivityRole.objects.filter(activity__group__program=program, activity__archived=False).select_related("agency")
    )
    indicators = list(
        Indicator.objects.filter(target__program=program, target__archived=False).prefetch_related(
            "reporters", "data_holders"
        )
    )
    agencies = _export_agencies(program, roles, indicators)
    return {
        "version": 1,
        "program": _export_program(program),
        "calendar": _export_calendar(program),
        "units": _unit_tree(province, children),
        "agencies": agencies,
        "targets": _export_targets(program, indicators, [a["code"] for a in agencies if a["kind"] == "district"]),
        "activity_groups": _export_groups(program, roles),
    }


def _export_program(program: Program) -> dict[str, Any]:
    p: dict[str, Any] = {"year": program.year, "status": program.status, "title": program.title}
    if program.title_en:
        p["title_en"] = program.title_en
    p.update(
        decision_number=program.decision_number,
        decision_date=program.decision_date,
        issuing_body=program.issuing_body,
        signer_title=program.signer_title,
        signer_name=program.signer_name,
        proposal=program.proposal,
        general_objective=program.general_objective,
        legal_bases=[b.text for b in LegalBasis.objects.filter(program=program).order_by("order")],
        budget_floors={
            "district_per_year": program.district_budget_floor,
            "commune_per_year": program.commune_budget_floor,
            "text": program.budget_text,
            "provincial_text": program.provincial_budget_text,
        },
        general_duties=[d.text for d in Duty.objects.filter(program=program, agency__isnull=True).order_by("order")],
    )
    return p


def _export_calendar(program: Program) -> dict[str, Any]:
    quarters = [
        {"number": q.number, "start": q.start, "end": q.end, "entry_deadline": q.entry_deadline}
        for q in Quarter.objects.filter(program=program).order_by("number")
    ]
    reports = [
        {"kind": r.kind, "due_date": r.due_date, "quarters": sorted(q.number for q in r.quarters.all())}
        for r in ProvincialReport.objects.filter(program=program).prefetch_related("quarters").order_by("pk")
    ]
    return {"quarters": quarters, "reports": reports}


def _export_agencies(program: Program, roles: list[ActivityRole], indicators: list[Indicator]) -> list[dict[str, Any]]:
    duties: dict[int, list[Duty]] = {}
    for d in Duty.objects.filter(program=program, agency__isnull=False).order_by("order"):
        duties.setdefault(d.agency_id, []).append(d)
    ids = set(duties) | {r.agency_id for r in roles}
    for i in indicators:
        ids |= {a.pk for a in i.reporters.all()} | {a.pk for a in i.data_holders.all()}
    rows = []
    for a in Agency.objects.filter(pk__in=ids).select_related("unit").order_by("order", "code"):
        own = duties.get(a.pk, [])
        row: dict[str, Any] = {"code": a.code, "name": a.name, "short_name": a.short_name}
        if a.name_en:
            row["name_en"] = a.name_en
        row.update(kind=a.kind, section=own[0].section if own else "", unit=a.unit.code if a.is_district else None)
        if a.is_requested:
            row["requested"] = True
        row["duties"] = [d.text for d in own]
        rows.append(row)
    return rows


def _export_targets(program: Program, indicators: list[Indicator], districts: list[str]) -> list[dict[str, Any]]:
    by_target: dict[int, list[Indicator]] = {}
    for i in sorted(indicators, key=lambda i: (i.order, i.code)):
        by_target.setdefault(i.target_id, []).append(i)
    rows = []
    for t in Target.objects.filter(program=program).order_by("number"):
        row: dict[str, Any] = {"number": t.number, "text": t.text}
        if t.text_en:
            row["text_en"] = t.text_en
        row["goal"] = _number(t.goal)
        row["indicators"] = [_export_indicator(i, districts) for i in by_target.get(t.pk, [])]
        rows.append(row)
    return rows


def _export_indicator(i: Indicator, districts: list[str]) -> dict[str, Any]:
    reporters = sorted(a.code for a in i.reporters.all())
    row: dict[str, Any] = {"code": i.code, "name": i.name}
    fields = (("name_en", "name_en"), ("numerator", "numerator_label"), ("numerator_en", "numerator_label_en"),
              ("denominator", "denominator_label"), ("denominator_en", "denominator_label_en"))  # fmt: skip
    for name, field in fields:
        if getattr(i, field) or not name.endswith("_en"):
            row[name] = getattr(i, field)
    row.update(
        goal=_number(i.goal),
        input=i.input,
        flag=i.flag or None,
        reporters="districts" if reporters == sorted(districts) else reporters,
        data_holders=sorted(a.code for a in i.data_holders.all()),
    )
    return row


def _export_groups(program: Program, roles: list[ActivityRole]) -> list[dict[str, Any]]:
    by_activity: dict[int, list[ActivityRole]] = {}
    for r in sorted(roles, key=lambda r: (r.agency.order, r.agency.code)):
        by_activity.setdefault(r.activity_id, []).append(r)
    outputs = OutputTarget.objects.filter(activity__group__program=program).prefetch_related("units").order_by("order")
    by_outputs: dict[int, list[OutputTarget]] = {}
    for o in outputs:
        by_outputs.setdefault(o.activity_id, []).append(o)
    activities: dict[int, list[Activity]] = {}
    for a in Activity.objects.filter(group__program=program).order_by("order"):
        activities.setdefault(a.group_id, []).append(a)
    rows = []
    for g in ActivityGroup.objects.filter(program=program).order_by("order"):
        row: dict[str, Any] = {"code": g.code, "part": g.part, "number": g.number, "title": g.title,
                               "short_title": g.short_title}  # fmt: skip
        if g.short_title_en:
            row["short_title_en"] = g.short_title_en
        row["legal_basis"] = g.legal_basis
        own = activities.get(g.pk, [])
        row["activities"] = [_export_activity(a, by_activity.get(a.pk, []), by_outputs) for a in own]
        rows.append(row)
    return rows


def _export_activity(a: Activity, roles: list[ActivityRole], outputs: dict[int, list[OutputTarget]]) -> dict[str, Any]:
    row: dict[str, Any] = {"code": a.code, "text": a.text}
    if a.text_en:
        row["text_en"] = a.text_en
    row["lead"] = [r.agency.code for r in roles if r.role == ActivityRole.Role.LEAD]
    row["support"] = [r.agency.code for r in roles if r.role == ActivityRole.Role.SUPPORT]
    portal = [r.agency.code for r in roles if r.is_portal_reading]
    if portal:
        row["portal_reading"] = portal
    if a.note:
        row["note"] = a.note
    row["outputs"] = [_export_output(o) for o in outputs.get(a.pk, [])]
    return row


def _export_output(o: OutputTarget) -> dict[str, Any]:
    row: dict[str, Any] = {"code": o.code, "label": o.label}
    if o.label_en:
        row["label_en"] = o.label_en
    row.update(quantity=o.quantity, unit=o.unit)
    if o.unit_en:
        row["unit_en"] = o.unit_en
    row.update(aggregation=o.aggregation, units=sorted(u.code for u in o.units.all()))
    if o.note:
        row["note"] = o.note
    return row


def program_dump(*, data: dict[str, Any]) -> str:
    """The data as a program file (YAML, Unicode kept, keys in the file's order)."""
    header = "# A program file (programs/data/program.schema.json); load it with `manage.py load_program FILE`.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
