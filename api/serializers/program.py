"""The program as the decision states it: targets and indicators, activity groups with their activities
and output targets, agencies, administrative units and the calendar. Everything is named by its code."""

from __future__ import annotations

from rest_framework import serializers

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Program, ProvincialReport, Quarter
from programs.selectors import program_place_codes
from targets.models import Indicator, Target


class ProgramSerializer(serializers.ModelSerializer):
    province = serializers.SerializerMethodField(help_text="Mã tỉnh — Province code")

    class Meta:
        model = Program
        fields = [
            "year", "province", "title", "title_en", "decision_number", "decision_date", "issuing_body",
            "signer_title", "signer_name", "general_objective", "district_budget_floor", "commune_budget_floor",
            "budget_text", "provincial_budget_text",
        ]  # fmt: skip

    def get_province(self, program) -> str:
        return program_place_codes(program=program)[program.province_id]


class ProgramDetailSerializer(serializers.Serializer):
    """The program with its legal bases and the duties every agency carries (from the overview)."""

    program = ProgramSerializer(read_only=True)
    legal_bases = serializers.SerializerMethodField(help_text="Căn cứ pháp lý — Legal bases")
    general_duties = serializers.SerializerMethodField(help_text="Nhiệm vụ chung — Duties of every agency")
    commune_total = serializers.IntegerField(read_only=True, help_text="Tổng số xã — Number of communes")

    def get_legal_bases(self, overview) -> list[str]:
        return [b.text for b in overview.legal_bases]

    def get_general_duties(self, overview) -> list[str]:
        return [d.text for d in overview.general_duties]


class IndicatorSerializer(serializers.ModelSerializer):
    data_holders = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Ngành phụ trách số liệu — Agencies holding the data"
    )

    class Meta:
        model = Indicator
        fields = ["code", "name", "numerator_label", "denominator_label", "goal", "input", "flag", "data_holders"]


class TargetSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = ["number", "text", "text_en", "goal", "indicators"]


class RoleSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True, help_text="Mã cơ quan — Agency code")

    class Meta:
        model = ActivityRole
        fields = ["agency", "role"]


class OutputTargetSerializer(serializers.ModelSerializer):
    units = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Địa bàn được giao — Places named (unit codes)"
    )

    class Meta:
        model = OutputTarget
        fields = ["code", "label", "quantity", "unit", "aggregation", "units", "note"]


class ActivitySerializer(serializers.ModelSerializer):
    roles = RoleSerializer(many=True, read_only=True, help_text="Chủ trì, phối hợp — Who leads and who supports")
    outputs = OutputTargetSerializer(many=True, read_only=True, help_text="Chỉ tiêu đầu ra — Output targets")

    class Meta:
        model = Activity
        fields = ["code", "text", "roles", "outputs"]


class ActivityGroupSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True, read_only=True)

    class Meta:
        model = ActivityGroup
        fields = ["code", "part", "number", "title", "short_title", "short_title_en", "legal_basis", "activities"]


class AgencySerializer(serializers.ModelSerializer):
    unit = serializers.SerializerMethodField(help_text="Địa bàn (mã) — Place (unit code)")

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "name_en", "kind", "unit"]

    def get_unit(self, agency) -> str:
        """The agency's place by code: from the view's map of the program's units (an agency of the
        structure cache holds the unit's id only), or from the unit itself."""
        codes = self.context.get("codes")
        return codes[agency.unit_id] if codes is not None else agency.unit.code


class AgencyDetailSerializer(serializers.Serializer):
    """An agency's duties, the activities it leads or supports, the indicators it reports (its page)."""

    agency = AgencySerializer(read_only=True)
    duties = serializers.SerializerMethodField(help_text="Nhiệm vụ — Duties")
    lead = serializers.SerializerMethodField(help_text="Hoạt động chủ trì (mã) — Activities it leads (codes)")
    support = serializers.SerializerMethodField(help_text="Hoạt động phối hợp (mã) — Activities it supports (codes)")
    indicators = serializers.SerializerMethodField(help_text="Chỉ số báo cáo (mã) — Indicators it reports (codes)")

    def get_duties(self, page) -> list[str]:
        return [d.text for d in page.duties]

    def get_lead(self, page) -> list[str]:
        return [a.code for a in page.lead]

    def get_support(self, page) -> list[str]:
        return [a.code for a in page.support]

    def get_indicators(self, page) -> list[str]:
        return [i.code for i in page.indicators]


class UnitSerializer(serializers.ModelSerializer):
    """A unit with its parent's code; the parents' codes come in the context ("codes": {id: code})."""

    parent = serializers.SerializerMethodField(help_text="Mã đơn vị cấp trên — Parent unit code")
    commune_count = serializers.SerializerMethodField(help_text="Số xã (cấp huyện) — Communes (districts only)")

    class Meta:
        model = AdminUnit
        fields = ["code", "name", "short_name", "kind", "level", "parent", "commune_count"]

    def get_parent(self, unit) -> str | None:
        return self.context["codes"].get(unit.parent_id)

    def get_commune_count(self, unit) -> int | None:
        return getattr(unit, "commune_count", None)


class QuarterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Quarter
        fields = ["number", "start", "end", "entry_deadline"]


class ProvincialReportSerializer(serializers.ModelSerializer):
    quarters = serializers.SerializerMethodField(help_text="Các quý báo cáo — Quarters covered")

    class Meta:
        model = ProvincialReport
        fields = ["kind", "due_date", "quarters"]

    def get_quarters(self, report) -> list[int]:
        return sorted(q.number for q in report.quarters)


class CalendarSerializer(serializers.Serializer):
    quarters = QuarterSerializer(many=True, read_only=True, help_text="Các quý và hạn nhập — Quarters, entry deadlines")
    reports = ProvincialReportSerializer(many=True, read_only=True, help_text="Báo cáo UBND tỉnh — Reports to the PPC")
