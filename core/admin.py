"""What the admin of several apps shares (no model is registered here): structural records whose
every admin write moves the structure version, and records the admin may only read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import structureversion


class StructureAdminMixin:
    """For the admin of a structural model (program, unit, agency, quarter, target, indicator,
    activity, output...): every write the admin makes moves the structure version on (core.structureversion),
    so that a cached page shows the change at once. Put it before the ModelAdmin class in the bases.

    Covers a saved object (save_model), its inlines and many-to-many fields (save_related), a
    deletion (delete_model), the changelist's "delete selected" (delete_queryset) and a reverted
    history version (django-simple-history's history_form_view).
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        structureversion.bump_on_commit()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        structureversion.bump_on_commit()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        structureversion.bump_on_commit()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        structureversion.bump_on_commit()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves the reverted object's many-to-many fields after save_model, outside
        # any transaction: one atomic block, bumped on commit, covers both.
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST":
                structureversion.bump_on_commit()
        return response


class ReadOnlyAdminMixin:
    """For records that change only through their app's services (version check, lock, history): the
    admin shows them, but cannot add, change or delete them, nor revert one to an earlier version.

    django-simple-history's "revert to this version" form saves the old version on POST even when the
    admin may not change the record, so that POST is refused here; and any save or delete that some
    other admin path would attempt is refused too. Put the mixin first: class X(ReadOnlyAdminMixin,
    SimpleHistoryAdmin). It also fits an inline (no add, change or delete of its rows).
    """

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        """Every field is shown, those that no form edits (e.g. auto_now) included; `exclude` hides one."""
        hidden = set(self.exclude or ())
        return [f.name for f in self.model._meta.concrete_fields if not f.primary_key and f.name not in hidden]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def save_model(self, request, obj, form, change) -> None:
        raise PermissionDenied

    def delete_model(self, request, obj) -> None:
        raise PermissionDenied

    def delete_queryset(self, request, queryset) -> None:
        raise PermissionDenied
