"""Insert a row unless a unique constraint already holds one like it — in one statement, no savepoint.

`INSERT … ON CONFLICT DO NOTHING RETURNING id` (PostgreSQL, and SQLite ≥ 3.35) tells in one round
trip whether the row went in. The registration and check-in paths use it where the ORM would need a
savepoint, an insert and a release (three round trips) to survive the same ticket or mobile number
arriving twice. The statement is built once per model: building it is most of what an ORM insert
costs in Python, and these paths run hundreds of times a second.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


@cache
def _statement(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    opts = model._meta
    fields = tuple(f for f in opts.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote(opts.pk.column)}"
    )
    return sql, fields


def insert_or_nothing(instance: models.Model) -> bool:
    """Insert `instance`; True (and its pk set) if it went in, False if a unique constraint refused it.

    The primary key comes from the database. Field defaults and `pre_save` (auto_now_add) are applied
    as `save()` would; signals are not sent."""
    sql, fields = _statement(type(instance), connection.vendor)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection=connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    return True


def loaded(model: type[M], **values: Any) -> M:
    """An instance of `model` as if read from the database with only these fields (by attname; any
    other loads on access). Unlike `model(**values)`, no field default is computed: an Event has
    forty fields, and this is how the busy paths hold a row they read with their own SQL."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    if len(names) != len(values):
        raise TypeError(f"not fields of {model.__name__}: {sorted(set(values) - set(names))}")
    return model.from_db(connection.alias, names, [values[n] for n in names])
