"""Synthetic national-size data for benchmarks: programs shaped like An Giang's 2018 one, for many
provinces and years, with every agency's submissions for every quarter. Bulk inserts only (no
history rows): this is load-test data, never demo or real data.

Shape for 63 provinces: about 700 district-level units, 10.000 communes, 1.650 agencies and
users, and for 5 years about 33.000 submissions with 1,5 million values.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Duty, Program, ProvincialReport, Quarter
from programs.services import program_read_file
from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, OutputProgress, Submission, Transition
from targets.models import Indicator, Target

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 5000
PASSWORD = "scale-bench-2018"  # load-test accounts on a benchmark database only  # noqa: S105  # nosec B105
STATUSES = [("accepted", 80), ("submitted", 8), ("resubmitted", 2), ("returned", 3), ("draft", 7)]


@dataclass
class ScaleReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass
class _Province:
    """A province's places, agencies and accounts: what each of its yearly programs is made for."""

    unit: AdminUnit
    agencies: list[Agency]
    by_tpl: dict[str, Agency]  # the template's provincial agency code -> this province's agency
    district_map: dict[str, Agency]  # the template's district agency code -> one of this province's
    district_agencies: list[Agency]
    unit_map: dict[str, AdminUnit]  # the template's district unit code -> one of this province's
    communes_by_district: dict[int, list[AdminUnit]]
    user_of: dict[int, User]  # agency id -> its reporter
    officer: User


@dataclass
class _Plan:
    """A year's program as its submissions need it."""

    quarters: list[Quarter]
    indicators: list[Indicator]
    activities: list[Activity]
    roles_of: dict[int, dict[int, str]]  # activity id -> {agency id: lead or support}
    outputs_of: dict[int, list[OutputTarget]]  # activity id -> its output targets
    named: dict[int, set[int]]  # output target id -> the units it names


def _in_year(day: dt.date | None, year: int) -> dt.date | None:
    """A date of the 2018 calendar moved to another year (none stays none: a quarter without a deadline)."""
    return day.replace(year=year) if day is not None else None


def _bulk(model, rows: list, report: ScaleReport) -> list:
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    report.add(model._meta.model_name, len(rows))
    return created


def scale_province_code(p: int) -> str:
    return f"S{p:02d}"


def generate_scale_data(
    *, provinces: int, years: int, first_year: int = 2018, seed: int = 535, log: Callable[[str], None] = print
) -> ScaleReport:
    """Create `provinces` synthetic provinces, each with a program for each of `years` years."""
    started = time.monotonic()
    rng = random.Random(seed)  # synthetic load-test data, not security  # noqa: S311  # nosec B311
    template = program_read_file(path=settings.PROGRAM_DATA_FILE)
    report = ScaleReport()
    reporter_group = Group.objects.get(name=Role.REPORTER.value)
    officer_group = Group.objects.get(name=Role.DOLISA.value)
    password = make_password(PASSWORD)
    for p in range(1, provinces + 1):
        with transaction.atomic():
            _province(p, years, first_year, template, rng, password, reporter_group, officer_group, report)
        log(f"province {p}/{provinces}: {sum(report.counts.values()):,} rows in {time.monotonic() - started:.0f} s")
    report.seconds = time.monotonic() - started
    return report


