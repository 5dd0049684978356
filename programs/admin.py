"""The program, its places, agencies and calendar in the admin. Every write moves the structure version
on (core.admin.StructureAdminMixin), so that cached pages show it at once."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import StructureAdminMixin

from .models import AdminUnit, Agency, Duty, LegalBasis, Program, ProvincialReport, Quarter


class LegalBasisInline(admin.TabularInline):
    model = LegalBasis
    extra = 0


class QuarterInline(admin.TabularInline):
    model = Quarter
    extra = 0


@admin.register(Program)
class ProgramAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "title", "decision_number", "decision_date", "province"]
    inlines = [LegalBasisInline, QuarterInline]


@admin.register(AdminUnit)
class AdminUnitAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0


@admin.register(Agency)
class AgencyAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "short_name", "kind", "is_requested", "unit", "email", "order"]
    list_filter = ["kind", "is_requested"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
    inlines = [DutyInline]


@admin.register(Duty)
class DutyAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["program", "agency", "section", "order", "text"]
    list_filter = ["program", "agency"]
    list_select_related = ["program", "agency"]


@admin.register(Quarter)
class QuarterAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["program", "number", "start", "end", "entry_deadline"]
    list_select_related = ["program"]


@admin.register(ProvincialReport)
class ProvincialReportAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["program", "kind", "due_date"]
    list_select_related = ["program"]
    filter_horizontal = ["quarters"]


@admin.register(LegalBasis)
class LegalBasisAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["program", "order", "text"]
    list_select_related = ["program"]
