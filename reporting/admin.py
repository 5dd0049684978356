"""The admin reads submissions, their values, the review transitions, the reminders sent and the
uploaded workbooks, and writes none of them: every change to a submission goes through
reporting.services (version check, deadline lock, history), so the admin cannot rewrite history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdminMixin

from .models import (
    ActivityProgress,
    CommuneStatus,
    IndicatorValue,
    OutputProgress,
    Reminder,
    Submission,
    Transition,
    WorkbookUpload,
)


class TransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Transition
    extra = 0
    fields = ["action", "from_status", "to_status", "actor", "at", "comment"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["agency", "quarter", "status", "submitted_at", "days_late", "version", "is_demo"]
    list_filter = ["status", "quarter__program", "quarter__number", "agency__kind", "is_demo"]
    list_select_related = ["agency", "quarter"]
    search_fields = ["agency__code", "agency__name"]
    inlines = [TransitionInline]


class _ValueAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_select_related = ["submission__agency", "submission__quarter"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(_ValueAdmin):
    list_display = ["submission", "indicator", "numerator", "denominator"]
    list_select_related = [*_ValueAdmin.list_select_related, "indicator"]


@admin.register(CommuneStatus)
class CommuneStatusAdmin(_ValueAdmin):
    list_display = ["submission", "commune", "safe_home_pilot", "safe_home_full", "child_friendly"]
    list_select_related = [*_ValueAdmin.list_select_related, "commune"]


@admin.register(ActivityProgress)
class ActivityProgressAdmin(_ValueAdmin):
    list_display = ["submission", "activity", "status", "children_boys", "children_girls", "money_spent"]
    list_select_related = [*_ValueAdmin.list_select_related, "activity"]


@admin.register(OutputProgress)
class OutputProgressAdmin(_ValueAdmin):
    list_display = ["submission", "output", "quantity"]
    list_select_related = [*_ValueAdmin.list_select_related, "output"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["submission", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["submission__agency", "submission__quarter", "actor"]
    list_filter = ["action"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["agency", "quarter", "days_before", "sent_at"]
    list_select_related = ["agency", "quarter"]


@admin.register(WorkbookUpload)
class WorkbookUploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The file itself is served only by reporting.views.workbook.workbook_upload_file, which checks
    access and logs the download; the admin shows what was uploaded, by whom and when."""

    list_display = ["submission", "original_name", "uploaded_by", "uploaded_at", "changed", "size"]
    list_select_related = ["submission__agency", "submission__quarter", "uploaded_by"]
    exclude = ["file"]
