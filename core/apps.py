from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses: number and date formats, the number parser, spreadsheet helpers, template
    tags, the data and structure versions (one model: the data versions' count), the admin's structure
    mixin, the deploy checks. It imports no other app of the portal."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.core.validators import ProhibitNullCharactersValidator
        from django.utils.translation import gettext_lazy as _

        from . import checks, structureversion

        structureversion.connect()
        checks.register()
        # Django's own message for a NUL character in a text field has no Vietnamese translation: every
        # CharField of every form would answer it in English. Said once, here, for all of them.
        ProhibitNullCharactersValidator.message = _("Văn bản không được chứa ký tự rỗng (NUL, mã 0).")
