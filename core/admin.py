"""What the admin of several apps shares. Nothing is registered here."""

from __future__ import annotations

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
