"""One archive with everything needed to rebuild an installation: the database, the uploaded files and
a manifest (versions, checksums, every table's row count and content checksum).

The archive is a tar file:
  manifest.json              what is inside, with SHA-256 of every member and a fingerprint per table
  database.pgdump            PostgreSQL: pg_dump's custom format (restored with pg_restore)
  database.sqlite3           SQLite: a consistent copy through SQLite's online-backup API
  media/<path>               every file under MEDIA_ROOT

Restore goes into an empty database and an empty media folder (``force`` empties them first), checks
every member against the manifest before touching anything, and after loading compares each table's
fingerprint with the one recorded at backup time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (in Chinese, for the operator)."""


# ---------------------------------------------------------------------------------------------------
# Fingerprints


def table_fingerprints(conn: Any = None) -> dict[str, dict[str, Any]]:
    """{table: {"rows": n, "sha256": …}} over every table, independent of row order."""
    conn = conn or connection
    out: dict[str, dict[str, Any]] = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
            digests = sorted(hashlib.sha256(repr(tuple(row)).encode()).digest() for row in cursor.fetchall())
            h = hashlib.sha256()
            for d in digests:
                h.update(d)
            out[table] = {"rows": len(digests), "sha256": h.hexdigest()}
    return out


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(root).as_posix(), path


# ---------------------------------------------------------------------------------------------------
# Backup


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = [
        "-h",
        s.get("HOST") or "127.0.0.1",
        "-p",
        str(s.get("PORT") or 5432),
        "-U",
        s.get("USER") or "postgres",
    ]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("找不到 %(name)s：请安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
            % {"name": name}
        )
    return found


def _dump_database(workdir: Path) -> tuple[str, Path, dict[str, str]]:
    vendor = connection.vendor
    if vendor == "postgresql":
        target = workdir / PG_MEMBER
        args, env = _pg_env()
        cmd = [_tool("pg_dump"), *args, "-Fc", "--no-owner", "--no-privileges", "-f", str(target)]
        done = subprocess.run(
            [*cmd, connection.settings_dict["NAME"]], env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise BackupError(_("pg_dump 失败：%(error)s") % {"error": done.stderr.strip()[:500]})
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        tool = subprocess.run([_tool("pg_dump"), "--version"], capture_output=True, text=True).stdout.strip()
        return PG_MEMBER, target, {"server": server, "pg_dump": tool}
    if vendor == "sqlite":
        target = workdir / SQLITE_MEMBER
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # a consistent copy while others may write
        finally:
            dest.close()
        return SQLITE_MEMBER, target, {"sqlite": sqlite3.sqlite_version}
    raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": vendor})


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    size: int


def backup(out: Path, *, media_root: Path | None = None) -> BackupResult:
    from importlib.metadata import PackageNotFoundError, version

    media_root = Path(media_root or settings.MEDIA_ROOT)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        sciweek_version = version("sciweek")
    except PackageNotFoundError:
        sciweek_version = "unknown"
    with tempfile.TemporaryDirectory(prefix="sciweek-backup-") as tmp:
        member, dump, db_versions = _dump_database(Path(tmp))
        # Fingerprints after the dump: on a live system rows written in between would differ, so the
        # backup is meant for a quiet moment (README: the nightly schedule) or maintenance mode.
        tables = table_fingerprints()
        files = {
            name: {"sha256": file_sha256(path), "size": path.stat().st_size}
            for name, path in media_files(media_root)
        }
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "versions": {"sciweek": sciweek_version, "django": django.get_version(), **db_versions},
            "database": {"vendor": connection.vendor, "member": member, "sha256": file_sha256(dump)},
            "migrations": _applied_migrations(),
            "tables": tables,
            "files": files,
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=member)
            for name, path in media_files(media_root):
                if name in files:
                    tar.add(path, arcname=f"media/{name}")
        partial.replace(out)  # never a half-written archive under the final name
    return BackupResult(
        path=out,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=len(files),
        size=out.stat().st_size,
    )


