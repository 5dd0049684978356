"""The names of the quarterly form's fields, and the form's data read from stored values: one place
for the form, its template, the services that save it, the Excel round trip and the demo data."""

from __future__ import annotations

from .selectors import FormSpec, Values


def ind_field(indicator_id: int, part: str) -> str:
    return f"ind-{indicator_id}-{part}"


def commune_field(commune_id: int, flag: str) -> str:
    """A commune's tick for `flag`, or its budget for the year (flag "budget")."""
    return f"com-{commune_id}-{flag}"


COMMUNE_BUDGET = "budget"  # the CommuneStatus field of a commune's budget, also its form field's suffix


def act_field(activity_id: int, part: str) -> str:
    return f"act-{activity_id}-{part}"


def out_field(output_id: int) -> str:
    return f"out-{output_id}"


ACT_NUMBERS = ("boys", "girls", "money")
ACT_TEXTS = ("account", "difficulties", "proposals")


def initial_from(*, spec: FormSpec, values: Values, submission) -> dict:
    """The form's initial data from stored values."""
    initial: dict = {"version": submission.version if submission is not None else 0}
    for ind in spec.indicators:
        v = values.indicators.get(ind.pk)
        initial[ind_field(ind.pk, "num")] = v.numerator if v else None
        initial[ind_field(ind.pk, "den")] = v.denominator if v else None
    for commune in spec.communes:
        cs = values.communes.get(commune.pk)
        for flag in spec.flags:
            initial[commune_field(commune.pk, flag)] = bool(cs and getattr(cs, flag))
        if spec.reports_budget:
            initial[commune_field(commune.pk, COMMUNE_BUDGET)] = cs.budget if cs else None
    for item in spec.activities:
        p = values.activities.get(item.activity.pk)
        a = item.activity.pk
        initial[act_field(a, "status")] = p.status if p else ""
        initial[act_field(a, "boys")] = p.children_boys if p else None
        initial[act_field(a, "girls")] = p.children_girls if p else None
        initial[act_field(a, "money")] = p.money_spent if p else None
        for t in ACT_TEXTS:
            initial[act_field(a, t)] = getattr(p, t) if p else ""
        for out in item.outputs:
            o = values.outputs.get(out.pk)
            initial[out_field(out.pk)] = o.quantity if o else None
    if submission is not None:
        for name in ("district_budget", "communes_checked", "difficulties", "proposals", "change_explanation"):
            initial[name] = getattr(submission, name)
    return initial
