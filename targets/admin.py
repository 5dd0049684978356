"""Targets and indicators in the admin; every write moves the structure version on (StructureAdminMixin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import StructureAdminMixin

from .models import Indicator, Target


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    filter_horizontal = ["reporters", "data_holders"]


@admin.register(Target)
class TargetAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["program", "number", "goal", "text"]
    list_select_related = ["program"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "name", "target", "goal", "input", "flag"]
    list_select_related = ["target"]
    filter_horizontal = ["reporters", "data_holders"]