# ---------------------------------------------------------------------------------------------------
# Restore


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r") as tar:
            fh = tar.extractfile(MANIFEST)
            if fh is None:
                raise KeyError(MANIFEST)
            manifest = json.load(fh)
    except (tarfile.TarError, KeyError, ValueError, OSError) as exc:
        raise BackupError(
            _("「%(archive)s」不是 sciweek 备份文件（%(exc)s）。") % {"archive": archive, "exc": exc}
        ) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("备份文件格式 %(format)s 不受支持（应为 %(FORMAT)s）。")
            % {"format": manifest.get("format"), "FORMAT": FORMAT}
        )
    return manifest


def database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def media_is_empty(root: Path) -> bool:
    return not root.exists() or not any(root.iterdir())


def _extract_checked(archive: Path, manifest: dict[str, Any], workdir: Path) -> Path:
    """Every member into ``workdir``, each checked against the manifest; names never trusted as paths."""
    expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
    expected |= {f"media/{name}": meta["sha256"] for name, meta in manifest["files"].items()}
    seen: set[str] = set()
    with tarfile.open(archive, "r") as tar:
        for info in tar:
            if info.name == MANIFEST:
                continue
            if info.name not in expected or not info.isfile():
                raise BackupError(_("备份文件中有清单之外的内容：%(name)s") % {"name": info.name[:200]})
            target = workdir / "payload" / info.name
            if not target.resolve().is_relative_to((workdir / "payload").resolve()):
                raise BackupError(_("备份文件中的路径不安全：%(name)s") % {"name": info.name[:200]})
            target.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(info)
            assert src is not None
            with open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            if file_sha256(target) != expected[info.name]:
                raise BackupError(_("校验失败（文件已损坏或被改动）：%(name)s") % {"name": info.name[:200]})
            seen.add(info.name)
    missing = set(expected) - seen
    if missing:
        raise BackupError(
            _("备份文件不完整，缺少 %(count)s 个文件，如：%(missing)s")
            % {"count": len(missing), "missing": sorted(missing)[0]}
        )
    return workdir / "payload"


def _empty_database() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def _load_database(member: str, path: Path) -> None:
    if member == PG_MEMBER:
        args, env = _pg_env()
        cmd = [_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error"]
        cmd += ["-d", connection.settings_dict["NAME"], str(path)]
        connection.close()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise BackupError(_("pg_restore 失败：%(error)s") % {"error": done.stderr.strip()[:500]})
    else:
        connection.ensure_connection()
        src = sqlite3.connect(path)
        try:
            src.backup(connection.connection)
        finally:
            src.close()


@dataclass(frozen=True)
class RestoreResult:
    tables: int
    rows: int
    files: int


def restore(archive: Path, *, media_root: Path | None = None, force: bool = False) -> RestoreResult:
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(Path(archive))
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _("备份来自 %(vendor)s 数据库，不能恢复到 %(vendor2)s。")
            % {"vendor": vendor, "vendor2": connection.vendor}
        )
    if not force and not database_is_empty():
        raise BackupError(
            _("目标数据库不是空的：请恢复到新建的空数据库，或加 --force 覆盖（将删除现有全部数据）。")
        )
    if not force and not media_is_empty(media_root):
        raise BackupError(
            _("上传文件目录 %(media_root)s 不是空的：请换一个空目录，或加 --force 覆盖。")
            % {"media_root": media_root}
        )
    with tempfile.TemporaryDirectory(prefix="sciweek-restore-") as tmp:
        payload = _extract_checked(Path(archive), manifest, Path(tmp))  # all checked before any change
        if force:
            _empty_database()
            if media_root.exists():
                shutil.rmtree(media_root)
        member = manifest["database"]["member"]
        _load_database(member, payload / member)
        media_root.mkdir(parents=True, exist_ok=True)
        media_src = payload / "media"
        for name in manifest["files"]:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(media_src / name), target)
    restored = table_fingerprints()
    wrong = [t for t, meta in manifest["tables"].items() if restored.get(t) != meta]
    if wrong:
        raise BackupError(
            _("恢复后 %(count)s 张表与备份时不一致，如：%(wrong)s") % {"count": len(wrong), "wrong": wrong[0]}
        )
    return RestoreResult(
        tables=len(restored), rows=sum(t["rows"] for t in restored.values()), files=len(manifest["files"])
    )
