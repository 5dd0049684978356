from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActivityProgress,
    CommuneStatus,
    IndicatorValue,
    OutputProgress,
    Reminder,
    Submission,
    Transition,
)


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    readonly_fields = ["action", "from_status", "to_status", "actor", "at", "comment"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    """Submissions are changed through the portal (version check, workflow); the admin reads them."""

    list_display = ["agency", "quarter", "status", "submitted_at", "days_late", "version", "is_demo"]
    list_filter = ["status", "quarter__program", "quarter__number", "agency__kind", "is_demo"]
    list_select_related = ["agency", "quarter"]
    search_fields = ["agency__code", "agency__name"]
    readonly_fields = [f.name for f in Submission._meta.concrete_fields if f.name != "id"]
    inlines = [TransitionInline]


class _ValueAdmin(SimpleHistoryAdmin):
    list_select_related = ["submission__agency", "submission__quarter"]
    raw_id_fields = ["submission"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(_ValueAdmin):
    list_display = ["submission", "indicator", "numerator", "denominator"]


@admin.register(CommuneStatus)
class CommuneStatusAdmin(_ValueAdmin):
    list_display = ["submission", "commune", "safe_home_pilot", "safe_home_full", "child_friendly"]


@admin.register(ActivityProgress)
class ActivityProgressAdmin(_ValueAdmin):
    list_display = ["submission", "activity", "status", "children_boys", "children_girls", "money_spent"]


@admin.register(OutputProgress)
class OutputProgressAdmin(_ValueAdmin):
    list_display = ["submission", "output", "quantity"]


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["submission", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["submission__agency", "submission__quarter", "actor"]
    list_filter = ["action"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["agency", "quarter", "days_before", "sent_at"]
    list_select_related = ["agency", "quarter"]
