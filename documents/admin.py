from django.contrib import admin

from .models import ReportVersion


@admin.register(ReportVersion)
class ReportVersionAdmin(admin.ModelAdmin):
    list_display = ["report", "number", "status", "trigger", "doc_symbol", "created_at", "finished_at"]
    list_select_related = ["report__program", "requested_by"]
    list_filter = ["status", "trigger"]
    readonly_fields = [f.name for f in ReportVersion._meta.concrete_fields if f.name != "id"]
