"""The provincial reports compiled for the People's Committee, as their pages show them: officers see every
version, viewers the finished ones, reporters none (documents.selectors); the files of a finished version,
logged as the page logs a download."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from accounts import security
from documents.selectors import report_rows, version_file
from programs.models import ProvincialReport

from ..selectors import document_version
from ..serializers.documents import ReportSerializer, VersionSerializer
from .base import ApiListView, ApiView

TAGS = ["documents"]
KIND = OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=ProvincialReport.Kind.values,
                        description="Loại báo cáo — Report kind")  # fmt: skip
FILES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@extend_schema(tags=TAGS, summary="Báo cáo gửi UBND tỉnh — Reports to the People's Committee")
class DocumentList(ApiListView):
    """Ba báo cáo của chương trình với các bản biên soạn bạn được xem — The program's three reports with the
    versions you may see (officers: all; the People's Committee: finished ones)."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        return report_rows(user=self.request.user, program=self.program())


@extend_schema(tags=TAGS, summary="Một bản biên soạn — One version", parameters=[KIND],
               responses={200: VersionSerializer})  # fmt: skip
class DocumentVersion(ApiView):
    """Một bản biên soạn của một báo cáo, theo số thứ tự — One version of a report, by its number."""

    def get(self, request, year: int, kind: str, number: int):
        version = document_version(user=request.user, program=self.program(), kind=kind, number=number)
        return Response(VersionSerializer(version, context=self.get_serializer_context()).data)


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file it wants (Accept: application/pdf ...); the file is sent as stored."""

    format = "file"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PdfRenderer(FileRenderer):
    media_type = FILES["pdf"]


class XlsxRenderer(FileRenderer):
    media_type = FILES["xlsx"]


class DocumentFile(ApiView):
    """Báo cáo PDF hoặc phụ lục Excel của một bản đã hoàn thành; tiêu đề X-Content-SHA256 là mã băm của tệp —
    The PDF or the Excel annex of a finished version; X-Content-SHA256 is the file's hash."""

    renderer_classes = [JSONRenderer, PdfRenderer, XlsxRenderer]

    @extend_schema(
        tags=TAGS, summary="Tệp của một bản — A version's file", operation_id="programs_documents_versions_file",
        parameters=[KIND, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FILES))],
        responses={(200, FILES["pdf"]): OpenApiTypes.BINARY, (200, FILES["xlsx"]): OpenApiTypes.BINARY},
    )  # fmt: skip
    def get(self, request, year: int, kind: str, number: int, fmt: str):
        version = document_version(user=request.user, program=self.program(), kind=kind, number=number)
        path = version_file(version=version, fmt=fmt)
        name = f"{kind}-{year}-{number:02d}.{fmt}"
        response = FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type=FILES[fmt])  # noqa: SIM115
        response["X-Content-SHA256"] = version.served_file(fmt)[1]
        security.log_event("report_download", request=request, version=version.pk, file=name, via="api")
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):  # a refusal: in JSON, whatever file was asked for
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)
