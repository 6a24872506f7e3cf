"""Insert a row unless a unique constraint already holds one like it — in one statement, no savepoint.

`INSERT … ON CONFLICT DO NOTHING RETURNING id` (PostgreSQL, and SQLite ≥ 3.35) tells in one round
trip whether the row went in. The check-in path uses it where the ORM would need a savepoint, an
insert and a release (three round trips) to survive the same ticket arriving twice.
"""

from __future__ import annotations

from django.db import connection, models


def insert_or_nothing(instance: models.Model) -> bool:
    """Insert `instance`; True (and its pk set) if it went in, False if a unique constraint refused it.

    Field defaults and `pre_save` (auto_now_add) are applied as `save()` would; signals are not sent."""
    opts = instance._meta
    fields = [
        f for f in opts.concrete_fields if not f.primary_key or getattr(instance, f.attname) is not None
    ]
    columns, params = [], []
    for field in fields:
        value = field.pre_save(instance, add=True)
        columns.append(connection.ops.quote_name(field.column))
        params.append(field.get_db_prep_save(value, connection=connection))
    pk = connection.ops.quote_name(opts.pk.column)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING RETURNING {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    setattr(instance, opts.pk.attname, row[0])
    instance._state.adding = False
    return True
