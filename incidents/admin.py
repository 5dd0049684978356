"""The admin reads incidents and their follow-up notes and writes neither: an incident is filed,
noted, closed and reopened only through incidents.services (who may, the place and date checks, the
e-mail to DOLISA, history); its content never changes after filing, on the portal or here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import Incident, IncidentNote


class IncidentNoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = IncidentNote
    extra = 0
    fields = ["at", "author", "text"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["occurred_on", "kind", "district", "commune", "agency", "status", "reported_at"]
    list_filter = ["kind", "status", ("district", admin.RelatedOnlyFieldListFilter), "is_demo"]
    list_select_related = ["district", "commune", "agency"]
    date_hierarchy = "occurred_on"
    inlines = [IncidentNoteInline]


@admin.register(IncidentNote)
class IncidentNoteAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["incident", "at", "author"]
    list_select_related = ["incident__commune", "author"]
