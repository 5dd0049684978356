"""The figures of a cut, as dashboards.figures.figures_compute computes them for the dashboard and the
provincial reports. Percentages are rounded to one decimal as the dashboard's exports write them
(dashboards.tables.pct_cell); numerators and denominators are exact."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dashboards.figures import Standing
from dashboards.tables import pct_cell
from reporting.models import ActivityProgress


@extend_schema_field({"type": "number", "nullable": True})
class PercentField(serializers.Field):
    """A percentage rounded to one decimal (half up), or null when there is nothing to divide by."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> float | None:
        return pct_cell(value)


def _code(obj) -> str | None:
    return obj.code if obj is not None else None


class StandingField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Standing.choices, read_only=True, **kwargs)


class CutSerializer(serializers.Serializer):
    year = serializers.IntegerField(source="program.year")
    quarter = serializers.IntegerField(help_text="Quý cuối của kỳ — Last quarter of the cut")
    year_to_date = serializers.BooleanField(help_text="Lũy kế từ đầu năm — Year to date")
    include_pending = serializers.BooleanField(help_text="Gồm báo cáo chưa duyệt — Submitted, not yet accepted, count")
    district = serializers.SerializerMethodField(help_text="Mã huyện — District code")
    agency = serializers.SerializerMethodField(help_text="Mã cơ quan — Agency code")
    quarters = serializers.SerializerMethodField(help_text="Các quý của kỳ — Quarters of the cut")
    label = serializers.CharField(source="cut_label")
    counting = serializers.CharField(source="counting_label")
    scope = serializers.CharField(source="scope_label")
    shows_targets = serializers.BooleanField(
        help_text="Có mục tiêu, huyện, kinh phí (không có khi lọc một cơ quan cấp tỉnh) — "
        "Targets, districts and budget apply (not for a provincial agency)"
    )

    def get_district(self, filters) -> str | None:
        return _code(filters.district)

    def get_agency(self, filters) -> str | None:
        return _code(filters.agency)

    def get_quarters(self, filters) -> list[int]:
        return [q.number for q in self.context["cut"].quarters]


class RatioSerializer(serializers.Serializer):
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = PercentField(allow_null=True, help_text="Tỷ lệ (%) — Percentage")


class CourseSerializer(RatioSerializer):
    quarter = serializers.IntegerField()


class DistrictCellSerializer(serializers.Serializer):
    district = serializers.CharField(source="district.code")
    agency = serializers.SerializerMethodField(help_text="UBND huyện báo cáo — Reporting People's Committee")
    numerator = serializers.IntegerField(source="ratio.numerator", allow_null=True, default=None)
    denominator = serializers.IntegerField(source="ratio.denominator", allow_null=True, default=None)
    value = PercentField(source="ratio.value", allow_null=True, default=None)
    standing = StandingField()
    quarter = serializers.SerializerMethodField(help_text="Số liệu của quý — Quarter of the figure")

    def get_agency(self, cell) -> str | None:
        return _code(cell.agency)

    def get_quarter(self, cell) -> int | None:
        return cell.quarter.number if cell.ratio is not None and cell.quarter is not None else None


class IndicatorFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    goal = serializers.DecimalField(source="indicator.goal", max_digits=5, decimal_places=2)
    numerator = serializers.IntegerField(source="province.numerator")
    denominator = serializers.IntegerField(source="province.denominator")
    value = PercentField(allow_null=True, help_text="Kết quả toàn tỉnh (%) — Province's value")
    standing = StandingField()
    reporting = serializers.IntegerField(help_text="Số huyện có số liệu — Districts with a figure")
    by_quarter = serializers.SerializerMethodField(help_text="Diễn biến theo quý — Quarter by quarter")
    districts = DistrictCellSerializer(many=True)

    @extend_schema_field(CourseSerializer(many=True))
    def get_by_quarter(self, figures):
        rows = [{"quarter": q.number, "numerator": r.numerator, "denominator": r.denominator, "value": r.value}
                for q, r in figures.by_quarter]  # fmt: skip
        return CourseSerializer(rows, many=True).data


class TargetFiguresSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="target.number")
    text = serializers.CharField(source="target.text")
    standing = StandingField()
    indicators = IndicatorFiguresSerializer(many=True)


class ContributionSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    value = serializers.IntegerField()


class OutputFiguresSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="Mã nhóm hoạt động — Activity group code")
    activity = serializers.CharField(help_text="Mã hoạt động — Activity code")
    code = serializers.CharField(source="figures.output.code")
    label = serializers.CharField(source="figures.output.label")
    unit = serializers.CharField(source="figures.output.unit")
    planned = serializers.IntegerField(source="figures.output.quantity", help_text="Kế hoạch năm — Planned")
    achieved = serializers.IntegerField(source="figures.achieved", help_text="Thực hiện — Achieved")
    share = PercentField(
        allow_null=True,
        help_text="Tỷ lệ (%) so với kế hoạch; với một huyện, so với kế hoạch riêng của huyện (null nếu chương trình "
        "không giao riêng) — Share of the plan; for a district, of its own plan (null where the program sets none)",
    )
    district_plan = serializers.IntegerField(
        allow_null=True,
        help_text="Kế hoạch riêng của huyện, khi lọc theo một huyện và chương trình nêu riêng — A district's own "
        "plan, when the cut is one district's and the program names one",
    )
    plan_basis = serializers.CharField(
        allow_null=True,
        help_text="Căn cứ kế hoạch của huyện: named, each, communes, rate — Where the district's plan comes from",
    )
    aggregation = serializers.CharField(source="figures.output.aggregation")
    contributions = ContributionSerializer(source="figures.contributions", many=True)


