"""Ad hoc incident reports: counts of children only, never a child's identity (incidents.models)."""

from __future__ import annotations

from rest_framework import serializers

from incidents.models import COUNT_FIELDS, Incident, IncidentNote


class IncidentSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True, help_text="Cơ quan báo cáo — Filed by")
    district = serializers.CharField(source="district.code", read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    filed_by = serializers.CharField(source="filed_by.get_username", read_only=True)
    closed_by = serializers.CharField(source="closed_by.get_username", read_only=True, allow_null=True, default=None)
    children = serializers.IntegerField(read_only=True, help_text="Số trẻ em — Children")
    note_count = serializers.IntegerField(read_only=True, help_text="Số ghi chú theo dõi — Follow-up notes")

    class Meta:
        model = Incident
        fields = [
            "id", "kind", "status", "occurred_on", "reported_at", "agency", "district", "commune", *COUNT_FIELDS,
            "children", "actions", "police_involved", "health_involved", "justice_involved", "other_involved",
            "other_involved_text", "needs", "filed_by", "closed_at", "closed_by", "note_count",
        ]  # fmt: skip


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_username", read_only=True)

    class Meta:
        model = IncidentNote
        fields = ["at", "author", "text"]


class IncidentDetailSerializer(serializers.Serializer):
    incident = IncidentSerializer(read_only=True)
    notes = NoteSerializer(many=True, read_only=True, help_text="Ghi chú theo dõi — Follow-up notes")
