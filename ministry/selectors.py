"""The Ministry's department's reads across every province: the issued six-month and annual reports, the
national figures of the indicators the provinces' programs share, the provinces' reporting rates and their
ranking. A fixed number of aggregate queries, whatever the number of provinces (tests/ministry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.http import Http404

from accounts import roles
from documents.models import ReportVersion
from programs.models import Duty, Program, ProvincialReport
from reporting.models import IndicatorValue, Submission
from targets.models import Indicator

# The reports the provinces send the department (Decision VIII.2.1: at six months and at the year).
SENT_KINDS = (ProvincialReport.Kind.SIX_MONTH, ProvincialReport.Kind.ANNUAL)
ACCEPTED = Submission.Status.ACCEPTED


def ministry_may_read(user) -> None:
    """The department's pages are for its accounts only (404 for anyone else)."""
    if not roles.is_ministry(user):
        raise Http404("The Ministry's view is the department's")


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """A figure in per cent, none without a denominator: Σ numerators over Σ denominators, never a mean of ratios."""
    return Decimal(100) * numerator / denominator if denominator else None


@dataclass
class Cell:
    numerator: int = 0
    denominator: int = 0

    @property
    def percent(self) -> Decimal | None:
        return ratio(self.numerator, self.denominator)


@dataclass
class SharedIndicator:
    """An indicator the provinces' programs share (same target number and indicator code)."""

    target: int
    code: str
    name: str
    goal: Decimal
    provinces: int  # how many of the year's programs hold it
    national: Cell = field(default_factory=Cell)
    by_province: dict[int, Cell] = field(default_factory=dict)  # program id -> its figure
    cells: list[Cell | None] = field(default_factory=list)  # the provinces' figures in the ranking's order


@dataclass
class ProvinceRow:
    program: Program
    agencies: int  # that report under its program
    accepted: int  # their reports of the quarter DOLISA accepted
    documents: dict[str, ReportVersion] = field(default_factory=dict)  # kind -> the issued version in force
    met: int = 0  # shared indicators at or above their goal
    rank: int = 0

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.accepted, self.agencies)

    def sent(self, kind: str) -> ReportVersion | None:
        return self.documents.get(kind)


@dataclass
class NationalView:
    year: int
    quarter: int | None
    quarters: list[int]
    provinces: list[ProvinceRow]  # ranked
    indicators: list[SharedIndicator]
    national_rate: Decimal | None

    def not_sent(self, kind: str) -> list[ProvinceRow]:
        return [p for p in self.provinces if p.sent(kind) is None]

    @property
    def not_sent_six_month(self) -> list[ProvinceRow]:
        return self.not_sent(ProvincialReport.Kind.SIX_MONTH)

    @property
    def not_sent_annual(self) -> list[ProvinceRow]:
        return self.not_sent(ProvincialReport.Kind.ANNUAL)


def national_years() -> list[int]:
    return sorted(set(Program.objects.values_list("year", flat=True)), reverse=True)


def national_view(*, year: int, quarter: int | None = None) -> NationalView:
    """Every province's program of the year with its issued reports, its reporting rate and its figures for
    the indicators the programs share, the national figures (Σ numerators over Σ denominators across
    provinces) and the ranking. The quarter is the latest with an accepted report unless one is asked for
    (the figures and the rates are the quarter's). Seven queries, whatever the number of provinces."""
    programs = list(Program.objects.filter(year=year).select_related("province").order_by("province__name"))
    if not programs:
        raise Http404("No program for this year")
    accepted = Submission.objects.filter(quarter__program__year=year, status=ACCEPTED)
    latest = accepted.aggregate(q=Max("quarter__number"))["q"]
    quarters = list(range(1, (latest or 0) + 1))
    quarter = quarter if quarter in quarters else latest
    rows = {p.pk: ProvinceRow(program=p, agencies=0, accepted=0) for p in programs}
    _rates(rows, year=year, quarter=quarter)
    _documents(rows, year=year)
    indicators = _shared_indicators(year=year, quarter=quarter, programs=len(programs))
    ranked = _rank(list(rows.values()), indicators)
    for indicator in indicators:
        indicator.cells = [indicator.by_province.get(r.program.pk) for r in ranked]
    total = sum(r.accepted for r in ranked), sum(r.agencies for r in ranked)
    return NationalView(year=year, quarter=quarter, quarters=quarters, provinces=ranked, indicators=indicators,
                        national_rate=ratio(*total))  # fmt: skip


