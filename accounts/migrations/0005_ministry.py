"""The Ministry's department as a role (a group), as 0003 made the others."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="ministry")


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="ministry").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_user_must_change_password")]

    operations = [migrations.RunPython(create_role, remove_role)]
