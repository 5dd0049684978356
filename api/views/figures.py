"""The figures of a cut, read as the dashboard reads them: its query string parsed and scoped by
dashboards.filters.filters_parse (a reporter sees its own agency; viewers accepted figures only), computed
by dashboards.figures.figures_compute, the selector the dashboard and the provincial reports use."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dashboards.figures import figures_compute
from dashboards.filters import CUT_QUARTER, CUT_YTD, filters_parse

from ..serializers.figures import FiguresSerializer
from .base import ApiView


class FiguresParams(serializers.Serializer):
    """The dashboard's query string (documented here; read by dashboards.filters)."""

    cut = serializers.ChoiceField(
        choices=[(CUT_YTD, "Lũy kế từ đầu năm — Year to date"), (CUT_QUARTER, "Riêng một quý — One quarter")],
        required=False, help_text="Kỳ số liệu (mặc định: lũy kế) — The cut (default: year to date)",
    )  # fmt: skip
    quarter = serializers.IntegerField(
        required=False, help_text="Quý (mặc định: quý hiện tại) — Quarter (default: the current one)"
    )
    pending = serializers.ChoiceField(
        choices=[("1", "Gồm báo cáo đã gửi, chưa duyệt — Count submitted reports not yet accepted")],
        required=False, help_text="Chỉ cán bộ Sở và cơ quan; không áp dụng cho lãnh đạo UBND — Not for viewers",
    )  # fmt: skip
    district = serializers.CharField(required=False, help_text="Mã huyện — District code")
    agency = serializers.CharField(required=False, help_text="Mã cơ quan — Agency code")


@extend_schema(tags=["figures"], summary="Số liệu của một kỳ — Figures of a cut", parameters=[FiguresParams],
               responses=FiguresSerializer)  # fmt: skip
class Figures(ApiView):
    """Số liệu như Bảng điều khiển cho cùng bộ lọc, từng con số — The dashboard's figures for the same filters,
    number for number. A value the dashboard would ignore (an unknown code, a bad quarter) is ignored here
    too, with a message in `warnings`; a reporter naming another agency gets 404, as on the dashboard."""

    def get(self, request, year: int):
        filters, warnings = filters_parse(user=request.user, program=self.program(), params=request.query_params)
        figures = figures_compute(cut=filters.cut())
        shown = filters.shows_targets  # a provincial agency has no targets, districts or budget
        body = {
            "cut": filters,
            "warnings": warnings,
            "targets": figures.targets if shown else [],
            "outputs": _outputs(figures),
            "activities": [a for g in figures.groups for a in g.activities],
            "compliance": figures.compliance,
            "budget": figures.budget if shown else [],
            "difficulties": figures.difficulties,
            "proposals": figures.proposals,
        }
        group_codes = {g.group.pk: g.group.code for g in figures.groups}
        return Response(FiguresSerializer(body, context={"cut": figures.cut, "group_codes": group_codes}).data)


def _outputs(figures) -> list[dict]:
    """The cut's output targets as the dashboard lists them: for a district, its own duties with its share
    of its own plan only where the program names one (Figures.district), never of the province's plan."""
    if figures.district is not None:
        return [
            {"group": d.group.group.code, "activity": d.activity.activity.code, "figures": d.figures,
             "share": d.share, "district_plan": d.plan, "plan_basis": d.basis}
            for d in figures.district.outputs
        ]  # fmt: skip
    return [
        {"group": g.group.code, "activity": a.activity.code, "figures": o, "share": o.share, "district_plan": None,
         "plan_basis": None}
        for g, a, o in figures.scoped_outputs()
    ]  # fmt: skip
