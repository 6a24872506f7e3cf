"""An event's registrations as CSV for its staff and the organizer (personal data: audited).

UTF-8 with a byte-order mark, so Excel opens the Chinese correctly; mobile numbers in full only for
those the masking rules allow (access.can_see_phones), otherwise 138****5678. Cells that a
spreadsheet would read as a formula get a leading ' (sciweek.core.cells) so a registrant's "name"
can never run as a formula on a staff member's computer.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Case, When
from django.utils import timezone

from sciweek.core.audit import audit_log
from sciweek.core.cells import safe_text
from sciweek.core.masking import mask_phone

from .access import can_see_phones
from .models import Event

HEADER = ["姓名", "手机号", "人数", "状态", "报名时间", "候补转正时间", "取消时间", "签到时间"]


def safe_cell(value: Any) -> str:
    """A CSV cell: text, made safe by the platform's one helper."""
    return safe_text("" if value is None else str(value))


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def registrations_csv(*, actor: Any, event: Event) -> tuple[str, bytes, int]:
    """(file name, CSV bytes, rows) for `event`; writes an audit record of the export."""
    full = can_see_phones(actor, event)
    order = Case(When(status="confirmed", then=0), When(status="waitlisted", then=1), default=2)
    rows = event.registrations.select_related("checkin").order_by(order, "created_at", "id")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    n = 0
    for r in rows.iterator(chunk_size=1000):
        checkin = getattr(r, "checkin", None)
        writer.writerow(
            [
                safe_cell(r.name),
                safe_cell(r.phone if full else mask_phone(r.phone)),
                r.party_size,
                r.get_status_display(),
                _when(r.created_at),
                _when(r.promoted_at),
                _when(r.cancelled_at),
                _when(checkin.checked_in_at if checkin else None),
            ]
        )
        n += 1
    audit_log(
        actor=actor,
        action="registration.export",
        obj=event,
        after={"rows": n, "phones": "full" if full else "masked", "format": "csv"},
        note="导出报名名单（个人信息）",
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"报名名单-{event.title[:40]}-{stamp}.csv", out.getvalue().encode("utf-8"), n
