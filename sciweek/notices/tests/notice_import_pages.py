"""Helpers for the notice import tests: submit a page's form the way a browser would (every input,
select and textarea with the value the page shows), after changing only what a user would change."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import conftest


def seed_bytes() -> bytes:
    return Path(conftest.SEED).read_bytes()


def seed_docx() -> bytes:
    from .notice_files import SEED_TABLE, make_docx, split_seed

    head, tail = split_seed(seed_bytes().decode("utf-8"))
    return make_docx(head, SEED_TABLE, tail)


class _FormParser(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._option: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._option, self._option_selected = a.get("value", ""), "selected" in a
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._option is not None:
            if self._option_selected and self._select:
                self.fields.append((self._select, self._option))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)


def form_data(html: str, form_id: str = "review-form") -> dict[str, Any]:
    """{name: value or [values]} of the form as the page shows it."""
    parser = _FormParser(form_id)
    parser.feed(html)
    out: dict[str, Any] = {}
    for name, value in parser.fields:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


def values(data: dict[str, Any], name: str) -> list[str]:
    v = data.get(name, [])
    return v if isinstance(v, list) else [v]


def find_index(data: dict[str, Any], prefix: str, field: str, value: str) -> int:
    """The index i of the formset form whose ``{prefix}-{i}-{field}`` is ``value``."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for i in range(total):
        if data.get(f"{prefix}-{i}-{field}") == value:
            return i
    raise AssertionError(f"no {prefix} form with {field}={value!r}")
