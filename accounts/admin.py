from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .roles import Role, role_of


def _administrators_only(request) -> bool:
    """The Django admin is for administrators only, not for every staff account."""
    user = request.user
    return user.is_active and user.is_staff and role_of(user) == Role.ADMIN


admin.site.has_permission = _administrators_only


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active", "is_staff"]
    list_select_related = ["agency"]
    list_filter = ["groups", "is_active", "agency__kind", "must_change_password"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Cơ quan"), {"fields": ["agency", "province", "must_change_password"]}))
    actions = ["require_password_change"]

    @admin.action(description=_("Yêu cầu đổi mật khẩu ở lần đăng nhập tới"))
    def require_password_change(self, request, queryset):
        changed = queryset.update(must_change_password=True)
        self.message_user(request, _("Đã yêu cầu %(n)s người dùng đổi mật khẩu.") % {"n": changed})

    add_fieldsets = (*BaseUserAdmin.add_fieldsets, (_("Cơ quan"), {"fields": ["agency", "province"]}))
