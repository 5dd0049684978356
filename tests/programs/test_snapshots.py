"""programs.snapshots: the frozen copies of the program's structure that the structure cache keeps read
as their models do (fields, rules, labels in the request's language, equality), cannot be changed, and
give a fresh model instance, without a query, to code that needs one."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Program, ProvincialReport, Quarter
from programs.snapshots import (
    ActivityInfo,
    AgencyInfo,
    GroupInfo,
    IndicatorInfo,
    OutputInfo,
    ProgramInfo,
    QuarterInfo,
    ReportInfo,
    RoleInfo,
    TargetInfo,
    UnitInfo,
)
from targets.models import Indicator, Target

pytestmark = pytest.mark.django_db


def snapshot_of(model, obj):
    """A snapshot of `obj` with empty related tuples where the snapshot has some."""
    info = {
        Program: ProgramInfo, AdminUnit: UnitInfo, Agency: AgencyInfo, Quarter: QuarterInfo,
        ProvincialReport: ReportInfo, Target: TargetInfo, Indicator: IndicatorInfo, ActivityGroup: GroupInfo,
        Activity: ActivityInfo, ActivityRole: RoleInfo, OutputTarget: OutputInfo,
    }[model]  # fmt: skip
    related = {
        ReportInfo: {"quarters": (), "agencies_deadline": None},
        TargetInfo: {"indicators": ()},
        IndicatorInfo: {"target_number": obj.target.number} if model is Indicator else {},
        GroupInfo: {"activities": ()},
        RoleInfo: {"agency": AgencyInfo.of(obj.agency)} if model is ActivityRole else {},
    }.get(info, {})
    return info.of(obj, **related)


MODELS = [Program, AdminUnit, Agency, Quarter, ProvincialReport, Target, Indicator, ActivityGroup, Activity,
          ActivityRole, OutputTarget]  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_snapshot_holds_its_models_values_and_is_shown_as_it(program, model):
    """Every field a snapshot copies has the model's value; it is shown as the model is shown."""
    obj = model.objects.order_by("pk").last()
    info = snapshot_of(model, obj)
    names = {f.attname for f in model._meta.concrete_fields} | {"pk"}
    copied = [f.name for f in dataclasses.fields(info) if f.name in names]
    assert len(copied) >= 4
    assert {n: getattr(info, n) for n in copied} == {n: getattr(obj, n) for n in copied}
    if "__str__" in vars(type(info)):
        assert str(info) == str(obj)


@pytest.mark.parametrize(
    "model, rule",
    [
        (Agency, "is_district"), (AdminUnit, "display_short"), (OutputTarget, "is_money"), (Indicator, "is_ticked"),
        (Program, "signer_title_inline"), (Quarter, "label"), (Quarter, "deadline_label"),
    ],
)  # fmt: skip
def test_a_snapshot_answers_its_models_rules(program, model, rule):
    for obj in model.objects.all():
        assert getattr(snapshot_of(model, obj), rule) == getattr(obj, rule), obj


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "model, field",
    [(Agency, "kind"), (AdminUnit, "kind"), (Indicator, "input"), (OutputTarget, "aggregation"),
     (ActivityRole, "role"), (ProvincialReport, "kind")],
)  # fmt: skip
def test_a_choices_label_is_the_models_in_the_language_of_the_request(program, model, field, language):
    """A snapshot is built once for every language: its labels are read when they are shown."""
    objects = list(model.objects.all())
    snapshots = [snapshot_of(model, obj) for obj in objects]
    with translation.override(language):
        for obj, info in zip(objects, snapshots, strict=True):
            assert getattr(info, f"{field}_label") == getattr(obj, f"get_{field}_display")()


def test_a_snapshot_cannot_be_changed(program):
    """Neither its fields nor anything added: a snapshot has no __dict__ to keep a cache in."""
    agency = AgencyInfo.of(Agency.objects.first())
    with pytest.raises(dataclasses.FrozenInstanceError):
        agency.name = "Changed"
    # Python 3.11 answers TypeError for a name that is not a field of a frozen dataclass with slots
    with pytest.raises((dataclasses.FrozenInstanceError, TypeError, AttributeError)):
        agency._prefetched_objects_cache = {}
    assert not hasattr(agency, "__dict__")
    assert agency.name == Agency.objects.first().name


def test_snapshots_of_the_same_row_are_equal_as_model_instances_are(program):
    first, second = Agency.objects.order_by("pk")[:2]
    assert AgencyInfo.of(first) == AgencyInfo.of(Agency.objects.get(pk=first.pk))
    assert hash(AgencyInfo.of(first)) == hash(AgencyInfo.of(Agency.objects.get(pk=first.pk)))
    assert AgencyInfo.of(first) != AgencyInfo.of(second)
    assert AgencyInfo.of(first) != first  # a snapshot is not its model instance


@pytest.mark.parametrize("model, field", [(Program, "title"), (Agency, "name"), (Quarter, "number")])
def test_an_instance_is_made_afresh_for_each_call_without_a_query(program, model, field, django_assert_num_queries):
    """A model instance from a snapshot, as if read from the database: a new one for each call, so that
    what one caller does to its instance no other caller sees."""
    obj = model.objects.order_by("pk").last()
    info = snapshot_of(model, obj)
    with django_assert_num_queries(0):
        first, second = info.instance(), info.instance()
    assert first is not second and first == obj
    assert first._state.adding is False and first._state.db == "default"
    names = [f.attname for f in model._meta.concrete_fields]
    assert [getattr(first, n) for n in names] == [getattr(obj, n) for n in names]
    setattr(first, field, 99)
    assert getattr(second, field) == getattr(info.instance(), field) == getattr(obj, field) != 99


def test_an_instance_carries_the_related_objects_given(program, django_assert_num_queries):
    quarter = program.quarters.get(number=2)
    with django_assert_num_queries(0):
        made = QuarterInfo.of(quarter).instance(program=program)
        assert made.program is program and made.program.year == 2018
