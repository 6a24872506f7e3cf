"""Event descriptions: stored as typed, cleaned with nh3 every time they are shown."""

from __future__ import annotations

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def description_html(text: str) -> SafeString:
    """Plain text gets paragraphs; HTML keeps a few harmless tags, and links open safely."""
    text = text or ""
    if "<" not in text:
        return mark_safe(linebreaks(escape(text)))  # noqa: S308 — escaped above
    cleaned = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3
