from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import DocumentRegister, ReportVersion


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Versions are made, compiled and issued by documents.services; the admin reads them."""

    list_display = ["report", "number", "status", "trigger", "doc_symbol", "issued_on", "created_at", "finished_at"]
    list_select_related = ["report__program", "requested_by"]
    list_filter = ["status", "trigger"]


@admin.register(DocumentRegister)
class DocumentRegisterAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Officers set the register on the reports' pages (documents.services.register_update, which never lets
    it go back to a number issued); the admin reads it."""

    list_display = ["province", "year", "kind", "next_number"]
