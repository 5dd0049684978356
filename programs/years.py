"""A program year made from the last one, DOLISA's edits of it, and its publication.

DOLISA creates next year's program from the current one (`program_next_year`): the current program is
exported as its data file (programs.exchange), its dates moved a year on (programs.calendar.shift_years),
the new decision's number, date and signer put in, and the file loaded as a **draft** that only DOLISA
sees (programs.selectors.program_for_year). DOLISA then changes it on the editor pages — a target's
goal, an activity, an output, who leads or supports — and publishes it (`program_publish`), after which
the agencies see their new forms.

The structure may still change after publishing. Nothing reported is lost: an item taken out of the year
is archived, not deleted (core.models.Archivable: the reported values still point at it, its history
stays, and last year's program, a separate set of rows, is never touched). Every change is a model save
(django-simple-history keeps it, with its author), moves the structure version (the cached structure, the
forms) and the program's data version (the figures cached under it). An edit form carries the version it
was made from (the row's last history id): a change made meanwhile by someone else is refused, not lost.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from core import dataversion, structureversion
from targets.models import Indicator, Target

from .calendar import shift_years
from .exchange import program_export
from .models import Agency, Program
from .selectors import program_district_agencies
from .services import program_load


def row_version(obj) -> int:
    """The version an edit form is made from: the row's last history record."""
    last = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return last or 0


def _check_version(obj, version: int) -> None:
    if row_version(obj) != version:
        raise ValidationError(
            _("Mục này vừa được người khác sửa. Vui lòng tải lại trang để xem nội dung mới trước khi sửa."),
            code="stale",
        )


def _changed(program_id: int) -> None:
    structureversion.bump_on_commit()
    dataversion.bump(program_id)


# ------------------------------------------------------------------------------------------------
# The next year
# ------------------------------------------------------------------------------------------------
def program_next_year_data(*, source: Program, decision_number: str, decision_date: dt.date,
                           signer_name: str, signer_title: str) -> dict[str, Any]:  # fmt: skip
    """The data file of the year after `source`: `source` as it stands (items taken out left out), its
    dates a year on, the new decision's number, date and signer, as a draft."""
    data = copy.deepcopy(program_export(program=source))
    year = source.year + 1
    p = data["program"]
    p.update(
        year=year,
        status=Program.Status.DRAFT,
        title=p["title"].replace(str(source.year), str(year)),
        decision_number=decision_number,
        decision_date=decision_date,
        signer_name=signer_name,
        signer_title=signer_title,
    )
    if p.get("title_en"):
        p["title_en"] = p["title_en"].replace(str(source.year), str(year))
    for q in data["calendar"]["quarters"]:
        for name in ("start", "end", "entry_deadline"):
            q[name] = shift_years(q[name], 1)
    for r in data["calendar"]["reports"]:
        r["due_date"] = shift_years(r["due_date"], 1)
    return data


@transaction.atomic
def program_next_year(*, source: Program, decision_number: str, decision_date: dt.date,
                      signer_name: str, signer_title: str) -> Program:  # fmt: skip
    """Create next year's program from `source`, as a draft for DOLISA to edit and publish."""
    year = source.year + 1
    if Program.objects.filter(province_id=source.province_id, year=year).exists():
        raise ValidationError(_("Chương trình năm %(y)s đã có.") % {"y": year}, code="exists")
    if decision_date.year not in (source.year, year):
        raise ValidationError(
            {"decision_date": _("Ngày quyết định phải thuộc năm %(a)s hoặc %(b)s.") % {"a": source.year, "b": year}}
        )
    data = program_next_year_data(
        source=source, decision_number=decision_number.strip(), decision_date=decision_date,
        signer_name=signer_name.strip(), signer_title=signer_title.strip(),
    )  # fmt: skip
    program, _report = program_load(data=data)
    _changed(program.pk)
    return program