def _rates(rows: dict[int, ProvinceRow], *, year: int, quarter: int | None) -> None:
    """Each program's reporting agencies and its accepted reports of the quarter (two queries)."""
    agencies = Duty.objects.filter(program__year=year, agency__isnull=False).values("program_id")
    for r in agencies.annotate(n=Count("agency", distinct=True)):
        rows[r["program_id"]].agencies = r["n"]
    counts = (
        Submission.objects.filter(quarter__program__year=year, quarter__number=quarter, status=ACCEPTED)
        .values(program_id=F("quarter__program_id"))
        .annotate(n=Count("pk"))
    )
    for r in counts:
        rows[r["program_id"]].accepted = r["n"]


def _documents(rows: dict[int, ProvinceRow], *, year: int) -> None:
    """The issued version in force of each program's six-month and annual report (one query)."""
    versions = (
        ReportVersion.objects.filter(
            report__program__year=year, report__kind__in=SENT_KINDS, doc_number__isnull=False, replaced_by__isnull=True
        )
        .select_related("report")
        .defer("figures")
    )
    for v in versions:
        rows[v.report.program_id].documents[v.report.kind] = v


def _shared_indicators(*, year: int, quarter: int | None, programs: int) -> list[SharedIndicator]:
    """The indicators with typed numerators and denominators held by more than one program of the year (all,
    with a single program), matched by target number and indicator code, with each province's and the
    national sums (two queries). The communes' ticks (targets 5 and 6) are the dashboard's, per province."""
    keys = (
        Indicator.objects.filter(target__program__year=year, input=Indicator.Input.FIGURES)
        .values(number=F("target__number"), key=F("code"))
        .annotate(provinces=Count("target__program", distinct=True), name=Max("name"), goal=Max("goal"))
        .order_by("number", "key")
    )
    shared = {
        (k["number"], k["key"]): SharedIndicator(k["number"], k["key"], k["name"], k["goal"], k["provinces"])
        for k in keys
        if k["provinces"] > 1 or programs == 1
    }
    sums = (
        IndicatorValue.objects.filter(
            submission__quarter__program__year=year, submission__quarter__number=quarter, submission__status=ACCEPTED
        )
        .filter(Q(numerator__isnull=False) & Q(denominator__isnull=False))
        .values(program_id=F("submission__quarter__program_id"), number=F("indicator__target__number"),
                key=F("indicator__code"))
        .annotate(num=Sum("numerator"), den=Sum("denominator"))
    )  # fmt: skip
    for s in sums:
        indicator = shared.get((s["number"], s["key"]))
        if indicator is None:
            continue
        indicator.by_province[s["program_id"]] = Cell(s["num"], s["den"])
        indicator.national.numerator += s["num"]
        indicator.national.denominator += s["den"]
    return list(shared.values())


def _rank(rows: list[ProvinceRow], indicators: list[SharedIndicator]) -> list[ProvinceRow]:
    """Provinces ranked by the shared indicators they meet, then by their reporting rate."""
    for row in rows:
        cells = [i.by_province.get(row.program.pk) for i in indicators]
        row.met = sum(1 for i, c in zip(indicators, cells, strict=True) if c and c.percent is not None
                      and c.percent >= i.goal)  # fmt: skip
    rows.sort(key=lambda r: (-r.met, -(r.rate or 0), r.program.province.name))
    for n, row in enumerate(rows, start=1):
        row.rank = n
    return rows


def issued_document(*, user, pk: int) -> ReportVersion:
    """An issued six-month or annual report of any province, for the department; 404 otherwise."""
    ministry_may_read(user)
    version = (
        ReportVersion.objects.filter(pk=pk, doc_number__isnull=False, report__kind__in=SENT_KINDS)
        .select_related("report__program__province")
        .first()
    )
    if version is None:
        raise Http404("No such issued report")
    return version
