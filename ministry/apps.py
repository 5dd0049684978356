from django.apps import AppConfig


class MinistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ministry"
    verbose_name = "Cục Bảo vệ, chăm sóc trẻ em"
