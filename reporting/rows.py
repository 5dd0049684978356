"""A submission's stored value rows read with raw SQL, as plain dicts: the one place for this speed trick.

Saving a district's form compares some 400 values with what is stored and writes the few that
changed. Reading the stored rows as model instances, through a query compiled anew on every save, was
a measurable part of a save's time (docs/benchmarks.md, "What the figures showed": save, "an instance
per stored row"). Here each value model's statement is built once per process from the model's own
metadata, and its rows come back as dicts keyed like `Model.objects.filter(submission=...).values()`
(attribute names, booleans as bool also on SQLite). tests/reporting/test_rows.py holds this to
Django's own answer.
"""

from __future__ import annotations

import functools

from django.db import connection, models


def stored_rows(model: type[models.Model], *, submission_id: int, key: str) -> dict:
    """The submission's rows of one value model (IndicatorValue, CommuneStatus, ...), each a dict of
    the model's concrete fields by attribute name, keyed by the row's `key` (e.g. "indicator_id")."""
    names, sql, flags = _statement(model)
    with connection.cursor() as cursor:
        cursor.execute(sql, [submission_id])
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:  # SQLite answers 0 and 1 for booleans
        for name in flags:
            row[name] = None if row[name] is None else bool(row[name])
    return {row[key]: row for row in rows}


@functools.cache
def _statement(model: type[models.Model]) -> tuple[list[str], str, list[str]]:
    """The model's attribute names, the statement that reads a submission's rows of it, and its
    boolean fields."""
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table, fk = quote(model._meta.db_table), quote(model._meta.get_field("submission").column)
    flags = [f.attname for f in fields if isinstance(f, models.BooleanField)]
    # identifiers from the model's own metadata, quoted; the value is a parameter
    return names, f"SELECT {columns} FROM {table} WHERE {fk} = %s", flags  # noqa: S608  # nosec B608