def _province(p, years, first_year, template, rng, password, reporter_group, officer_group, report):
    code = scale_province_code(p)
    province = _bulk(AdminUnit, [AdminUnit(code=code, name=f"Tỉnh Mẫu {p:02d}", kind="tinh", level=1)], report)[0]
    n_districts = rng.randint(8, 14)
    districts = _bulk(
        AdminUnit,
        [
            AdminUnit(
                code=f"{code}-{d:02d}",
                name=f"Huyện Mẫu {p:02d}.{d:02d}",
                short_name=f"Mẫu {p:02d}.{d:02d}",
                kind="huyen",
                level=2,
                parent=province,
                order=d,
            )
            for d in range(1, n_districts + 1)
        ],
        report,
    )
    communes_by_district: dict[int, list[AdminUnit]] = {}
    commune_rows = []
    for d in districts:
        for c in range(1, rng.randint(8, 21) + 1):
            commune_rows.append(
                AdminUnit(
                    code=f"{d.code}-{c:02d}", name=f"Xã Mẫu {d.code}-{c:02d}", kind="xa", level=3, parent=d, order=c
                )
            )
    for c in _bulk(AdminUnit, commune_rows, report):
        communes_by_district.setdefault(c.parent_id, []).append(c)

    # agencies: the 15 provincial bodies of the template, and one People's Committee per district
    provincial_tpl = [a for a in template["agencies"] if a["kind"] == "provincial"]
    district_tpl = [a for a in template["agencies"] if a["kind"] == "district"]
    agencies = _bulk(
        Agency,
        [
            Agency(
                code=f"{code.lower()}-{a['code']}",
                name=a["name"],
                short_name=a["short_name"],
                kind="provincial",
                unit=province,
                order=i,
            )
            for i, a in enumerate(provincial_tpl, start=1)
        ]
        + [
            Agency(
                code=f"{code.lower()}-ubnd-{i:02d}",
                name=f"Ủy ban nhân dân {d.name.lower()}",
                short_name=f"UBND {d.short_name}",
                kind="district",
                unit=d,
                order=100 + i,
            )
            for i, d in enumerate(districts, start=1)
        ],
        report,
    )
    by_tpl = {a["code"]: ag for a, ag in zip(provincial_tpl, agencies[: len(provincial_tpl)], strict=True)}
    district_agencies = agencies[len(provincial_tpl) :]
    # a template district code maps to a district of this province (round robin)
    district_map = {a["code"]: district_agencies[i % len(district_agencies)] for i, a in enumerate(district_tpl)}
    unit_map = {a["unit"]: district_map[a["code"]].unit for a in district_tpl}

    users = _bulk(User, [User(username=a.code, password=password, agency=a) for a in agencies], report)
    officer = _bulk(User, [User(username=f"{code.lower()}-dolisa", password=password, agency=agencies[0])], report)[0]
    through = User.groups.through
    _bulk(through, [through(user_id=u.pk, group_id=reporter_group.pk) for u in users], report)
    _bulk(through, [through(user_id=officer.pk, group_id=officer_group.pk)], report)
    user_of = {u.agency_id: u for u in users}

    prov = _Province(
        unit=province, agencies=agencies, by_tpl=by_tpl, district_map=district_map,
        district_agencies=district_agencies, unit_map=unit_map, communes_by_district=communes_by_district,
        user_of=user_of, officer=officer,
    )  # fmt: skip
    for y in range(years):
        _program(prov, first_year + y, template, rng, report)


