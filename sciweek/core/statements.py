"""Statements for the busy paths, built once per model (and row count).

Building the SQL is most of what an ORM query costs in Python, and these paths run hundreds of
times a second (registration, check-in, a unit's save at the deadline):
- `select_one` / `select_all`: one row (by primary key or another unique field), or every row with a
  given value, with the rows of its foreign keys in the same statement, as ``select_related`` would,
  optionally locked; `lock_row`: one row alone under FOR UPDATE;
- `insert_or_nothing`: `INSERT … ON CONFLICT DO NOTHING RETURNING id` (PostgreSQL, and SQLite ≥ 3.35)
  tells in one round trip whether the row went in, where the ORM would need a savepoint, an insert and
  a release (three round trips) to survive the same ticket or mobile number arriving twice;
- `update_row`: some fields of one row, as ``save(update_fields=…)``;
- `insert_rows` / `insert_many`: many rows (plain values, or model instances) in one INSERT,
  optionally updating the rows a unique constraint already holds (an upsert); on PostgreSQL all rows
  travel as one JSON parameter;
- `insert_numbered`: a row numbered one above the last of its group, in the same statement.
Values are prepared as `save()` would (`pre_save`, then the field's own preparation or, for the JSON
of `insert_rows`, the column's input format); no signals are sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.options import Options

M = TypeVar("M", bound=models.Model)


def _field(opts: Options[Any], name: str) -> models.Field:
    """A field with a column, by name (``report`` or ``report_id``): a reverse relation has none."""
    field = opts.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{opts.label}.{name} is a reverse relation, not a column")
    return field


def _column(field: models.Field | None) -> str:
    if field is None or field.column is None:
        raise TypeError(f"{field} has no column")
    return field.column


def _related(field: models.Field) -> type[models.Model]:
    if field.related_model is None or isinstance(field.related_model, str):
        raise TypeError(f"{field} is not a foreign key to a loaded model")
    return field.related_model


@cache
def _statement(model: type[models.Model], vendor: str) -> tuple[str, tuple[models.Field, ...]]:
    opts = model._meta
    fields = tuple(f for f in opts.concrete_fields if not f.primary_key)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(_column(f)) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING RETURNING {quote(_column(opts.pk))}"
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


@cache
def _rows_statement(
    model: type[models.Model],
    vendor: str,
    names: tuple[str, ...],
    rows: int,
    conflict: tuple[str, ...],
    update: tuple[str, ...],
) -> tuple[str, tuple[models.Field, ...]]:
    opts = model._meta
    fields = tuple(_field(opts, name) for name in names)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(f)) for f in fields)
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) "
    if vendor == "postgresql":
        # All rows as one JSON text, turned into rows of the table by PostgreSQL: one parameter for
        # any number of rows (psycopg parses statements of over 50 parameters on every call, and
        # building arrays of values cost a tenth of a busy save in Python).
        sql += f"SELECT {columns} FROM json_populate_recordset(NULL::{quote(opts.db_table)}, %s::json)"
    else:
        row = f"({', '.join(['%s'] * len(fields))})"
        sql += "VALUES " + ", ".join([row] * rows)
    if conflict:
        keys = ", ".join(quote(_column(_field(opts, name))) for name in conflict)
        sets = ", ".join(
            f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (_column(_field(opts, name)) for name in update)
        )
        sql += f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
    return sql + f" RETURNING {quote(_column(opts.pk))}", fields


def _json_shape(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes into the JSON text of ``insert_rows`` (None: as it is). PostgreSQL
    reads each JSON value with the column's own input function: an ISO time, a decimal as text; a JSON
    column takes the value's JSON as it is."""
    if isinstance(field, models.DateTimeField | models.DateField | models.TimeField):
        return lambda value: value.isoformat()
    if isinstance(field, models.DecimalField | models.UUIDField | models.GenericIPAddressField):
        return str
    if field.choices:
        return lambda value: field.to_python(value)  # an enum member: its value
    return None


