from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core import dataversion

from .models import Incident, IncidentNote


class _MovesDataVersion:
    """The admin writes incidents and notes without the services: it moves the incidents' data
    version itself, so that the figures cached under it (the dashboard) are computed again."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dataversion.bump_on_commit(dataversion.INCIDENTS)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        dataversion.bump_on_commit(dataversion.INCIDENTS)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        dataversion.bump_on_commit(dataversion.INCIDENTS)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        dataversion.bump_on_commit(dataversion.INCIDENTS)


class IncidentNoteInline(admin.TabularInline):
    model = IncidentNote
    extra = 0
    fields = ["at", "author", "text"]
    raw_id_fields = ["author"]


@admin.register(Incident)
class IncidentAdmin(_MovesDataVersion, SimpleHistoryAdmin):
    list_display = ["occurred_on", "kind", "district", "commune", "agency", "status", "reported_at"]
    list_filter = ["kind", "status", ("district", admin.RelatedOnlyFieldListFilter), "is_demo"]
    list_select_related = ["district", "commune", "agency"]
    date_hierarchy = "occurred_on"
    raw_id_fields = ["filed_by", "closed_by"]
    inlines = [IncidentNoteInline]


@admin.register(IncidentNote)
class IncidentNoteAdmin(_MovesDataVersion, SimpleHistoryAdmin):
    list_display = ["incident", "at", "author"]
    list_select_related = ["incident__commune", "author"]
    raw_id_fields = ["incident", "author"]