def _program(prov: _Province, year: int, template: dict, rng: random.Random, report: ScaleReport) -> None:
    p = template["program"]
    program = _bulk(
        Program,
        [
            Program(
                province=prov.unit,
                year=year,
                title=f"Chương trình công tác BVCSTE {prov.unit.name} năm {year}",
                decision_number=f"{rng.randint(100, 999)}/QĐ-UBND",
                decision_date=dt.date(year, 3, 15),
                issuing_body=f"Ủy ban nhân dân {prov.unit.name.lower()}",
                signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
                signer_name="Người Ký",
                general_objective=p["general_objective"],
                district_budget_floor=150_000_000,
                commune_budget_floor=20_000_000,
            )
        ],
        report,
    )[0]
    _bulk(
        Duty,
        [
            Duty(program=program, agency=a, section="", order=1, text="Thực hiện nhiệm vụ theo Chương trình.")
            for a in prov.agencies
        ],
        report,
    )
    quarters = _bulk(
        Quarter,
        [
            Quarter(
                program=program,
                number=q["number"],
                start=q["start"].replace(year=year),
                end=q["end"].replace(year=year),
                entry_deadline=_in_year(q["entry_deadline"], year),
            )
            for q in template["calendar"]["quarters"]
        ],
        report,
    )
    reports = _bulk(
        ProvincialReport,
        [
            ProvincialReport(program=program, kind=r["kind"], due_date=_in_year(r["due_date"], year))
            for r in template["calendar"]["reports"]
        ],
        report,
    )
    rq = ProvincialReport.quarters.through
    _bulk(
        rq,
        [
            rq(provincialreport_id=r.pk, quarter_id=quarters[n - 1].pk)
            for r, tpl in zip(reports, template["calendar"]["reports"], strict=True)
            for n in tpl["quarters"]
        ],
        report,
    )

    targets = _bulk(
        Target,
        [Target(program=program, number=t["number"], text=t["text"], goal=t["goal"]) for t in template["targets"]],
        report,
    )
    indicators = _bulk(
        Indicator,
        [
            Indicator(
                target=t,
                code=str(i["code"]),
                name=i["name"],
                numerator_label=i["numerator"],
                denominator_label=i["denominator"],
                goal=i["goal"],
                input=i["input"],
                flag=i.get("flag") or "",
                order=n,
            )
            for t, tpl in zip(targets, template["targets"], strict=True)
            for n, i in enumerate(tpl["indicators"], start=1)
        ],
        report,
    )
    it = Indicator.reporters.through
    _bulk(it, [it(indicator_id=i.pk, agency_id=a.pk) for i in indicators for a in prov.district_agencies], report)

    groups, activities, outputs, roles = [], [], [], []
    for g_order, g in enumerate(template["activity_groups"], start=1):
        groups.append(
            ActivityGroup(
                program=program,
                code=g["code"],
                part=g["part"],
                number=g.get("number"),
                title=g["title"],
                short_title=g["short_title"],
                legal_basis=g.get("legal_basis", ""),
                order=g_order,
            )
        )
    groups = _bulk(ActivityGroup, groups, report)
    tpl_acts = []
    for group, g in zip(groups, template["activity_groups"], strict=True):
        for a_order, a in enumerate(g["activities"], start=1):
            activities.append(Activity(group=group, code=a["code"], order=a_order, text=a["text"]))
            tpl_acts.append(a)
    activities = _bulk(Activity, activities, report)
    roles_of: dict[int, dict[int, str]] = {}
    out_units = []
    tpl_outs = []
    for act, a in zip(activities, tpl_acts, strict=True):
        role = {}
        for c in a.get("support", []):
            agency = prov.by_tpl.get(c) or prov.district_map.get(c)
            role[agency.pk] = "support"
        if len(set(a.get("support", [])) & set(prov.district_map)) == len(prov.district_map):
            for d in prov.district_agencies:  # "all 11 districts" means all this province's districts
                role[d.pk] = "support"
        for c in a.get("lead", []):
            role[(prov.by_tpl.get(c) or prov.district_map[c]).pk] = "lead"
        roles_of[act.pk] = role
        roles += [ActivityRole(activity=act, agency_id=ag, role=r) for ag, r in role.items()]
        for o_order, o in enumerate(a.get("outputs", []), start=1):
            outputs.append(
                OutputTarget(
                    activity=act,
                    code=o["code"],
                    order=o_order,
                    label=o["label"],
                    quantity=o["quantity"],
                    unit=o["unit"],
                    aggregation=o["aggregation"],
                )
            )
            tpl_outs.append(o)
    _bulk(ActivityRole, roles, report)
    outputs = _bulk(OutputTarget, outputs, report)
    ot = OutputTarget.units.through
    for out, o in zip(outputs, tpl_outs, strict=True):
        for u in {prov.unit_map[c] for c in o.get("units", []) if c in prov.unit_map}:
            out_units.append(ot(outputtarget_id=out.pk, adminunit_id=u.pk))
    _bulk(ot, out_units, report)
    outputs_of: dict[int, list[OutputTarget]] = {}
    for out in outputs:
        outputs_of.setdefault(out.activity_id, []).append(out)
    named = {}
    for row in out_units:
        named.setdefault(row.outputtarget_id, set()).add(row.adminunit_id)

    plan = _Plan(quarters=quarters, indicators=indicators, activities=activities, roles_of=roles_of,
                 outputs_of=outputs_of, named=named)  # fmt: skip
    _submissions(prov, plan, rng, report)