def insert_rows(
    model: type[models.Model],
    names: tuple[str, ...],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: tuple[str, ...] = (),
    update: tuple[str, ...] = (),
) -> list[Any]:
    """Insert ``rows`` of values for the fields ``names`` (``report_id`` or ``report`` alike; every
    field without a database default must be given) in one statement, without building model
    instances; the new rows' ids, in order.

    With ``conflict`` (the fields of a unique constraint) a row that is already there gets the
    ``update`` fields of the new one instead (and its id is returned)."""
    if not rows:
        return []
    if connection.vendor == "postgresql":
        sql, fields = _rows_statement(model, "postgresql", names, 1, conflict, update)
        shapes = [(f.column, _json_shape(f)) for f in fields]
        records = [
            {
                column: value if shape is None or value is None else shape(value)
                for (column, shape), value in zip(shapes, row, strict=True)
            }
            for row in rows
        ]
        batches = [(sql, [json.dumps(records, ensure_ascii=False)])]
    else:  # one placeholder per value: in batches under SQLite's limit on parameters
        size = max(1, 900 // len(names))
        batches = []
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql, fields = _rows_statement(model, connection.vendor, names, len(chunk), conflict, update)
            values = [
                f.get_db_prep_save(value, connection=connection)
                for row in chunk
                for f, value in zip(fields, row, strict=True)
            ]
            batches.append((sql, values))
    ids: list[Any] = []
    with connection.cursor() as cursor:
        for sql, params in batches:
            cursor.execute(sql, params)
            # RETURNING gives the rows in input order (not promised by SQL; Django's bulk_create
            # relies on it too).
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def insert_many(
    instances: Sequence[M], *, conflict: tuple[str, ...] = (), update: tuple[str, ...] = ()
) -> list[M]:
    """``insert_rows`` of model instances (all of one model): defaults and ``pre_save`` (auto_now_add)
    applied as ``save()`` would; their pks set from the database (a row updated on conflict: its id)."""
    if not instances:
        return []
    fields = [f for f in instances[0]._meta.concrete_fields if not f.primary_key]
    ids = insert_rows(
        type(instances[0]),
        tuple(f.name for f in fields),
        [[f.pre_save(instance, add=True) for f in fields] for instance in instances],
        conflict=conflict,
        update=update,
    )
    for instance, pk in zip(instances, ids, strict=True):
        instance.pk = pk
        instance._state.adding = False
    return list(instances)


@cache
def _update_statement(model: type[models.Model], vendor: str, names: tuple[str, ...]) -> tuple[str, tuple]:
    opts = model._meta
    fields = tuple(_field(opts, name) for name in names)
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(_column(f))} = %s" for f in fields)
    return f"UPDATE {quote(opts.db_table)} SET {sets} WHERE {quote(_column(opts.pk))} = %s", fields


def update_row(instance: models.Model, names: Sequence[str]) -> None:
    """``instance.save(update_fields=names)`` in a statement built once (``pre_save`` applied, so an
    ``auto_now`` field among ``names`` gets the time now); no signals."""
    sql, fields = _update_statement(type(instance), connection.vendor, tuple(names))
    params = [f.get_db_prep_save(f.pre_save(instance, add=False), connection=connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance.pk])


@cache
def _numbered_statement(
    model: type[models.Model], vendor: str, number: str, within: str
) -> tuple[str, tuple[models.Field, ...]]:
    opts = model._meta
    fields = tuple(f for f in opts.concrete_fields if not f.primary_key and f.name != number)
    quote = connection.ops.quote_name
    table, number_column = quote(opts.db_table), quote(_column(_field(opts, number)))
    next_number = (
        f"(SELECT COALESCE(MAX({number_column}), 0) + 1 FROM {table} "
        f"WHERE {quote(_column(_field(opts, within)))} = %s)"
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(_column(f)) for f in fields)}, {number_column}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}, {next_number}) "
        f"RETURNING {quote(_column(opts.pk))}, {number_column}"
    )
    return sql, fields


def insert_numbered(instance: M, *, number: str, within: str) -> M:
    """Insert ``instance`` with ``number`` one above the highest among the rows with the same
    ``within`` (1 for the first), in one statement. The caller holds a lock that keeps two such
    inserts for the same ``within`` apart (a unique constraint refuses a duplicate if not)."""
    sql, fields = _numbered_statement(type(instance), connection.vendor, number, within)
    params = [f.get_db_prep_save(f.pre_save(instance, add=True), connection=connection) for f in fields]
    params.append(getattr(instance, _field(instance._meta, within).attname))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk, value = cursor.fetchone()
    instance.pk = pk
    setattr(instance, number, value)
    instance._state.adding = False
    return instance


@dataclass(frozen=True)
class _Part:
    """One model of a joined read: where it hangs (``path`` of FK names from the first model; empty
    for the first model itself) and how its columns turn into field values."""

    path: tuple[str, ...]
    model: type[models.Model]
    names: list[str]
    converters: list[tuple[Any, list]]
    nullable: bool  # reached through a foreign key that may be empty (a LEFT JOIN: all columns NULL)
    pk_index: int  # where its primary key is among its columns (None there: an empty LEFT JOIN)


