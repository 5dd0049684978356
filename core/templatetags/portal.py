from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from core import formatting

register = template.Library()

# The portal's one formatter of each kind, as a template filter: {{ money|vnd }}, {{ count|num }},
# {{ day|vdate }} (dd/mm/yyyy), {{ moment|vdatetime }} (dd/mm/yyyy HH:MM in the portal's time zone).
register.filter("vnd", formatting.fmt_vnd)
register.filter("num", formatting.fmt_int)
register.filter("decimal", formatting.fmt_number)
register.filter("vdate", formatting.fmt_date)
register.filter("vdatetime", formatting.fmt_datetime)


@register.filter
def pct(value, decimals=1):
    return formatting.fmt_pct(value, int(decimals))


@register.filter
def qty(value, output):
    """A quantity of an output target with the output's unit (its English one under the English interface,
    when filled), money as money: {{ out.quantity|qty:out }}."""
    english = (get_language() or "vi").startswith("en") and getattr(output, "unit_en", "")
    return formatting.fmt_quantity(value, english or output.unit, money=output.is_money)


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
    return {
        "roles": shown,
        "year": year,
        "all_districts": len(districts) if collapse else 0,
        "districts_portal": collapse and all(r.is_portal_reading for r in districts),
    }


@register.simple_tag
def column_heads(label, *figures):
    """The head cells of a table of figures: the rows' label, then the figures' columns, aligned as
    numbers: {% column_heads _("Quý") _("Đã gửi") _("Đúng hạn") %}."""
    head = format_html('<th scope="col">{}</th>', label)
    return head + format_html_join("", '<th scope="col" class="num">{}</th>', ((f,) for f in figures))
