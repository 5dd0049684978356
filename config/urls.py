from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views
from home.views import home
from programs.views import health

admin.site.site_header = "Cổng thông tin Bảo vệ, chăm sóc trẻ em tỉnh An Giang"
admin.site.site_title = "Quản trị"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),  # fmt: skip
    path(
        "accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),  # fmt: skip
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", health, name="health"),
    path("programs/", include("programs.urls")),
    path("incidents/", include("incidents.urls")),
    path("", include("reporting.urls")),
    path("", include("dashboards.urls")),
    path("", include("documents.urls")),
    path("api/", include("api.urls")),
    path("ministry/", include("ministry.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "accounts.views.permission_denied"
