"""core's one model: the authoritative count of the data versions (core.dataversion)."""

from django.db import models


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
