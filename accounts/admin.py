from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_select_related = ["agency"]
    list_filter = ["groups", "is_active", "agency__kind"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Cơ quan"), {"fields": ["agency"]}))
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Cơ quan"), {"fields": ["agency"]}))
