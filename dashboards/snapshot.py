"""The figures of a cut as JSON: what was counted, and every number. A compiled report keeps the
snapshot it was made from (documents.ReportVersion.figures); the backup drill compares two databases by
the digest of their snapshots (manage.py figures_digest)."""

from __future__ import annotations

from decimal import Decimal

from .figures import Figures


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def figures_snapshot(figures: Figures) -> dict:
    """The figures as JSON: the cut and what was counted, then each part of the figures."""
    cut = figures.cut
    return {
        "program": cut.program.decision_number,
        "year": cut.program.year,
        "quarters": [q.number for q in cut.quarters],
        "include_pending": cut.include_pending,
        "counted": [
            {"id": s.pk, "agency": s.agency.code, "quarter": s.quarter.number, "version": s.version}
            for s in figures.counted
        ],
        "targets": _targets(figures),
        "outputs": _outputs(figures),
        "activities": _activities(figures),
        "compliance": _compliance(figures),
        "budget": _budget(figures),
        "difficulties": len(figures.difficulties),
        "proposals": len(figures.proposals),
    }


def _targets(figures: Figures) -> list[dict]:
    return [
        {
            "number": t.target.number,
            "goal": _dec(t.target.goal),
            "met": t.met,
            "indicators": [
                {
                    "code": i.indicator.code,
                    "goal": _dec(i.indicator.goal),
                    "numerator": i.province.numerator,
                    "denominator": i.province.denominator,
                    "value": _dec(i.value),
                    "met": i.met,
                    "districts": [
                        {
                            "unit": c.district.code,
                            "name": c.district.display_short,
                            "quarter": c.quarter.number if c.quarter else None,
                            "numerator": c.ratio.numerator if c.ratio else None,
                            "denominator": c.ratio.denominator if c.ratio else None,
                            "value": _dec(c.ratio.value) if c.ratio else None,
                        }
                        for c in i.districts
                    ],
                }
                for i in t.indicators
            ],
        }
        for t in figures.targets
    ]


def _outputs(figures: Figures) -> list[dict]:
    return [
        {
            "code": o.output.code,
            "planned": o.output.quantity,
            "unit": o.output.unit,
            "achieved": o.achieved,
            "by_agency": {c.agency.code: c.value for c in o.contributions},
        }
        for o in figures.outputs
    ]


def _activities(figures: Figures) -> list[dict]:
    return [
        {
            "code": a.activity.code,
            "statuses": a.statuses,
            "children_boys": a.children_boys,
            "children_girls": a.children_girls,
            "money": a.money,
            "accounts": len(a.accounts),
        }
        for g in figures.groups
        for a in g.activities
    ]


def _compliance(figures: Figures) -> list[dict]:
    return [
        {
            "quarter": c.quarter.number,
            "deadline": c.quarter.entry_deadline.isoformat() if c.quarter.entry_deadline else None,
            "due": c.due,
            "expected": len(c.expected),
            "on_time": [s.agency.code for s in c.on_time],
            "late": {s.agency.code: s.days_late for s in c.late},
            "missing": [a.code for a in c.missing],
            "requested_sent": [s.agency.code for s in c.requested_sent],
            "requested_missing": [a.code for a in c.requested_missing],
        }
        for c in figures.compliance
    ]


def _budget(figures: Figures) -> list[dict]:
    return [
        {
            "unit": b.district.code,
            "name": b.district.display_short,
            "communes": b.communes,
            "district_budget": b.district_budget,
            "district_floor": b.district_floor,
            "communes_budget": b.communes_budget,
            "communes_floor": b.communes_floor,
            "communes_reported": b.communes_reported,
            "communes_below": [{"name": c.name, "amount": c.amount} for c in b.below],
            "standing": b.standing.value,
        }
        for b in figures.budget
    ]
