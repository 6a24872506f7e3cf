"""`sciweek backup` / `sciweek restore`: the demo plus uploaded files, round-tripped on the database the
suite runs on (SQLite in the first pass, PostgreSQL in the second) into a new empty database and media
folder; every table's row count and content checksum and every file's hash compared."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from PIL import Image

from sciweek.core.backup import file_sha256, media_files, read_manifest, table_fingerprints

ROOT = Path(__file__).resolve().parent.parent


def _jpeg(color: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, "JPEG")
    return buf.getvalue()


def _target_env(tmp_path: Path) -> dict[str, str]:
    """A second installation: its own empty database and media folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"SCIWEEK_TESTING", "PYTEST_CURRENT_TEST"}}
    env["SCIWEEK_VAR_DIR"] = str(tmp_path / "var2")
    env["SCIWEEK_MEDIA_ROOT"] = str(tmp_path / "media2")
    env["DJANGO_SETTINGS_MODULE"] = "sciweek.settings"
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        name = f"{s['NAME'].removeprefix('test_')}_restore"[:60]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return env


def _sciweek(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / ".venv/bin/sciweek"), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _fingerprints_of(env: dict[str, str]) -> dict:
    code = (
        "import django, json; django.setup();"
        "from sciweek.core.backup import table_fingerprints; print(json.dumps(table_fingerprints()))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_the_same_tables_and_files(demo, tmp_path):
    default_storage.save("reports/2023/photo-红.jpg", ContentFile(_jpeg("red")))
    default_storage.save("events/2023/现场.jpg", ContentFile(_jpeg("blue")))
    default_storage.save("jobs/2023/05/统计表.xlsx", ContentFile(b"PK\x03\x04 not really"))
    archive = tmp_path / "out" / "sciweek-backup.tar"

    out = io.StringIO()
    call_command("backup", out=str(archive), stdout=out)
    assert "已备份" in out.getvalue()

    source_tables = table_fingerprints()
    source_files = {name: file_sha256(path) for name, path in media_files(Path(settings.MEDIA_ROOT))}
    assert len(source_files) == 3
    assert source_tables["orgs_orgunit"]["rows"] > 10  # the demo is in there
    manifest = read_manifest(archive)
    assert manifest["tables"] == source_tables
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == source_files
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["versions"]["django"] and manifest["migrations"]["accounts"]
    with tarfile.open(archive) as tar:
        member = manifest["database"]["member"]
        assert member == ("database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3")
        if member == "database.pgdump":
            assert tar.extractfile(member).read(5) == b"PGDMP"  # pg_dump's custom format

    env = _target_env(tmp_path)
    done = _sciweek(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr + done.stdout
    assert "校验一致" in done.stdout

    assert _fingerprints_of(env) == source_tables
    media2 = Path(env["SCIWEEK_MEDIA_ROOT"])
    assert {name: file_sha256(path) for name, path in media_files(media2)} == source_files

    # A second restore into what is now a full database is refused, unless forced.
    again = _sciweek(env, "restore", str(archive))
    assert again.returncode != 0 and "不是空的" in again.stderr
    forced = _sciweek(env, "restore", str(archive), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _fingerprints_of(env) == source_tables


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_before_anything_changes(demo, tmp_path):
    default_storage.save("reports/a.jpg", ContentFile(_jpeg("green")))
    archive = tmp_path / "b.tar"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(archive) as src, tarfile.open(tampered, "w") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == "media/reports/a.jpg":
                data = data[:-10] + b"0123456789"
            dst.addfile(info, io.BytesIO(data))
    env = _target_env(tmp_path)
    done = _sciweek(env, "restore", str(tampered))
    assert done.returncode != 0 and "校验失败" in done.stderr
    assert _fingerprints_of(env) == {}  # nothing was written
