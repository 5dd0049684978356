"""Admin building blocks for the apps (no model is registered here)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


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