@transaction.atomic
def program_publish(*, program: Program) -> Program:
    """Publish a draft year: the agencies see their forms of it from now on."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not program.is_draft:
        raise ValidationError(_("Chương trình này đã được ban hành."), code="published")
    if not Target.objects.filter(program=program).exists():
        raise ValidationError(_("Chương trình phải có ít nhất một mục tiêu."), code="empty")
    unmeasured = Target.objects.filter(program=program).exclude(indicators__archived=False).order_by("number")
    if unmeasured.exists():
        numbers = ", ".join(str(n) for n in unmeasured.values_list("number", flat=True))
        raise ValidationError(_("Các mục tiêu sau chưa có chỉ số nào: %(n)s.") % {"n": numbers}, code="indicator")
    leaderless = Activity.objects.filter(group__program=program).exclude(roles__role=ActivityRole.Role.LEAD)
    if leaderless.exists():
        codes = ", ".join(leaderless.values_list("code", flat=True)[:5])
        raise ValidationError(_("Các hoạt động sau chưa có cơ quan chủ trì: %(c)s.") % {"c": codes}, code="lead")
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status"])
    _changed(program.pk)
    return program


# ------------------------------------------------------------------------------------------------
# Targets
# ------------------------------------------------------------------------------------------------
def _goal_check(goal: Decimal) -> None:
    if not Decimal(0) <= goal <= Decimal(100):
        raise ValidationError({"goal": _("Chỉ tiêu phải từ 0 đến 100%.")})


@transaction.atomic
def target_add(*, program: Program, number: int, text: str, text_en: str, goal: Decimal) -> Target:
    """A new target of the year, its wording in Vietnamese and English; it is measured by the indicators
    added to it (publishing asks for at least one)."""
    _goal_check(goal)
    if Target.all_objects.filter(program=program, number=number).exists():
        raise ValidationError(
            {"number": _("Số mục tiêu %(n)s đã dùng trong chương trình này (kể cả mục tiêu đã gỡ).") % {"n": number}}
        )
    target = Target(program=program, number=number, text=text.strip(), text_en=text_en.strip(), goal=goal)
    target.full_clean(validate_constraints=False)
    target.save()
    _changed(program.pk)
    return target


@transaction.atomic
def indicator_add(*, target: Target, code: str, name: str, name_en: str, numerator_label: str,
                  denominator_label: str, goal: Decimal) -> Indicator:  # fmt: skip
    """A new indicator of a target: the districts report its numerator and denominator (as the decision's
    figures indicators), from the next form on. Its code is the program's: the years are matched by it."""
    code = code.strip()
    _goal_check(goal)
    if Indicator.all_objects.filter(target__program_id=target.program_id, code=code).exists():
        raise ValidationError({"code": _("Mã chỉ số “%(c)s” đã dùng trong chương trình này.") % {"c": code}})
    last = Indicator.all_objects.filter(target=target).order_by("-order").values_list("order", flat=True).first()
    indicator = Indicator(
        target=target, code=code, name=name.strip(), name_en=name_en.strip(), numerator_label=numerator_label.strip(),
        denominator_label=denominator_label.strip(), goal=goal, input=Indicator.Input.FIGURES, order=(last or 0) + 1,
    )  # fmt: skip
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    indicator.reporters.set(program_district_agencies(program=target.program))
    _changed(target.program_id)
    return indicator


@transaction.atomic
def target_update(*, target: Target, text: str, goal: Decimal, indicator_goals: dict[str, Decimal],
                  version: int) -> Target:  # fmt: skip
    """A target's wording and goal, and its indicators' goals (each in %, 0–100)."""
    target = Target.objects.select_for_update().get(pk=target.pk)
    _check_version(target, version)
    for value in (goal, *indicator_goals.values()):
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError(_("Chỉ tiêu phải từ 0 đến 100%."), code="range")
    if not text.strip():
        raise ValidationError({"text": _("Nội dung mục tiêu không được để trống.")})
    target.text, target.goal = text.strip(), goal
    target.save(update_fields=["text", "goal"])
    for indicator in target.indicators.all():
        new = indicator_goals.get(indicator.code, indicator.goal)
        if new != indicator.goal:
            indicator.goal = new
            indicator.save(update_fields=["goal"])
    _changed(target.program_id)
    return target


@transaction.atomic
def target_remove(*, target: Target) -> None:
    """Take a target (and its indicators) out of the year; its reported figures stay."""
    target.archived = True
    target.save(update_fields=["archived"])
    for indicator in target.indicators.all():
        indicator.archived = True
        indicator.save(update_fields=["archived"])
    _changed(target.program_id)


