from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Incident, IncidentNote


class IncidentNoteInline(admin.TabularInline):
    model = IncidentNote
    extra = 0
    fields = ["at", "author", "text"]
    raw_id_fields = ["author"]


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "kind", "district", "commune", "agency", "status", "reported_at"]
    list_filter = ["kind", "status", ("district", admin.RelatedOnlyFieldListFilter), "is_demo"]
    list_select_related = ["district", "commune", "agency"]
    date_hierarchy = "occurred_on"
    raw_id_fields = ["filed_by", "closed_by"]
    inlines = [IncidentNoteInline]


@admin.register(IncidentNote)
class IncidentNoteAdmin(SimpleHistoryAdmin):
    list_display = ["incident", "at", "author"]
    list_select_related = ["incident__commune", "author"]
    raw_id_fields = ["incident", "author"]
