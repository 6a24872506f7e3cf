"""The accuracy harness: notices of our own in every shape, the JSON expected of each, and a scorer.

``run(notices)`` parses each notice in each of its shapes through the same path an upload takes
(``parse_notice_file``) and scores the draft's JSON against the expected JSON (see ``scorer.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sciweek.notices.extract import parse_notice_file

from .render import Block, to_docx, to_flat, to_pdf, to_text
from .scorer import score


def render(blocks: list[Block], shape: str) -> tuple[bytes, str]:
    """(file content, file name) of a notice in one shape."""
    if shape == "docx":
        return to_docx(blocks), "notice.docx"
    if shape == "pdf":
        return to_pdf(blocks), "notice.pdf"
    if shape == "flat":
        return to_flat(blocks, " ").encode(), "notice.txt"
    if shape == "flat0":
        return to_flat(blocks, "").encode(), "notice.txt"
    return to_text(blocks, shape).encode(), "notice.txt"


@dataclass
class Result:
    name: str
    shape: str
    score: float
    per_key: dict[str, float]
    draft: dict[str, Any]


def run(notices: dict[str, tuple[list[Block], dict[str, Any], tuple[str, ...]]]) -> list[Result]:
    results = []
    for name, (blocks, expected, shapes) in notices.items():
        for shape in shapes:
            data, filename = render(blocks, shape)
            draft = parse_notice_file(data, filename).to_json()
            overall, per_key = score(expected, draft)
            results.append(Result(name, shape, overall, per_key, draft))
    return results


def overall(results: list[Result]) -> float:
    return sum(r.score for r in results) / len(results) if results else 0.0
