"""What the portal's models share. Abstract only: core has no tables of its own."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class WithHistory(models.Model):
    """A model whose every change is kept, with who made it and when (django-simple-history): the
    program's data and the reported values. A model that needs options of its history (fields left out,
    many-to-many fields followed) declares its own `history = HistoricalRecords(...)` instead."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


def user_stamp(verbose_name, *, optional: bool = False) -> models.ForeignKey:
    """Who did something to a record (filed it, closed it, uploaded it, asked for it): a user kept as long
    as the record is (PROTECT), with no reverse accessor on the user. `optional` for a step not taken yet."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+",
        null=optional, blank=optional,
    )  # fmt: skip
