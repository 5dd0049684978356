"""What the portal's models share (abstract), and core's one table: the authoritative count of the data
versions (core.dataversion)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class WithHistory(models.Model):
    """A model whose every change is kept, with who made it and when (django-simple-history): the
    program's data and the reported values. A model that needs options of its history (fields left out,
    many-to-many fields followed) declares its own `history = HistoricalRecords(...)` instead."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class CurrentManager(models.Manager):
    """The rows still in the program: an item DOLISA removes from a program year is archived, not deleted
    (its reported values point at it and its history stays), and every read of the structure goes through
    this default manager, so it leaves the forms, figures and pages at once. `all_objects` reads all."""

    def get_queryset(self):
        return super().get_queryset().filter(archived=False)


class Archivable(models.Model):
    """A part of the program that DOLISA may remove from a year after values were reported against it."""

    archived = models.BooleanField(_("đã gỡ khỏi chương trình"), default=False)

    objects = CurrentManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        abstract = True


def user_stamp(verbose_name, *, optional: bool = False) -> models.ForeignKey:
    """Who did something to a record (filed it, closed it, uploaded it, asked for it): a user kept as long
    as the record is (PROTECT), with no reverse accessor on the user. `optional` for a step not taken yet."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+",
        null=optional, blank=optional,
    )  # fmt: skip


class DataVersion(models.Model):
    """How many times the data of one scope (a program's id, or "incidents") has changed. Moved on in
    the transaction of every write (core.dataversion.bump), so it commits with the data or not at all;
    pages cached under it (the dashboard) read it from here, never from the cache."""

    scope = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "data version"
        verbose_name_plural = "data versions"

    def __str__(self) -> str:
        return f"{self.scope}: {self.value}"