class ActivityFiguresSerializer(serializers.Serializer):
    group = serializers.SerializerMethodField(help_text="Mã nhóm hoạt động — Activity group code")
    code = serializers.CharField(source="activity.code")
    statuses = serializers.SerializerMethodField(help_text="Số đơn vị theo tình trạng — Agencies by state")
    children_boys = serializers.IntegerField()
    children_girls = serializers.IntegerField()
    money = serializers.IntegerField(help_text="Kinh phí đã chi (đồng) — Money spent (VND)")

    def get_group(self, figures) -> str:
        """The activity's group by code, from the view's map (an activity of the structure cache holds its
        group's id only)."""
        return self.context["group_codes"][figures.activity.group_id]

    def get_statuses(self, figures) -> dict[str, int]:
        return {key: figures.statuses.get(key, 0) for key in ActivityProgress.Status.values}


class ComplianceSerializer(serializers.Serializer):
    quarter = serializers.IntegerField(source="quarter.number")
    entry_deadline = serializers.DateField(source="quarter.entry_deadline")
    due = serializers.BooleanField(help_text="Đã đến hạn — Deadline passed")
    expected = serializers.SerializerMethodField(help_text="Số đơn vị phải báo cáo — Agencies expected")
    submitted = serializers.IntegerField()
    on_time = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    days_late_total = serializers.IntegerField()
    rate = PercentField(allow_null=True, help_text="Tỷ lệ báo cáo (%) — Reporting rate")
    timeliness = PercentField(allow_null=True, help_text="Tỷ lệ đúng hạn (%) — On-time rate")
    late_agencies = serializers.SerializerMethodField()
    missing_agencies = serializers.SerializerMethodField()
    requested_sent = serializers.SerializerMethodField(
        help_text="Cơ quan được đề nghị phối hợp (VIII.2.10) đã gửi, không tính trễ hạn — Requested bodies that sent"
    )
    requested_missing = serializers.SerializerMethodField(
        help_text="Cơ quan được đề nghị phối hợp chưa gửi — Requested bodies that have not sent"
    )

    def get_expected(self, row) -> int:
        return len(row.expected)

    def get_on_time(self, row) -> int:
        return len(row.on_time)

    def get_late(self, row) -> int:
        return len(row.late)

    def get_missing(self, row) -> int:
        return len(row.missing)

    def get_late_agencies(self, row) -> list[str]:
        return [s.agency.code for s in row.late]

    def get_missing_agencies(self, row) -> list[str]:
        return [a.code for a in row.missing]

    def get_requested_sent(self, row) -> list[str]:
        return [s.agency.code for s in row.requested_sent]

    def get_requested_missing(self, row) -> list[str]:
        return [a.code for a in row.requested_missing]


class CommuneBudgetSerializer(serializers.Serializer):
    commune = serializers.CharField(source="name", help_text="Xã — Commune")
    amount = serializers.IntegerField(help_text="Kinh phí bố trí (đồng) — Allocated (VND)")


class BudgetSerializer(serializers.Serializer):
    """A district's budget for the year against the decision's floors (VII.2): its own, and each of its
    communes' (the communes' total is their sum; the communes below the floor per commune are named)."""

    district = serializers.CharField(source="district.code")
    agency = serializers.SerializerMethodField()
    communes = serializers.IntegerField()
    district_budget = serializers.IntegerField(allow_null=True)
    district_floor = serializers.IntegerField()
    district_shortfall = serializers.IntegerField(allow_null=True)
    district_standing = StandingField()
    communes_budget = serializers.IntegerField(allow_null=True)
    communes_floor = serializers.IntegerField()
    communes_shortfall = serializers.IntegerField(allow_null=True)
    communes_standing = StandingField()
    communes_reported = serializers.IntegerField(help_text="Số xã đã báo cáo — Communes reported")
    communes_below = CommuneBudgetSerializer(
        source="below", many=True, help_text="Xã dưới mức tối thiểu — Communes below the floor"
    )
    standing = StandingField(help_text="Đánh giá chung — Overall standing")
    quarter = serializers.SerializerMethodField(help_text="Số liệu của quý — Quarter of the figure")

    def get_agency(self, row) -> str | None:
        return _code(row.agency)

    def get_quarter(self, row) -> int | None:
        return row.quarter.number if row.quarter is not None else None


class AccountSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.code")
    quarter = serializers.IntegerField(source="quarter.number")
    activity = serializers.SerializerMethodField()
    text = serializers.CharField()

    def get_activity(self, account) -> str | None:
        return _code(account.activity)


class FiguresSerializer(serializers.Serializer):
    """What the endpoint answers: {"cut", "warnings", "targets", ...}, built by api.views.figures."""

    cut = CutSerializer()
    warnings = serializers.ListField(child=serializers.CharField(), help_text="Bộ lọc bị bỏ qua — Ignored filters")
    targets = TargetFiguresSerializer(many=True, help_text="Mục tiêu, chỉ số — Targets and indicators")
    outputs = OutputFiguresSerializer(many=True, help_text="Chỉ tiêu đầu ra — Output targets")
    activities = ActivityFiguresSerializer(many=True, help_text="Hoạt động — Activities")
    compliance = ComplianceSerializer(many=True, help_text="Tình hình báo cáo — Reporting")
    budget = BudgetSerializer(many=True, help_text="Kinh phí — Budget")
    difficulties = AccountSerializer(many=True, help_text="Khó khăn, vướng mắc — Difficulties")
    proposals = AccountSerializer(many=True, help_text="Đề xuất, kiến nghị — Proposals")
