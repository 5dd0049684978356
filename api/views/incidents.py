"""Ad hoc incident reports for those who may read them, as their pages decide (incidents.selectors): DOLISA
reads every one, an agency those it filed and, for a district People's Committee, those in its district;
viewers have no incident list (404)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from incidents.models import Incident
from incidents.selectors import IncidentFilters, incident_for, incident_notes
from programs.selectors import program_frame

from ..selectors import incident_rows, program_district
from ..serializers.incidents import IncidentDetailSerializer, IncidentSerializer
from .base import ApiListView, ApiView, choice_param, code_param, quarter_param

TAGS = ["incidents"]


class IncidentFilterParams(serializers.Serializer):
    quarter = quarter_param()
    district = code_param("Mã huyện nơi xảy ra — District where it happened")
    agency = code_param("Mã cơ quan báo cáo — Agency that filed it")
    kind = choice_param(Incident.Kind.choices, "Loại vụ việc — Kind")
    status = choice_param(Incident.Status.choices, "Tình trạng — State")


@extend_schema(tags=TAGS, summary="Báo cáo đột xuất — Incidents", parameters=[IncidentFilterParams])
class IncidentList(ApiListView):
    """Các vụ việc xảy ra trong năm của chương trình (hoặc trong một quý) mà bạn được xem, mới nhất trước —
    The incidents you may read that occurred in the program's year (or one of its quarters), newest first."""

    serializer_class = IncidentSerializer

    def get_queryset(self):
        params = self.params(IncidentFilterParams)
        program = self.program()
        date_from, date_to = dt.date(program.year, 1, 1), dt.date(program.year, 12, 31)
        if "quarter" in params:
            quarter = next((q for q in program_frame(program=program).quarters if q.number == params["quarter"]), None)
            if quarter is None:
                raise Http404("No such quarter")
            date_from, date_to = quarter.start, quarter.end
        district = None
        if "district" in params:
            district = program_district(program=program, code=params["district"])
            if district is None:
                raise Http404("No such district")
        filters = IncidentFilters(kind=params.get("kind"), district=district, status=params.get("status"),
                                  date_from=date_from, date_to=date_to, agency_code=params.get("agency"))  # fmt: skip
        return incident_rows(user=self.request.user, filters=filters)


@extend_schema(tags=TAGS, summary="Một báo cáo đột xuất — One incident", responses={200: IncidentDetailSerializer})
class IncidentDetail(ApiView):
    """Một vụ việc với các ghi chú theo dõi — One incident with its follow-up notes."""

    def get(self, request, year: int, number: int):
        program = self.program()
        incident = incident_for(request.user, pk=number)
        if incident.occurred_on.year != program.year:
            raise Http404("Not in this program's year")
        notes = incident_notes(incident=incident)
        incident.note_count = len(notes)
        return Response(IncidentDetailSerializer({"incident": incident, "notes": notes}).data)
