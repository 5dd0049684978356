"""Compiled provincial reports: each report with the versions the user may see, and a version's files."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from documents.models import ReportVersion


class FileSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="Địa chỉ tải tệp — Download address")
    sha256 = serializers.CharField()
    size = serializers.IntegerField(help_text="Dung lượng (byte) — Size (bytes)")


class FilesSerializer(serializers.Serializer):
    pdf = FileSerializer(help_text="Báo cáo PDF — The report (PDF)")
    xlsx = FileSerializer(help_text="Phụ lục Excel — The Excel annex")


class VersionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="report.kind", read_only=True)
    document_number = serializers.CharField(source="doc_symbol", read_only=True, help_text="Số văn bản — Number")
    files = serializers.SerializerMethodField(help_text="Tệp của bản đã hoàn thành — Files of a finished version")

    class Meta:
        model = ReportVersion
        fields = [
            "kind", "number", "status", "trigger", "created_at", "started_at", "finished_at", "document_number",
            "issued_on", "error", "files",
        ]  # fmt: skip

    @extend_schema_field(FilesSerializer(allow_null=True))
    def get_files(self, version):
        if version.status != ReportVersion.Status.DONE:
            return None
        request = self.context.get("request")
        kwargs = {"year": version.report.program.year, "kind": version.report.kind, "number": version.number}
        return {
            fmt: {
                "url": reverse("api:document_file", kwargs={**kwargs, "fmt": fmt}, request=request),
                "sha256": getattr(version, f"{fmt}_sha256"),
                "size": getattr(version, f"{fmt}_size") or 0,
            }
            for fmt in ("pdf", "xlsx")
        }


class ReportSerializer(serializers.Serializer):
    kind = serializers.CharField(source="report.kind")
    label = serializers.CharField(source="report.get_kind_display")
    due_date = serializers.DateField(source="report.due_date")
    period = serializers.CharField(help_text="Kỳ báo cáo — Period covered")
    quarters = serializers.SerializerMethodField()
    days_left = serializers.IntegerField(help_text="Số ngày đến hạn — Days to the due date")
    versions = VersionSerializer(many=True, help_text="Các bản biên soạn bạn được xem — Versions you may see")

    def get_quarters(self, row) -> list[int]:
        return [q.number for q in row.quarters]
