"""Last year's result beside this year's: for every target indicator and output target that continues from
the year before, the figure of the same cut a year earlier, on the dashboard and in the compiled reports.

The year before is the province's published program of that year (programs.selectors.program_last_year);
without one there is no column at all. Its cut is this one moved a year back: the same quarters by number
(the same quarter, the year to date up to the same quarter, a report's quarters; up to the fourth quarter,
the year's final figure), the same district or agency matched by its code (none: no column), and accepted
reports only, whatever this page's pending switch: last year's figures as they were approved. They come from
`figures_compute`, the one selector, so the column says what last year's dashboard says for that cut.

An item continues when its code is found last year: an indicator by its code, an output target by its
activity's code and its own (as dashboards.trend matches them). An item new this year has no figure, nor
has one that last year did not report: both show "–", never 0.

Queries: the year before is read once per structure version (kept with the structure); its figures are
figures_compute's fixed number; with a cold cache, its structure besides. Whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from programs.models import Program
from programs.selectors import program_frame, program_last_year

from .figures import Cut, IndicatorFigures, OutputFigures, figures_compute


@dataclass(frozen=True)
class LastYear:
    """Last year's figures for a cut, found by the codes of this year's items."""

    year: int
    cut: Cut  # last year's
    indicators: dict[str, IndicatorFigures]
    outputs: dict[tuple[str, str], OutputFigures]

    @property
    def heading(self) -> str:
        """The column's heading, in the language of the moment: "Năm 2018" (the year's final figure),
        "Quý 2/2018" (one quarter), "6 tháng đầu năm 2018", "Đến hết quý 3/2018" (the year to date)."""
        numbers = [q.number for q in self.cut.quarters]
        if numbers == [q.number for q in self.cut.frame.quarters]:
            return _("Năm %(y)s") % {"y": self.year}
        if len(numbers) == 1:
            return str(self.cut.last)
        if numbers == [1, 2]:
            return _("6 tháng đầu năm %(y)s") % {"y": self.year}
        return _("Đến hết quý %(n)s/%(y)s") % {"n": self.cut.last.number, "y": self.year}

    def indicator(self, code: str) -> IndicatorFigures | None:
        return self.indicators.get(code)

    def output(self, activity_code: str, code: str) -> OutputFigures | None:
        return self.outputs.get((activity_code, code))


def last_year_cut(*, cut: Cut, program: Program) -> Cut | None:
    """The cut a year back, in `program` (the year before): None when it has none of the quarters, or not
    the district or agency the cut is filtered by."""
    frame = program_frame(program=program)
    numbers = {q.number for q in cut.quarters}
    quarters = tuple(q for q in frame.quarters if q.number in numbers)
    district = agency = None
    if cut.district is not None:
        district = next((d for d in frame.districts if d.code == cut.district.code), None)
    if cut.agency is not None:
        agency = next((a for a in frame.agencies if a.code == cut.agency.code), None)
    if not quarters or (cut.district is not None and district is None) or (cut.agency is not None and agency is None):
        return None
    return Cut(program, quarters, include_pending=False, district=district, agency=agency, frame=frame)


def last_year_compute(*, cut: Cut, program: Program | None) -> LastYear | None:
    """Last year's figures for the cut, from `program` (the year before, as program_last_year finds it),
    or None: no year before, or not this cut's quarters, district or agency in it."""
    if program is None:
        return None
    before = last_year_cut(cut=cut, program=program)
    if before is None:
        return None
    figures = figures_compute(cut=before)
    outputs = {(a.activity.code, o.output.code): o for g in figures.groups for a in g.activities for o in a.outputs}
    return LastYear(
        year=program.year,
        cut=before,
        indicators={i.indicator.code: i for i in figures.indicators},
        outputs=outputs,
    )


def last_year_of(*, cut: Cut) -> LastYear | None:
    """Last year's figures for the cut, the year before found from the cut's program."""
    return last_year_compute(cut=cut, program=program_last_year(program=cut.program))
