"""Writes to the program: loading it from its data file, and DOLISA's edits of the calendar.

Each write moves the structure version on (core.structureversion), so that the cached structure
(programs.structure) and the pages built from it show the change at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from core import structureversion
from targets.models import Indicator, Target

from .exchange import program_parse
from .models import AdminUnit, Agency, Duty, LegalBasis, Program, ProvincialReport, Quarter

_LEVEL_OF_KIND = {
    AdminUnit.Kind.TINH: AdminUnit.Level.PROVINCE,
    AdminUnit.Kind.THANH_PHO: AdminUnit.Level.DISTRICT,
    AdminUnit.Kind.THI_XA: AdminUnit.Level.DISTRICT,
    AdminUnit.Kind.HUYEN: AdminUnit.Level.DISTRICT,
    AdminUnit.Kind.PHUONG: AdminUnit.Level.COMMUNE,
    AdminUnit.Kind.XA: AdminUnit.Level.COMMUNE,
    AdminUnit.Kind.THI_TRAN: AdminUnit.Level.COMMUNE,
}


@dataclass
class LoadReport:
    """What a load changed, by model name. An empty report means the database already matched."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type[models.Model]) -> None:
        name = model._meta.model_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Loader:
    """Upserts rows, saving only those whose values differ, so that a second run writes nothing
    (and leaves no history record)."""

    def __init__(self) -> None:
        self.report = LoadReport()
        self._new: set[tuple[type, int]] = set()

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> models.Model:
        obj = model._base_manager.filter(**lookup).first()  # an archived row too: the file brings it back
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save()
            self.report.count(self.report.created, model)
            self._new.add((model, obj.pk))
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean(validate_unique=False, validate_constraints=False)
            obj.save(update_fields=changed)
            self.report.count(self.report.updated, model)
        return obj

    def create_missing(
        self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> tuple[models.Model, bool]:
        """The row, created with `values` when it is missing and left as it is otherwise (rows that a
        user owns once loaded). Returns (row, created)."""
        obj = model._base_manager.filter(**lookup).first()
        if obj is not None:
            return obj, False
        return self.upsert(model, lookup, values), True

    def set_m2m(self, obj: models.Model, attr: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, attr)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            if (type(obj), obj.pk) not in self._new:
                self.report.count(self.report.updated, type(obj))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def program_read_file(*, path: Path) -> dict[str, Any]:
    """A program file's data, checked against its schema (programs.exchange.ProgramFileError: every
    fault with its line and field)."""
    return program_parse(text=path.read_text(encoding="utf-8"))


@transaction.atomic
def program_load(*, data: dict[str, Any]) -> tuple[Program, LoadReport]:
    """Create or update a program and everything it contains from its data file's content.

    Idempotent: loading the same data twice changes nothing the second time. Rows that the file no
    longer mentions are left alone (they may carry reported figures); the report says what changed.
    """
    loader = _Loader()
    units = _load_units(loader, data["units"])
    province = units[str(data["units"]["code"])]

    p = data["program"]
    floors = p["budget_floors"]
    program = loader.upsert(
        Program,
        {"province": province, "year": int(p["year"])},
        {
            "title": p["title"],
            "title_en": p.get("title_en", ""),
            "decision_number": p["decision_number"],
            "decision_date": _date(p["decision_date"]),
            "issuing_body": p["issuing_body"],
            "signer_title": p["signer_title"],
            "signer_name": p["signer_name"],
            "proposal": p.get("proposal", "") or "",
            "general_objective": p["general_objective"],
            "district_budget_floor": int(floors["district_per_year"]),
            "commune_budget_floor": int(floors["commune_per_year"]),
            "budget_text": floors.get("text", "") or "",
            "provincial_budget_text": floors.get("provincial_text", "") or "",
            "status": p.get("status", Program.Status.PUBLISHED),
        },
    )
    for i, text in enumerate(p.get("legal_bases", []), start=1):
        loader.upsert(LegalBasis, {"program": program, "order": i}, {"text": text})
    for i, text in enumerate(p.get("general_duties", []), start=1):
        loader.upsert(Duty, {"program": program, "agency": None, "order": i}, {"section": "1", "text": text})

    agencies = _load_agencies(loader, program, data["agencies"], units)
    _load_calendar(loader, program, data["calendar"])
    _load_targets(loader, program, data["targets"], agencies)
    _load_activities(loader, program, data["activity_groups"], agencies, units)
    if loader.report.changed:
        structureversion.bump_on_commit()
    return program, loader.report


def _load_units(loader: _Loader, root: dict[str, Any]) -> dict[str, AdminUnit]:
    units: dict[str, AdminUnit] = {}

    def walk(node: dict[str, Any], parent: AdminUnit | None, order: int) -> None:
        kind = node["kind"]
        unit = loader.upsert(
            AdminUnit,
            {"code": str(node["code"])},
            {
                "name": node["name"],
                "short_name": node.get("short_name", ""),
                "kind": kind,
                "level": _LEVEL_OF_KIND[kind],
                "parent": parent,
                "valid_from": _date(node.get("valid_from")),
                "valid_to": _date(node.get("valid_to")),
                "note": node.get("note", "") or "",
                "order": order,
            },
        )
        units[unit.code] = unit
        for i, child in enumerate(node.get("children", []), start=1):
            walk(child, unit, i)

    walk(root, None, 0)
    return units


def _load_agencies(
    loader: _Loader, program: Program, rows: list[dict[str, Any]], units: dict[str, AdminUnit]
) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for i, row in enumerate(rows, start=1):
        unit = units[str(row["unit"])] if row.get("unit") else program.province
        agency = loader.upsert(
            Agency,
            {"code": row["code"]},
            {
                "name": row["name"],
                "short_name": row["short_name"],
                "name_en": row.get("name_en", ""),
                "kind": row["kind"],
                "unit": unit,
                "is_requested": bool(row.get("requested", False)),
                "order": i,
            },
        )
        agencies[agency.code] = agency
        for j, text in enumerate(row.get("duties", []), start=1):
            loader.upsert(
                Duty,
                {"program": program, "agency": agency, "order": j},
                {"section": row.get("section") or "", "text": text},
            )
    return agencies


def _load_calendar(loader: _Loader, program: Program, calendar: dict[str, Any]) -> None:
    """The quarters and the provincial reports, created as the data file gives them. Their dates and
    quarters are DOLISA's once loaded (the calendar page: a third-quarter deadline set, a date moved),
    so a reload never changes them; the invented deadlines of databases loaded before issue 12 were
    corrected once, by migration programs/0003_decision_calendar."""
    quarters: dict[int, Quarter] = {}
    for row in calendar["quarters"]:
        q, _created = loader.create_missing(
            Quarter,
            {"program": program, "number": int(row["number"])},
            {
                "start": _date(row["start"]),
                "end": _date(row["end"]),
                "entry_deadline": _date(row.get("entry_deadline")),
            },
        )
        quarters[q.number] = q
    for row in calendar["reports"]:
        report, created = loader.create_missing(
            ProvincialReport, {"program": program, "kind": row["kind"]}, {"due_date": _date(row.get("due_date"))}
        )
        if created:
            loader.set_m2m(report, "quarters", [quarters[int(n)] for n in row["quarters"]])


def _load_targets(loader: _Loader, program: Program, rows: list[dict[str, Any]], agencies: dict[str, Agency]) -> None:
    districts = [a for a in agencies.values() if a.kind == Agency.Kind.DISTRICT]
    for row in rows:
        target = loader.upsert(
            Target,
            {"program": program, "number": int(row["number"])},
            {"text": row["text"], "text_en": row.get("text_en", ""), "goal": _decimal(row["goal"]), "archived": False},
        )
        for i, ind in enumerate(row["indicators"], start=1):
            indicator = loader.upsert(
                Indicator,
                {"target": target, "code": str(ind["code"])},
                {
                    "name": ind["name"],
                    "name_en": ind.get("name_en", ""),
                    "numerator_label": ind["numerator"],
                    "numerator_label_en": ind.get("numerator_en", ""),
                    "denominator_label": ind["denominator"],
                    "denominator_label_en": ind.get("denominator_en", ""),
                    "archived": False,
                    "goal": _decimal(ind["goal"]),
                    "input": ind.get("input", Indicator.Input.FIGURES),
                    "flag": ind.get("flag") or "",
                    "order": i,
                },
            )
            reporters = ind.get("reporters", "districts")
            reporter_objs = districts if reporters == "districts" else [agencies[c] for c in reporters]
            loader.set_m2m(indicator, "reporters", reporter_objs)
            loader.set_m2m(indicator, "data_holders", [agencies[c] for c in ind.get("data_holders", [])])


def _load_activities(
    loader: _Loader,
    program: Program,
    groups: list[dict[str, Any]],
    agencies: dict[str, Agency],
    units: dict[str, AdminUnit],
) -> None:
    for g_order, g in enumerate(groups, start=1):
        group = loader.upsert(
            ActivityGroup,
            {"program": program, "code": str(g["code"])},
            {
                "part": str(g["part"]),
                "number": g.get("number"),
                "title": g["title"],
                "short_title": g["short_title"],
                "short_title_en": g.get("short_title_en", ""),
                "legal_basis": g.get("legal_basis", "") or "",
                "order": g_order,
            },
        )
        for a_order, a in enumerate(g["activities"], start=1):
            activity = loader.upsert(
                Activity,
                {"group": group, "code": str(a["code"])},
                {
                    "order": a_order,
                    "text": a["text"],
                    "text_en": a.get("text_en", ""),
                    "note": a.get("note", "") or "",
                    "archived": False,
                },  # fmt: skip
            )
            _load_roles(loader, activity, a, agencies)
            for o_order, o in enumerate(a.get("outputs", []), start=1):
                output = loader.upsert(
                    OutputTarget,
                    {"activity": activity, "code": str(o["code"])},
                    {
                        "order": o_order,
                        "label": o["label"],
                        "label_en": o.get("label_en", ""),
                        "quantity": int(o["quantity"]),
                        "unit": o["unit"],
                        "unit_en": o.get("unit_en", ""),
                        "archived": False,
                        "aggregation": o["aggregation"],
                        "note": o.get("note", "") or "",
                    },
                )
                loader.set_m2m(output, "units", [units[str(c)] for c in o.get("units", [])])


def _load_roles(loader: _Loader, activity: Activity, row: dict[str, Any], agencies: dict[str, Agency]) -> None:
    """Who leads and who supports an activity (an agency named in both leads), and on whose word: the
    decision's, or the portal's reading for the agencies listed under `portal_reading` (a body the
    bullet does not name). A role the file no longer gives is removed (a role carries no reported
    figure: progress belongs to the submission), so a correction of the file corrects the database."""
    roles = {code: ActivityRole.Role.SUPPORT for code in row.get("support", [])}
    roles.update({code: ActivityRole.Role.LEAD for code in row.get("lead", [])})
    portal = set(row.get("portal_reading", []))
    unknown = portal - set(roles)
    if unknown:
        raise ValueError(f"{activity.code}: portal_reading names agencies without a role: {sorted(unknown)}")
    existing = {r.agency_id: r for r in activity.roles.all()}
    for code, role in roles.items():
        agency = agencies[code]
        source = ActivityRole.Source.PORTAL if code in portal else ActivityRole.Source.DECISION
        current = existing.pop(agency.pk, None)
        if current is None:
            ActivityRole.objects.create(activity=activity, agency=agency, role=role, source=source)
            loader.report.count(loader.report.created, ActivityRole)
        elif (current.role, current.source) != (role, source):
            current.role, current.source = role, source
            current.save(update_fields=["role", "source"])
            loader.report.count(loader.report.updated, ActivityRole)
    for stale in existing.values():
        stale.delete()
        loader.report.count(loader.report.updated, ActivityRole)


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


# ------------------------------------------------------------------------------------------------
# DOLISA's edits of the calendar
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def quarter_update(*, quarter: Quarter, entry_deadline: dt.date | None, start: dt.date, end: dt.date) -> Quarter:
    """DOLISA moves a quarter's dates, or sets or clears its deadline (None: "chưa quy định hạn"; the
    decision dates no third-quarter report). A deadline may fall before the quarter ends (the figures
    then run to the day of reporting), not before it starts."""
    if end < start:
        raise ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    if entry_deadline is not None and entry_deadline < start:
        raise ValidationError({"entry_deadline": _("Hạn gửi báo cáo không được trước ngày bắt đầu quý.")})
    quarter.start, quarter.end, quarter.entry_deadline = start, end, entry_deadline
    quarter.save(update_fields=["start", "end", "entry_deadline"])
    structureversion.bump_on_commit()
    return quarter


@transaction.atomic
def provincial_report_update(
    *, report: ProvincialReport, due_date: dt.date | None, quarters: list[Quarter]
) -> ProvincialReport:
    """DOLISA sets (or clears) its own date for a report, which the decision does not set (VIII.2.1),
    and the quarters it covers; the report is compiled once their agencies' deadline has passed."""
    if not quarters:
        raise ValidationError({"quarters": _("Báo cáo phải tổng hợp ít nhất một quý.")})
    if any(q.program_id != report.program_id for q in quarters):
        raise ValidationError({"quarters": _("Các quý phải thuộc cùng chương trình với báo cáo.")})
    report.due_date = due_date
    report.save(update_fields=["due_date"])
    report.quarters.set(quarters)
    structureversion.bump_on_commit()
    return report
