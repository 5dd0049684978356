from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import ReportVersion


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Versions are made and compiled by documents.services; the admin reads them."""

    list_display = ["report", "number", "status", "trigger", "doc_symbol", "created_at", "finished_at"]
    list_select_related = ["report__program", "requested_by"]
    list_filter = ["status", "trigger"]