# ------------------------------------------------------------------------------------------------
# Activities, outputs, assignments
# ------------------------------------------------------------------------------------------------
@transaction.atomic
def activity_add(*, group: ActivityGroup, code: str, text: str, lead: Agency) -> Activity:
    """A new activity in a group, with the agency that leads it."""
    code = code.strip()
    if Activity.all_objects.filter(group__program_id=group.program_id, code=code).exists():
        raise ValidationError({"code": _("Mã hoạt động “%(c)s” đã dùng trong chương trình này.") % {"c": code}})
    last = Activity.all_objects.filter(group=group).order_by("-order").values_list("order", flat=True).first()
    activity = Activity(group=group, code=code, text=text.strip(), order=(last or 0) + 1)
    activity.full_clean(validate_constraints=False)
    activity.save()
    ActivityRole.objects.create(activity=activity, agency=lead, role=ActivityRole.Role.LEAD)
    _changed(group.program_id)
    return activity


@transaction.atomic
def activity_remove(*, activity: Activity) -> None:
    """Take an activity out of the year: it and its outputs are archived (their reported progress stays),
    the agencies' assignments to it end (each kept in history)."""
    activity.archived = True
    activity.save(update_fields=["archived"])
    for output in activity.outputs.all():
        output.archived = True
        output.save(update_fields=["archived"])
    for role in activity.roles.all():
        role.delete()
    _changed(activity.group.program_id)


def _output_check(*, quantity: int, unit: str, label: str) -> None:
    if quantity < 0:
        raise ValidationError({"quantity": _("Số lượng kế hoạch không được âm.")})
    if not label.strip() or not unit.strip():
        raise ValidationError(_("Cần nhập tên chỉ tiêu đầu ra và đơn vị tính."), code="required")


@transaction.atomic
def output_add(*, activity: Activity, code: str, label: str, quantity: int, unit: str,
               aggregation: str) -> OutputTarget:  # fmt: skip
    """A new output target of an activity."""
    code = code.strip()
    _output_check(quantity=quantity, unit=unit, label=label)
    if OutputTarget.all_objects.filter(activity=activity, code=code).exists():
        raise ValidationError({"code": _("Mã chỉ tiêu “%(c)s” đã dùng trong hoạt động này.") % {"c": code}})
    last = OutputTarget.all_objects.filter(activity=activity).order_by("-order").values_list("order", flat=True).first()
    output = OutputTarget(activity=activity, code=code, label=label.strip(), quantity=quantity, unit=unit.strip(),
                          aggregation=aggregation, order=(last or 0) + 1)  # fmt: skip
    output.full_clean(validate_constraints=False)
    output.save()
    _changed(activity.group.program_id)
    return output


@transaction.atomic
def output_update(*, output: OutputTarget, label: str, quantity: int, unit: str, version: int) -> OutputTarget:
    """An output target's wording, quantity and unit."""
    output = OutputTarget.objects.select_for_update().get(pk=output.pk)
    _check_version(output, version)
    _output_check(quantity=quantity, unit=unit, label=label)
    output.label, output.quantity, output.unit = label.strip(), quantity, unit.strip()
    output.save(update_fields=["label", "quantity", "unit"])
    _changed(output.activity.group.program_id)
    return output


@transaction.atomic
def output_remove(*, output: OutputTarget) -> None:
    """Take an output target out of the year; its reported progress stays."""
    output.archived = True
    output.save(update_fields=["archived"])
    _changed(output.activity.group.program_id)


@transaction.atomic
def role_add(*, activity: Activity, agency: Agency, role: str) -> ActivityRole:
    """Assign an agency to lead or support an activity."""
    if activity.roles.filter(agency=agency).exists():
        raise ValidationError({"agency": _("Cơ quan này đã được giao hoạt động này.")})
    assignment = ActivityRole.objects.create(activity=activity, agency=agency, role=role)
    _changed(activity.group.program_id)
    return assignment


@transaction.atomic
def role_remove(*, role: ActivityRole) -> None:
    """End an agency's assignment to an activity; an activity keeps at least one agency that leads it."""
    others = role.activity.roles.filter(role=ActivityRole.Role.LEAD).exclude(pk=role.pk)
    if role.role == ActivityRole.Role.LEAD and not others.exists():
        raise ValidationError(_("Hoạt động phải có ít nhất một cơ quan chủ trì."), code="lead")
    role.delete()
    _changed(role.activity.group.program_id)