def _submissions(prov: _Province, plan: _Plan, rng: random.Random, report: ScaleReport) -> None:
    statuses = [s for s, w in STATUSES for _ in range(w)]
    typed = [i for i in plan.indicators if i.input == "figures"]
    subs = []
    for q in plan.quarters:
        due = q.entry_deadline or q.end  # a quarter without a deadline (Q3): sent by its end, never late
        deadline = dt.datetime.combine(due, dt.time(17), tzinfo=TZ)
        for a in prov.agencies:
            status = rng.choice(statuses)
            late = rng.random() < 0.15 and q.entry_deadline is not None
            at = (
                deadline + dt.timedelta(days=rng.randint(1, 6))
                if late
                else deadline - dt.timedelta(days=rng.randint(0, 10))
            )
            subs.append(
                Submission(
                    agency=a,
                    quarter=q,
                    status=status,
                    version=2,
                    first_submitted_at=None if status == "draft" else at,
                    submitted_at=None if status == "draft" else at,
                    days_late=(at.date() - due).days if late and status != "draft" else 0,
                    district_budget=rng.randint(100, 300) * 1_000_000 if a.is_district else None,
                    communes_checked=a.is_district,
                    updated_by=prov.user_of[a.pk],
                )
            )
    subs = _bulk(Submission, subs, report)
    values, ticks, progress, out_progress, transitions = [], [], [], [], []
    for s in subs:
        a = s.agency
        if s.status != "draft":
            transitions.append(
                Transition(
                    submission=s,
                    action="submit",
                    from_status="draft",
                    to_status="submitted",
                    actor=prov.user_of[a.pk],
                    at=s.submitted_at,
                )
            )
            if s.status == "accepted":
                transitions.append(
                    Transition(
                        submission=s,
                        action="accept",
                        from_status="submitted",
                        to_status="accepted",
                        actor=prov.officer,
                        at=s.submitted_at + dt.timedelta(days=2),
                    )
                )
        unit_ids = {a.unit_id}
        if a.is_district:
            for ind in typed:
                den = rng.randint(10, 400)
                values.append(
                    IndicatorValue(
                        submission=s, indicator=ind, numerator=rng.randint(den * 7 // 10, den), denominator=den
                    )
                )
            for c in prov.communes_by_district.get(a.unit_id, []):
                unit_ids.add(c.pk)
                ticks.append(
                    CommuneStatus(
                        submission=s,
                        commune=c,
                        safe_home_pilot=rng.random() < 0.8,
                        safe_home_full=rng.random() < 0.08,
                        child_friendly=rng.random() < 0.9,
                        budget=rng.randint(15, 40) * 1_000_000,  # a few communes below the 20 triệu floor
                    )
                )
        for act in plan.activities:
            if a.pk not in plan.roles_of[act.pk]:
                continue
            progress.append(
                ActivityProgress(
                    submission=s,
                    activity=act,
                    status=rng.choice(["in_progress", "done"]),
                    children_boys=rng.randint(0, 60),
                    children_girls=rng.randint(0, 60),
                    money_spent=rng.randint(0, 40) * 500_000,
                )
            )
            for out in plan.outputs_of.get(act.pk, []):
                if a.is_district and plan.named.get(out.pk) and not plan.named[out.pk] & unit_ids:
                    continue
                out_progress.append(
                    OutputProgress(submission=s, output=out, quantity=rng.randint(0, max(1, out.quantity // 20)))
                )
    _bulk(IndicatorValue, values, report)
    _bulk(CommuneStatus, ticks, report)
    _bulk(ActivityProgress, progress, report)
    _bulk(OutputProgress, out_progress, report)
    _bulk(Transition, transitions, report)
