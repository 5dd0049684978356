"""Activities and their outputs in the admin; every write moves the structure version on (StructureAdminMixin)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import StructureAdminMixin

from .models import Activity, ActivityGroup, ActivityRole, OutputTarget


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["code", "order", "text"]


@admin.register(ActivityGroup)
class ActivityGroupAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "short_title", "program", "order"]
    list_select_related = ["program"]
    inlines = [ActivityInline]


class ActivityRoleInline(admin.TabularInline):
    model = ActivityRole
    extra = 0
    raw_id_fields = ["agency"]


class OutputTargetInline(admin.StackedInline):
    model = OutputTarget
    extra = 0
    filter_horizontal = ["units"]


@admin.register(Activity)
class ActivityAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "group", "text"]
    list_select_related = ["group"]
    list_filter = ["group__program", "group"]
    inlines = [ActivityRoleInline, OutputTargetInline]


@admin.register(OutputTarget)
class OutputTargetAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["code", "label", "quantity", "unit", "aggregation", "activity"]
    list_select_related = ["activity"]
    list_filter = ["aggregation"]
    filter_horizontal = ["units"]


@admin.register(ActivityRole)
class ActivityRoleAdmin(StructureAdminMixin, SimpleHistoryAdmin):
    list_display = ["activity", "agency", "role", "source"]
    list_select_related = ["activity", "agency"]
    list_filter = ["role", "source", "agency"]
