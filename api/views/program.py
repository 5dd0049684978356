"""The program as the decision states it, as its pages show it to any signed-in user: the program, its
targets, activity groups, agencies, places and calendar (programs.selectors, cached with the structure)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from programs.models import AdminUnit, Agency
from programs.selectors import (
    agency_page,
    program_calendar,
    program_for_year,
    program_frame,
    program_overview,
    program_place_codes,
    program_years,
)

from ..selectors import program_district, program_units
from ..serializers.program import (
    ActivityGroupSerializer,
    AgencyDetailSerializer,
    AgencySerializer,
    CalendarSerializer,
    ProgramDetailSerializer,
    ProgramSerializer,
    TargetSerializer,
    UnitSerializer,
)
from .base import ApiListView, ApiView, choice_param, code_param

TAGS = ["program"]


@extend_schema(tags=TAGS, summary="Các chương trình — Programs")
class ProgramList(ApiListView):
    """Các chương trình theo năm của tỉnh — The province's programs, by year."""

    serializer_class = ProgramSerializer

    def get_queryset(self):
        return [
            program_for_year(year=year, user=self.request.user)
            for year in sorted(program_years(user=self.request.user))
        ]


@extend_schema(tags=TAGS, summary="Chương trình — Program", responses=ProgramDetailSerializer)
class ProgramDetail(ApiView):
    """Chương trình của một năm, căn cứ và nhiệm vụ chung — A year's program, its legal bases and general duties."""

    def get(self, request, year: int):
        return Response(ProgramDetailSerializer(program_overview(program=self.program())).data)


@extend_schema(tags=TAGS, summary="Mục tiêu và chỉ số — Targets and indicators")
class TargetList(ApiListView):
    """Sáu mục tiêu cụ thể và các chỉ số đo chúng — The six targets and their indicators."""

    serializer_class = TargetSerializer

    def get_queryset(self):
        return program_overview(program=self.program()).targets


@extend_schema(tags=TAGS, summary="Nhóm hoạt động — Activity groups")
class ActivityGroupList(ApiListView):
    """Các nhóm hoạt động, hoạt động, cơ quan chủ trì, phối hợp và chỉ tiêu đầu ra — Activity groups, their
    activities, who leads and supports them, and their output targets."""

    serializer_class = ActivityGroupSerializer

    def get_queryset(self):
        return program_overview(program=self.program()).groups


class AgencyFilters(serializers.Serializer):
    kind = choice_param(Agency.Kind.choices, "Cấp tỉnh hay huyện — Provincial or district")
    district = code_param("Mã huyện: UBND của huyện đó — District code: its People's Committee")


@extend_schema(tags=TAGS, summary="Cơ quan, đơn vị — Agencies", parameters=[AgencyFilters])
class AgencyList(ApiListView):
    """Các cơ quan, đơn vị có nhiệm vụ trong chương trình — The agencies with duties under the program."""

    serializer_class = AgencySerializer

    def get_queryset(self):
        params = self.params(AgencyFilters)
        frame = program_frame(program=self.program())
        district = next((d.pk for d in frame.districts if d.code == params.get("district")), None)
        return [
            a for a in frame.agencies
            if params.get("kind") in (None, a.kind) and ("district" not in params or a.unit_id == district)
        ]  # fmt: skip

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "codes": program_place_codes(program=self.program())}


@extend_schema(tags=TAGS, summary="Một cơ quan — One agency", responses=AgencyDetailSerializer)
class AgencyDetail(ApiView):
    """Nhiệm vụ, hoạt động chủ trì, phối hợp và chỉ số của một cơ quan — An agency's duties, activities and
    indicators."""

    def get(self, request, year: int, code: str):
        return Response(AgencyDetailSerializer(agency_page(program=self.program(), code=code)).data)


class UnitFilters(serializers.Serializer):
    level = choice_param(
        AdminUnit.Level.choices, "Cấp: 1 tỉnh, 2 huyện, 3 xã — Level: 1 province, 2 district, 3 commune"
    )
    district = code_param("Mã huyện: huyện đó và các xã của nó — District code: it and its communes")


@extend_schema(tags=TAGS, summary="Địa bàn — Administrative units", parameters=[UnitFilters])
class UnitList(ApiListView):
    """Tỉnh, các huyện (với số xã) và các xã theo địa giới ngày ban hành quyết định — The province, its districts
    (with their number of communes) and communes, as on the decision's day."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        params = self.params(UnitFilters)
        program = self.program()
        district = None
        if "district" in params:
            district = program_district(program=program, code=params["district"])
            if district is None:
                raise Http404("No such district")
        return program_units(program=program, level=params.get("level"), district=district)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "codes": program_place_codes(program=self.program())}


@extend_schema(tags=TAGS, summary="Lịch báo cáo — Calendar", responses=CalendarSerializer)
class Calendar(ApiView):
    """Các quý với hạn nhập số liệu, và các báo cáo gửi UBND tỉnh với hạn gửi — The quarters with their entry
    deadlines, and the reports to the People's Committee with their due dates."""

    def get(self, request, year: int):
        quarters, reports = program_calendar(program=self.program())
        return Response(CalendarSerializer({"quarters": quarters, "reports": reports}).data)
