"""Frozen copies of the program's structure: what the structure cache (programs.structure) keeps and
what the pages read from it.

The cache is shared by every request of a process. Model instances in it would be shared too, and a
request that set an attribute on one (a related object, a prefetch cache, a value) would change it for
every later request. So the cache holds these frozen dataclasses instead: each is built from its model
here, in one place per model (`Snapshot.of`), and copies the model's fields under the same names, so
that a template reads `agency.short_name` or `quarter.entry_deadline` from either. Rules spelled on a
model (`Agency.is_district`, `OutputTarget.is_money`, `Quarter.__str__` ...) are the model's own
functions, not second spellings; a choice's label is a `<field>_label` property, read in the language
of the request. Related rows are tuples of snapshots, filled by the selector that reads them.

Code that needs a model instance (a foreign key to set, a related manager) takes ids in its queries,
or asks a snapshot for `instance()`: a new instance for each call, built without a query, never shared.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any, ClassVar, Self

from django.db import DEFAULT_DB_ALIAS, models

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from targets.models import Indicator, Target

from .models import AdminUnit, Agency, Duty, LegalBasis, Program, ProvincialReport, Quarter


class Snapshot:
    """A frozen copy of a model instance. Equal to another snapshot of the same row, as model instances
    are (by primary key), whatever the nested tuples hold."""

    __slots__ = ()
    model: ClassVar[type[models.Model]]
    pk: int

    @classmethod
    def of(cls, obj: Any, **related: Any) -> Self:
        """The snapshot of `obj` (a model instance, or a snapshot of the same model): its fields
        copied by name; `related` gives the rest (nested snapshots, annotations)."""
        return cls(**{name: getattr(obj, name) for name in _copied(cls)}, **related)

    def instance(self, **related: Any) -> models.Model:
        """A new model instance with these values, as if read from the database (no query), for code
        that needs one; `related` sets related objects on it (e.g. a quarter's program). A new
        instance on every call: whatever a request does to it stays in that request."""
        names = _attnames(self.model)
        pk_name = self.model._meta.pk.attname
        obj = self.model.from_db(DEFAULT_DB_ALIAS, names, [getattr(self, "pk" if n == pk_name else n) for n in names])
        for name, value in related.items():
            setattr(obj, name, value)
        return obj

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.pk == other.pk  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self), self.pk))


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


@functools.cache
def _copied(cls: type[Snapshot]) -> tuple[str, ...]:
    """The snapshot's fields that are its model's fields (and pk): what `of` copies."""
    model_names = set(_attnames(cls.model)) | {"pk"}
    return tuple(f.name for f in fields(cls) if f.name in model_names)  # type: ignore[arg-type]


def _label(choices: type[models.Choices], value: Any) -> str:
    """The label of a choice in the request's language (the stored value when it is not a choice)."""
    return str(choices(value).label) if value in choices.values else value


# Frozen, without a __dict__ (slots), and equal by primary key (Snapshot.__eq__) rather than field by field.
FROZEN = {"frozen": True, "slots": True, "eq": False}


# ------------------------------------------------------------------------------------------------
# The program, its places, agencies and calendar
# ------------------------------------------------------------------------------------------------
@dataclass(**FROZEN)
class ProgramInfo(Snapshot):
    model: ClassVar = Program
    pk: int
    province_id: int
    year: int
    title: str
    title_en: str
    decision_number: str
    decision_date: dt.date
    issuing_body: str
    signer_title: str
    signer_name: str
    proposal: str
    general_objective: str
    district_budget_floor: int
    commune_budget_floor: int
    budget_text: str
    provincial_budget_text: str
    status: str

    __str__ = Program.__str__
    is_draft = property(Program.is_draft.fget)
    signer_title_inline = property(Program.signer_title_inline.fget)


@dataclass(**FROZEN)
class UnitInfo(Snapshot):
    """An administrative unit; a district read with its communes carries their number."""

    model: ClassVar = AdminUnit
    pk: int
    code: str
    name: str
    short_name: str
    kind: str
    level: int
    parent_id: int | None
    order: int
    commune_count: int | None = None

    __str__ = AdminUnit.__str__
    display_short = property(AdminUnit.display_short.fget)

    @property
    def kind_label(self) -> str:
        return _label(AdminUnit.Kind, self.kind)


@dataclass(**FROZEN)
class AgencyInfo(Snapshot):
    model: ClassVar = Agency
    Kind: ClassVar = Agency.Kind
    pk: int
    code: str
    name: str
    short_name: str
    name_en: str
    kind: str
    unit_id: int
    email: str
    is_requested: bool
    order: int

    __str__ = Agency.__str__
    is_district = property(Agency.is_district.fget)

    @property
    def kind_label(self) -> str:
        return _label(Agency.Kind, self.kind)


@dataclass(**FROZEN)
class QuarterInfo(Snapshot):
    model: ClassVar = Quarter
    pk: int
    program_id: int
    number: int
    start: dt.date
    end: dt.date
    entry_deadline: dt.date | None

    __str__ = Quarter.__str__
    label = property(Quarter.label.fget)
    deadline_label = property(Quarter.deadline_label.fget)


@dataclass(**FROZEN)
class ReportInfo(Snapshot):
    """One of the provincial reports, with the quarters it covers and its agencies' deadline (the last
    of its quarters', programs.calendar.report_deadline: when it is compiled)."""

    model: ClassVar = ProvincialReport
    pk: int
    program_id: int
    kind: str
    due_date: dt.date | None
    quarters: tuple[QuarterInfo, ...]
    agencies_deadline: dt.date | None

    recipients = property(ProvincialReport.recipients.fget)

    @property
    def kind_label(self) -> str:
        return _label(ProvincialReport.Kind, self.kind)


@dataclass(**FROZEN)
class DutyInfo(Snapshot):
    model: ClassVar = Duty
    pk: int
    program_id: int
    agency_id: int | None
    section: str
    order: int
    text: str


@dataclass(**FROZEN)
class LegalBasisInfo(Snapshot):
    model: ClassVar = LegalBasis
    pk: int
    program_id: int
    order: int
    text: str


# ------------------------------------------------------------------------------------------------
# Targets and indicators
# ------------------------------------------------------------------------------------------------
@dataclass(**FROZEN)
class IndicatorInfo(Snapshot):
    """An indicator, with its target's number; its data holders only where a page reads them (the
    program's overview)."""

    model: ClassVar = Indicator
    Input: ClassVar = Indicator.Input
    pk: int
    target_id: int
    target_number: int
    code: str
    name: str
    name_en: str
    numerator_label: str
    numerator_label_en: str
    denominator_label: str
    denominator_label_en: str
    goal: Decimal
    input: str
    flag: str
    order: int
    archived: bool
    data_holders: tuple[AgencyInfo, ...] = ()

    __str__ = Indicator.__str__
    is_ticked = property(Indicator.is_ticked.fget)

    @property
    def input_label(self) -> str:
        return _label(Indicator.Input, self.input)


@dataclass(**FROZEN)
class TargetInfo(Snapshot):
    model: ClassVar = Target
    pk: int
    program_id: int
    number: int
    text: str
    text_en: str
    goal: Decimal
    archived: bool
    indicators: tuple[IndicatorInfo, ...]

    __str__ = Target.__str__


# ------------------------------------------------------------------------------------------------
# Activities, who leads or supports them, their output targets
# ------------------------------------------------------------------------------------------------
@dataclass(**FROZEN)
class RoleInfo(Snapshot):
    model: ClassVar = ActivityRole
    Role: ClassVar = ActivityRole.Role
    Source: ClassVar = ActivityRole.Source
    pk: int
    activity_id: int
    agency_id: int
    role: str
    source: str
    agency: AgencyInfo

    is_portal_reading = property(ActivityRole.is_portal_reading.fget)

    @property
    def role_label(self) -> str:
        return _label(ActivityRole.Role, self.role)


@dataclass(**FROZEN)
class OutputInfo(Snapshot):
    """An output target; the places it names only where a page reads them."""

    model: ClassVar = OutputTarget
    Aggregation: ClassVar = OutputTarget.Aggregation
    pk: int
    activity_id: int
    code: str
    order: int
    label: str
    label_en: str
    quantity: int
    unit: str
    unit_en: str
    aggregation: str
    note: str
    archived: bool
    units: tuple[UnitInfo, ...] = ()

    __str__ = OutputTarget.__str__
    is_money = property(OutputTarget.is_money.fget)
    is_per_commune = property(OutputTarget.is_per_commune.fget)
    counted_unit = property(OutputTarget.counted_unit.fget)

    @property
    def aggregation_label(self) -> str:
        return _label(OutputTarget.Aggregation, self.aggregation)


@dataclass(**FROZEN)
class ActivityInfo(Snapshot):
    """An activity; its roles and output targets where the selector reads them."""

    model: ClassVar = Activity
    pk: int
    group_id: int
    code: str
    order: int
    text: str
    text_en: str
    note: str
    archived: bool
    roles: tuple[RoleInfo, ...] = ()
    outputs: tuple[OutputInfo, ...] = ()

    __str__ = Activity.__str__


@dataclass(**FROZEN)
class GroupInfo(Snapshot):
    model: ClassVar = ActivityGroup
    pk: int
    program_id: int
    code: str
    part: str
    number: int | None
    title: str
    short_title: str
    short_title_en: str
    legal_basis: str
    order: int
    activities: tuple[ActivityInfo, ...]

    __str__ = ActivityGroup.__str__


# ------------------------------------------------------------------------------------------------
# Snapshots with their related rows, from instances read with them (select_related, prefetch_related)
# ------------------------------------------------------------------------------------------------
def district_of(district: AdminUnit) -> UnitInfo:
    """A district read with its number of communes (annotated `commune_count`)."""
    return UnitInfo.of(district, commune_count=district.commune_count)


def indicator_of(indicator: Indicator, *, target: Target, data_holders: bool = False) -> IndicatorInfo:
    """An indicator of `target`; with the agencies that hold its data when asked (prefetched)."""
    holders = tuple(AgencyInfo.of(a) for a in indicator.data_holders.all()) if data_holders else ()
    return IndicatorInfo.of(indicator, target_number=target.number, data_holders=holders)


def target_of(target: Target, indicators: Iterable[Indicator], *, data_holders: bool = False) -> TargetInfo:
    return TargetInfo.of(
        target, indicators=tuple(indicator_of(i, target=target, data_holders=data_holders) for i in indicators)
    )


def targets_of(indicators: Iterable[Indicator]) -> tuple[TargetInfo, ...]:
    """The targets of indicators read with their target (select_related), in the indicators' order."""
    by_target: dict[int, tuple[Target, list[Indicator]]] = {}
    for i in indicators:
        by_target.setdefault(i.target_id, (i.target, []))[1].append(i)
    return tuple(target_of(t, found) for t, found in by_target.values())


def output_of(output: OutputTarget, *, units: bool = False) -> OutputInfo:
    """An output target; with the places it names when asked (prefetched)."""
    return OutputInfo.of(output, units=tuple(UnitInfo.of(u) for u in output.units.all()) if units else ())


def activity_of(activity: Activity, *, units: bool = False, roles: bool = True) -> ActivityInfo:
    """An activity with its roles (their agencies selected) and its output targets, prefetched."""
    return ActivityInfo.of(
        activity,
        roles=tuple(RoleInfo.of(r, agency=AgencyInfo.of(r.agency)) for r in activity.roles.all()) if roles else (),
        outputs=tuple(output_of(o, units=units) for o in activity.outputs.all()),
    )


def groups_of(activities: Iterable[Activity]) -> tuple[GroupInfo, ...]:
    """The groups of activities read with their group (select_related), roles and output targets
    (prefetched), in the activities' order."""
    by_group: dict[int, tuple[ActivityGroup, list[Activity]]] = {}
    for a in activities:
        by_group.setdefault(a.group_id, (a.group, []))[1].append(a)
    return tuple(GroupInfo.of(g, activities=tuple(activity_of(a) for a in found)) for g, found in by_group.values())
