from django import template
from django.utils.translation import get_language

from core import formatting

register = template.Library()


@register.filter
def vnd(value):
    return formatting.fmt_vnd(value)


@register.filter
def num(value):
    return formatting.fmt_int(value)


@register.filter
def pct(value, decimals=1):
    return formatting.fmt_pct(value, int(decimals))


@register.filter
def qty(value, output):
    """A quantity of an output target with the output's unit, money as money: {{ out.quantity|qty:out }}."""
    return formatting.fmt_quantity(value, output.unit, money=output.is_money)


@register.simple_tag
def tr(obj, field):
    """The English variant of a field (`<field>_en`) under the English interface when it is
    filled; the decision's Vietnamese wording otherwise."""
    if (get_language() or "vi").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


@register.inclusion_tag("programs/_role_badges.html")
def role_badges(activity, year, district_total):
    """Lead and support badges for an activity (a snapshot of the program's structure, with its roles);
    when every district People's Committee supports it, one badge stands for all of them instead of eleven."""
    roles = list(activity.roles)
    districts = [r for r in roles if r.agency.kind == "district" and r.role == "support"]
    collapse = district_total and len(districts) == district_total
    shown = [r for r in roles if not (collapse and r in districts)]
    return {"roles": shown, "year": year, "all_districts": len(districts) if collapse else 0}


@register.filter
def vdate(value):
    """A date as dd/mm/yyyy (core.formatting.fmt_date)."""
    return formatting.fmt_date(value)


@register.filter
def vdatetime(value):
    """A moment as dd/mm/yyyy HH:MM in the portal's time zone (core.formatting.fmt_datetime)."""
    return formatting.fmt_datetime(value)
