"""A synthetic national unit tree with every county's 2023 campaign and every unit's report filled in.

full:  1 nation › 31 provinces › 330 cities › 2,850 counties › 40 units each = 114,000 reports,
       16 rows each = 1,824,000 values (about 75 % approved, 20 % submitted, 5 % returned).
small: 1 nation › 2 provinces › 6 cities › 24 counties › 40 units = 960 reports.

Rows go in with PostgreSQL COPY (executemany on SQLite) with ids and tree paths computed here, so the
full tree loads in about a minute. The tree is a valid treebeard materialized path (steplen 4).

    .venv/bin/python bench/synthetic.py --postgres postgres://postgres@127.0.0.1:5432/sciweek_bench --scale full
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SCALES = {
    "small": {"provinces": 2, "cities": 6, "counties": 24, "units": 40},
    "full": {"provinces": 31, "cities": 330, "counties": 2850, "units": 40},
}
YEAR = 2023
MARKER = "SYN"  # code prefix of every synthetic unit


def setup(description: str, argv: list[str] | None = None, *, extra=None) -> argparse.Namespace:
    """Parse --postgres / --scale / --fresh, point Django at the database, migrate."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL database that may be emptied (e.g. sciweek_bench)"
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--fresh", action="store_true", help="regenerate the synthetic tree even if it is there"
    )
    if extra:
        extra(parser)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="sciweek-bench-"))
    if args.postgres:
        from _django import ensure_postgres_db

        ensure_postgres_db(args.postgres)  # a fresh machine has no bench database yet
    os.environ["SCIWEEK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = args.postgres or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["SCIWEEK_INSECURE_HTTP"] = "1"
    os.environ.setdefault("SCIWEEK_CACHE", "locmem")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciweek.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    call_command("migrate", verbosity=0)
    args.db = "PostgreSQL" if args.postgres else "SQLite"
    return args


def _step(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(4, "0")


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


@dataclass
class Synthetic:
    scale: str
    nation_id: int
    county_ids: list[int]
    campaign_ids: list[int]
    reports: int
    values: int
    seconds: float


def existing(scale: str) -> Synthetic | None:
    from sciweek.campaigns.models import Campaign
    from sciweek.orgs.models import OrgUnit
    from sciweek.reports.models import Report, ReportValue

    nation = OrgUnit.objects.filter(code=f"{MARKER}-{scale}").first()
    if nation is None:
        return None
    counties = list(
        OrgUnit.objects.filter(path__startswith=nation.path, kind="county")
        .order_by("path")
        .values_list("pk", flat=True)
    )
    if len(counties) != SCALES[scale]["counties"]:
        return None
    campaigns = list(
        Campaign.objects.filter(org_unit_id__in=counties, year=YEAR)
        .order_by("org_unit__path")
        .values_list("pk", flat=True)
    )
    return Synthetic(
        scale, nation.pk, counties, campaigns, Report.objects.count(), ReportValue.objects.count(), 0.0
    )


def ensure(scale: str, *, fresh: bool = False) -> Synthetic:
    found = None if fresh else existing(scale)
    if found is not None:
        return found
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    return generate(scale)


class _Rows:
    """Rows for one model, every concrete column present: the ones given, the model's defaults elsewhere
    (so a column another engineer adds to a model does not break the generator)."""

    def __init__(self, model: Any, fields: list[str], now: dt.datetime) -> None:
        from django.db import connection

        concrete = model._meta.concrete_fields
        self.model = model
        self.columns = [connection.ops.quote_name(f.column) for f in concrete]
        self.template = [self._default(f, now) for f in concrete]
        names = {name: i for i, f in enumerate(concrete) for name in (f.name, f.attname)}
        self.slots = [names[name] for name in fields]
        self.rows: list[list] = []

    @staticmethod
    def _default(field: Any, now: dt.datetime) -> Any:
        if field.primary_key:
            return None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        value = field.get_default()
        return json.dumps(value) if isinstance(value, list | dict) else value

    def add(self, *values: Any) -> None:
        row = self.template.copy()
        for slot, value in zip(self.slots, values, strict=True):
            row[slot] = value
        self.rows.append(row)


class _Writer:
    """COPY on PostgreSQL, executemany elsewhere; ids are given, sequences are reset at the end."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.pg = connection.vendor == "postgresql"

    def insert(self, rows: _Rows) -> None:
        table = self.connection.ops.quote_name(rows.model._meta.db_table)
        columns = ", ".join(rows.columns)
        with self.connection.cursor() as cursor:
            if self.pg:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows.rows:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(rows.columns))})"
                for i in range(0, len(rows.rows), 5000):
                    cursor.executemany(
                        sql, [tuple(self._lite(v) for v in r) for r in rows.rows[i : i + 5000]]
                    )

    def _lite(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return self.connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, dt.date | dt.time):
            return value.isoformat()
        return value

    def reset_sequences(self, models: list[Any]) -> None:
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def _values(rnd: random.Random, rows: list[Any]) -> list[tuple[str, Decimal]]:
    out = []
    for row in rows:
        if row.value_type == "int":
            top = int(row.max_plausible or 100) // 20 or 5
            out.append((row.code, Decimal(rnd.randint(0, top))))
        else:
            out.append((row.code, Decimal(rnd.randint(0, 2000)) / 100))
    return out


def _next_id(model: Any) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1


def generate(scale: str, *, seed: int = 2023) -> Synthetic:
    from django.db import connection, transaction
    from django.utils import timezone

    from sciweek.campaigns.models import Campaign
    from sciweek.orgs.models import OrgUnit
    from sciweek.reports.formspec import SIXIAN_2023_FORM
    from sciweek.reports.models import FormDefinition, FormRow, Report, ReportValue
    from sciweek.reports.totals import encode as encode_totals

    t0 = time.perf_counter()
    cfg = SCALES[scale]
    rnd = random.Random(seed)
    now = timezone.now()
    units = _Rows(OrgUnit, ["id", "path", "depth", "numchild", "name", "kind", "code"], now)
    next_id = _next_id(OrgUnit)

    def unit(path: str, depth: int, children: int, name: str, kind: str, code: str) -> int:
        nonlocal next_id
        units.add(next_id, path, depth, children, name, kind, code)
        next_id += 1
        return next_id - 1

    nation_path = _step(OrgUnit.objects.filter(depth=1).count() + 1)
    per_province = _spread(cfg["cities"], cfg["provinces"])
    per_city = _spread(cfg["counties"], cfg["cities"])
    nation_id = unit(nation_path, 1, cfg["provinces"], f"合成全国（{scale}）", "nation", f"{MARKER}-{scale}")
    counties: list[int] = []
    leaves: list[tuple[int, int]] = []  # unit id, county index
    kinds = ["town"] * 14 + ["department"] * 20 + ["association"] * 3 + ["media", "school", "volunteer"]
    city_no = 0
    for p in range(cfg["provinces"]):
        p_path = nation_path + _step(p + 1)
        unit(p_path, 2, per_province[p], f"合成省{p + 1:02d}", "province", f"{MARKER}-P{p + 1:02d}")
        for c in range(per_province[p]):
            city_path = p_path + _step(c + 1)
            unit(
                city_path,
                3,
                per_city[city_no],
                f"合成市{city_no + 1:03d}",
                "city",
                f"{MARKER}-C{city_no + 1:03d}",
            )
            for k in range(per_city[city_no]):
                n = len(counties) + 1
                k_path, code = city_path + _step(k + 1), f"{MARKER}-K{n:04d}"
                counties.append(unit(k_path, 4, cfg["units"], f"合成县{n:04d}", "county", code))
                for u in range(cfg["units"]):
                    leaf = unit(
                        k_path + _step(u + 1),
                        5,
                        0,
                        f"合成县{n:04d}单位{u + 1:02d}",
                        kinds[u % len(kinds)],
                        f"{code}-{u + 1:02d}",
                    )
                    leaves.append((leaf, n - 1))
            city_no += 1

    camp_id, form_id, row_id = _next_id(Campaign), _next_id(FormDefinition), _next_id(FormRow)
    campaigns = _Rows(
        Campaign, ["id", "org_unit", "year", "title", "start_date", "end_date", "theme", "status"], now
    )
    forms = _Rows(FormDefinition, ["id", "campaign", "version", "title", "footnote", "is_current"], now)
    form_rows = _Rows(
        FormRow,
        [
            "id",
            "form",
            "order",
            "code",
            "section",
            "label",
            "unit",
            "value_type",
            "decimals",
            "help",
            "max_plausible",
        ],
        now,
    )
    for i, k_id in enumerate(counties):
        campaigns.add(
            camp_id + i,
            k_id,
            YEAR,
            f"{YEAR}年合成县{i + 1:04d}科技活动周",
            dt.date(YEAR, 5, 20),
            dt.date(YEAR, 5, 31),
            "热爱科学 崇尚科学",
            "reporting",
        )
        forms.add(form_id + i, camp_id + i, 1, SIXIAN_2023_FORM.title, SIXIAN_2023_FORM.footnote, True)
        for j, r in enumerate(SIXIAN_2023_FORM.rows):
            form_rows.add(
                row_id,
                form_id + i,
                j + 1,
                r.code,
                r.section,
                r.label,
                r.unit,
                r.value_type,
                r.decimals,
                r.help,
                r.max_plausible,
            )
            row_id += 1

    report_id, value_id = _next_id(Report), _next_id(ReportValue)
    reports = _Rows(
        Report,
        [
            "id",
            "campaign",
            "unit",
            "form",
            "status",
            "version",
            "submitted_at",
            "is_late",
            "approved_at",
            "first_submitted_at",
            "totals",
        ],
        now,
    )
    values = _Rows(ReportValue, ["id", "report", "row_code", "value", "not_applicable"], now)
    spec_rows = list(SIXIAN_2023_FORM.rows)
    codes = [r.code for r in spec_rows]
    for n, (leaf, k) in enumerate(leaves):
        roll = rnd.random()
        status = "approved" if roll < 0.75 else "submitted" if roll < 0.95 else "returned"
        at = now - dt.timedelta(minutes=rnd.randint(1, 100000))
        rid = report_id + n
        filled = {code: SimpleNamespace(value=value) for code, value in _values(rnd, spec_rows)}
        reports.add(
            rid,
            camp_id + k,
            leaf,
            form_id + k,
            status,
            2,
            at,
            rnd.random() < 0.1,
            at if status == "approved" else None,
            at,
            encode_totals(codes, filled),  # as the entry service writes it
        )
        for code, cell in filled.items():
            values.add(value_id, rid, code, cell.value, False)
            value_id += 1

    w = _Writer()
    with transaction.atomic():
        for rows in (units, campaigns, forms, form_rows, reports, values):
            w.insert(rows)
        w.reset_sequences([OrgUnit, Campaign, FormDefinition, FormRow, Report, ReportValue])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Synthetic(
        scale,
        nation_id,
        counties,
        [camp_id + i for i in range(len(counties))],
        len(reports.rows),
        len(values.rows),
        time.perf_counter() - t0,
    )


if __name__ == "__main__":
    args = setup(__doc__)
    s = ensure(args.scale, fresh=args.fresh)
    how = f"generated in {s.seconds:.1f} s" if s.seconds else "already there"
    print(
        f"synthetic {args.scale} tree on {args.db}: {len(s.county_ids):,} counties, {s.reports:,} reports, "
        f"{s.values:,} values ({how})"
    )
