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
    replaced = serializers.SerializerMethodField(help_text="Đã có bản ban hành thay thế — Replaced by a later issue")
    files = serializers.SerializerMethodField(
        help_text="Tệp của bản đã hoàn thành: bản ban hành khi đã ban hành, dự thảo trước đó — Files of a finished "
        "version: the issued files once issued, the draft before"
    )

    def get_replaced(self, version) -> bool:
        return version.replaced_by_id is not None

    class Meta:
        model = ReportVersion
        fields = [
            "kind", "number", "status", "trigger", "created_at", "started_at", "finished_at", "document_number",
            "issued_on", "issued_at", "signer_name", "signer_title", "signed", "replaced", "error", "files",
        ]  # fmt: skip

    @extend_schema_field(FilesSerializer(allow_null=True))
    def get_files(self, version):
        if version.status != ReportVersion.Status.DONE:
            return None
        request = self.context.get("request")
        kwargs = {"year": version.report.program.year, "kind": version.report.kind, "number": version.number}
        files = {}
        for fmt in ("pdf", "xlsx"):
            _path, sha256, size = version.served_file(fmt)
            url = reverse("api:document_file", kwargs={**kwargs, "fmt": fmt}, request=request)
            files[fmt] = {"url": url, "sha256": sha256, "size": size}
        return files


class ReportSerializer(serializers.Serializer):
    kind = serializers.CharField(source="report.kind")
    label = serializers.CharField(source="report.get_kind_display")
    due_date = serializers.DateField(
        source="report.due_date", allow_null=True,
        help_text="Hạn Sở gửi báo cáo, nếu Sở đã đặt (quyết định không quy định) — DOLISA's own due date, if set",
    )  # fmt: skip
    deadline = serializers.DateField(
        allow_null=True, help_text="Hạn các cơ quan gửi báo cáo cho Sở; chưa quy định: null — The agencies' deadline"
    )
    period = serializers.CharField(help_text="Kỳ báo cáo — Period covered")
    quarters = serializers.SerializerMethodField()
    days_left = serializers.IntegerField(
        allow_null=True, help_text="Số ngày đến hạn của các cơ quan — Days to the agencies' deadline"
    )
    versions = VersionSerializer(many=True, help_text="Các bản biên soạn bạn được xem — Versions you may see")

    def get_quarters(self, row) -> list[int]:
        return [q.number for q in row.quarters]
