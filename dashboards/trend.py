"""Years side by side: each published year's results for the whole year, matched across years by code
(an indicator's code, an output's activity and code), for the leaders' view of the trend.

A year's result is the figure of `figures_compute` for the year to date at its fourth quarter, the
selector the dashboard and the reports use: an indicator is Σ numerators ÷ Σ denominators of the
districts, an output what it adds up to by its own rule; accepted reports only. An item a year does
not hold (added later, or taken out) shows no value for that year, never 0.

Units through time: each year's figures are over the units of its own decision date
(programs.selectors.program_districts). A change of the district-level layout between two years held
(a unit ended, begun or changed kind) is listed with the trend, so that a figure read across it says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from programs.models import AdminUnit, Program
from programs.selectors import units_valid_on

from .figures import Standing, cut_quarter, figures_compute, standing


@dataclass(frozen=True)
class Cell:
    year: int
    value: Decimal | None  # an indicator's percentage, or an output's achieved quantity
    goal: Decimal | None  # the goal in % (indicators) or the planned quantity (outputs)

    @property
    def standing(self) -> Standing:
        if self.goal is None:
            return Standing.NONE
        return standing(self.value, self.goal)


@dataclass
class TrendRow:
    kind: str  # "indicator" or "output"
    code: str
    label: str
    unit: str = ""
    cells: dict[int, Cell] = field(default_factory=dict)

    columns: list[tuple[int, Cell | None]] = field(default_factory=list)  # (year, cell) for every year held


@dataclass(frozen=True)
class LayoutChange:
    """A district-level unit that ended or began between two years' decision dates."""

    after_year: int
    unit: str
    kind: str
    what: str  # "ended" or "began"
    day: dt.date


@dataclass
class Trend:
    years: list[int]
    indicators: list[TrendRow]
    outputs: list[TrendRow]
    changes: list[LayoutChange]

    def previous(self, year: int) -> int | None:
        earlier = [y for y in self.years if y < year]
        return earlier[-1] if earlier else None


def published_programs(*, province_id: int) -> list[Program]:
    return list(Program.objects.filter(province_id=province_id, status=Program.Status.PUBLISHED).order_by("year"))


def year_results(*, program: Program) -> tuple[dict, dict]:
    """The whole year's results of a program: indicators by code, outputs by "activity / output" code,
    each (label, unit, value, goal)."""
    figures = figures_compute(cut=cut_quarter(program=program, number=4, year_to_date=True))
    indicators = {i.indicator.code: (i.indicator.name, "%", i.value, i.indicator.goal) for i in figures.indicators}
    outputs = {}
    for g in figures.groups:
        for a in g.activities:
            for o in a.outputs:
                value = o.per_commune if o.per_commune is not None else Decimal(o.achieved)
                outputs[f"{a.activity.code} / {o.output.code}"] = (
                    o.output.label,
                    o.output.unit,
                    value if o.contributions else None,
                    Decimal(o.output.quantity),
                )
    return indicators, outputs


def trend_compute(*, province_id: int) -> Trend:
    """Every published year of the province, side by side."""
    programs = published_programs(province_id=province_id)
    years = [p.year for p in programs]
    rows: dict[str, dict[str, TrendRow]] = {"indicator": {}, "output": {}}
    for program in programs:
        indicators, outputs = year_results(program=program)
        for kind, results in (("indicator", indicators), ("output", outputs)):
            for code, (label, unit, value, goal) in results.items():
                row = rows[kind].setdefault(code, TrendRow(kind, code, label, unit))
                row.label, row.unit = label, unit  # the latest year's wording
                row.cells[program.year] = Cell(program.year, value, goal)
    for row in [*rows["indicator"].values(), *rows["output"].values()]:
        row.columns = [(y, row.cells.get(y)) for y in years]
    return Trend(
        years=years,
        indicators=list(rows["indicator"].values()),
        outputs=list(rows["output"].values()),
        changes=layout_changes(programs=programs),
    )


def layout_changes(*, programs: list[Program]) -> list[LayoutChange]:
    """The district-level units that differ between consecutive years' layouts (their decision dates)."""
    changes: list[LayoutChange] = []
    for before, after in zip(programs, programs[1:], strict=False):
        old = _districts(before)
        new = _districts(after)
        for code in sorted(old.keys() - new.keys()):
            unit = old[code]
            changes.append(LayoutChange(after.year, unit.name, unit.get_kind_display(), "ended", unit.valid_to))
        for code in sorted(new.keys() - old.keys()):
            unit = new[code]
            changes.append(LayoutChange(after.year, unit.name, unit.get_kind_display(), "began", unit.valid_from))
    return changes


def _districts(program: Program) -> dict[str, AdminUnit]:
    units = units_valid_on(day=program.decision_date).filter(
        parent_id=program.province_id, level=AdminUnit.Level.DISTRICT
    )
    return {f"{u.code}:{u.kind}": u for u in units}
