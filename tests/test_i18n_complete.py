"""English is complete: every Chinese msgid in the whole sciweek/ tree has an English translation in the
merged catalogs (the root one and the apps' own), and no catalog holds a fuzzy entry.

The msgids are extracted afresh (makemessages over a copy of the tree into a temporary folder), so a
string added to a template or through gettext without its translation fails here.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent / "sciweek"
_SOURCES = {".py", ".html", ".txt", ".js"}


def _copy_sources(target: Path) -> None:
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if path.is_dir() or path.suffix not in _SOURCES:
            continue
        if {"locale", "tests", "migrations", "vendor", "__pycache__"} & set(rel.parts):
            continue
        dest = target / "sciweek" / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)


def _unquote(lines: list[str]) -> str:
    return "".join(ast.literal_eval(s) for s in lines)


def po_entries(text: str) -> list[dict]:
    """Each entry of a .po file: msgctxt, msgid, msgid_plural, msgstr(s), flags."""
    entries = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not lines:
            continue
        entry: dict = {"flags": "", "fields": {}}
        key = None
        for ln in lines:
            if ln.startswith("#,"):
                entry["flags"] += ln[2:]
            elif ln.startswith("#"):
                continue
            elif ln.startswith('"'):
                entry["fields"][key].append(ln)
            else:
                key, _, rest = ln.partition(" ")
                entry["fields"][key] = [rest]
        fields = {k: _unquote(v) for k, v in entry["fields"].items()}
        if "msgid" in fields:
            entries.append({"flags": entry["flags"], **fields})
    return entries


def _extract(tmp_path: Path) -> list[dict]:
    _copy_sources(tmp_path)
    (tmp_path / "locale").mkdir()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with override_settings(LOCALE_PATHS=[]):
            for domain in ("django", "djangojs"):
                call_command("makemessages", locale=["en"], domain=domain, verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    out = []
    for po in (tmp_path / "locale" / "en" / "LC_MESSAGES").glob("*.po"):
        out += po_entries(po.read_text(encoding="utf-8"))
    return out


def _translated(entry: dict) -> bool:
    msgid, ctx = entry["msgid"], entry.get("msgctxt")
    if "msgid_plural" in entry:
        return translation.ngettext(msgid, entry["msgid_plural"], 1) != msgid
    if ctx is not None:
        return translation.pgettext(ctx, msgid) != msgid
    return translation.gettext(msgid) != msgid


def test_every_chinese_msgid_has_an_english_translation(tmp_path):
    entries = [e for e in _extract(tmp_path) if re.search(r"[\u4e00-\u9fff]", e["msgid"])]
    assert len(entries) > 500  # the extraction found the platform's strings
    with translation.override("en"):
        missing = sorted({e["msgid"] for e in entries if not _translated(e)})
    assert not missing, f"{len(missing)} msgids without English, e.g. {missing[:15]}"


def test_no_catalog_holds_a_fuzzy_entry():
    catalogs = list(ROOT.glob("locale/*/LC_MESSAGES/*.po")) + list(ROOT.glob("*/locale/*/LC_MESSAGES/*.po"))
    assert catalogs
    fuzzy = [
        f"{po.relative_to(ROOT)}: {e['msgid'][:30]}"
        for po in catalogs
        for e in po_entries(po.read_text(encoding="utf-8"))
        if "fuzzy" in e["flags"] and e["msgid"]
    ]
    assert not fuzzy, fuzzy