@cache
def _select_statement(
    model: type[models.Model], vendor: str, related: tuple[str, ...], by: str, lock: bool
) -> tuple[str, list[_Part]]:
    quote = connection.ops.quote_name
    parts: list[_Part] = []
    columns: list[str] = []
    joins: list[str] = []
    aliases: dict[tuple[str, ...], str] = {(): "t0"}

    def add(path: tuple[str, ...], of: type[models.Model], nullable: bool = False) -> None:
        alias, opts = aliases[path], of._meta
        converters = []
        for field in opts.concrete_fields:
            column = field.get_col(opts.db_table)
            columns.append(f"{alias}.{quote(_column(field))}")
            converters.append(
                (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            )
        names = [f.attname for f in opts.concrete_fields]
        parts.append(_Part(path, of, names, converters, nullable, names.index(opts.pk.attname)))

    add((), model)
    for dotted in related:  # "campaign", "campaign__org_unit": each after the one it hangs from
        path = tuple(dotted.split("__"))
        parent = next(p for p in parts if p.path == path[:-1])
        field = _field(parent.model._meta, path[-1])
        alias = aliases[path] = f"t{len(aliases)}"
        target = _related(field)._meta
        kind = "LEFT JOIN" if field.null or parent.nullable else "JOIN"
        joins.append(
            f"{kind} {quote(target.db_table)} {alias} ON {alias}.{quote(_column(target.pk))} = "
            f"{aliases[path[:-1]]}.{quote(_column(field))}"
        )
        add(path, _related(field), kind == "LEFT JOIN")
    opts = model._meta
    where = quote(_column(_field(opts, by)))
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(opts.db_table)} t0 {' '.join(joins)} WHERE t0.{where} = %s"
        f" ORDER BY t0.{quote(_column(opts.pk))}"
    )
    if lock:
        # Only the first model's row: a lock over the join would lock the rows it hangs from too.
        sql += " FOR UPDATE OF t0" if connection.features.has_select_for_update_of else ""
    return sql, parts


def select_one(
    model: type[M], value: Any, *, by: str = "pk", related: tuple[str, ...] = (), lock: bool = False
) -> M | None:
    """The row of ``model`` whose ``by`` field equals ``value`` (None if there is none), with the
    ``related`` foreign keys (``select_related`` names) read in the same statement; with ``lock``, its
    row locked until the caller's transaction ends (SQLite has no row locks: its transactions take
    the database's write lock instead). Every field is read and converted as the ORM would; the
    statement is built once per shape."""
    rows = select_all(model, value, by=by, related=related, lock=lock)
    return rows[0] if rows else None


def select_all(
    model: type[M], value: Any, *, by: str, related: tuple[str, ...] = (), lock: bool = False
) -> list[M]:
    """``select_one`` for every row whose ``by`` field equals ``value``, in primary key order."""
    if by == "pk":
        by = model._meta.pk.name
    sql, parts = _select_statement(model, connection.vendor, related, by, lock)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        rows = cursor.fetchall()
    return [_instance(row, parts) for row in rows]  # type: ignore[misc]


def _instance(row: tuple, parts: list[_Part]) -> models.Model:
    made: dict[tuple[str, ...], models.Model | None] = {}
    start = 0
    for part in parts:
        raw = row[start : start + len(part.names)]
        start += len(part.names)
        instance = None
        if not (part.nullable and raw[part.pk_index] is None):
            values = []
            for value, (column, functions) in zip(raw, part.converters, strict=True):
                for convert in functions:
                    value = convert(value, column, connection)
                values.append(value)
            instance = part.model.from_db(connection.alias, part.names, values)
        made[part.path] = instance
        if part.path and made[part.path[:-1]] is not None:
            setattr(made[part.path[:-1]], part.path[-1], instance)  # as select_related caches it
    return made[()]  # type: ignore[return-value]


def lock_row(model: type[M], pk: Any) -> M | None:
    """The row of ``model`` with this primary key, alone, locked until the caller's transaction ends."""
    return select_one(model, pk, lock=True)


def loaded(model: type[M], **values: Any) -> M:
    """An instance of `model` as if read from the database with only these fields (by attname; any
    other loads on access). Unlike `model(**values)`, no field default is computed: an Event has
    forty fields, and this is how the busy paths hold a row they read with their own SQL."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    if len(names) != len(values):
        raise TypeError(f"not fields of {model.__name__}: {sorted(set(values) - set(names))}")
    return model.from_db(connection.alias, names, [values[n] for n in names])
