"""Large events (notice 五.4 "合理控制各类活动规模"): an offline event whose expected scale reaches the
threshold of the large public events safety rules (settings.SCIWEEK_LARGE_EVENT_SCALE, 1,000 people by
default) needs its safety plan uploaded and the permit number filled in before the bureau approves it;
the bureau sees the large events with expected against registered numbers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log
from sciweek.core.files import UploadRejected, save_upload_streamed

from .models import Event

PLAN_KINDS = frozenset({"pdf", "docx", "jpeg", "png"})
PLAN_MAX_BYTES = 20 * 1024 * 1024


def threshold() -> int:
    return int(getattr(settings, "SCIWEEK_LARGE_EVENT_SCALE", 1000))


def is_large(event: Event) -> bool:
    return event.is_offline and (event.expected_scale or 0) >= threshold()


def missing_for_approval(event: Event) -> list[str]:
    """What a large event still lacks before it may be approved (empty for other events)."""
    if not is_large(event):
        return []
    missing = []
    if not event.safety_plan:
        missing.append(_("安全工作方案"))
    if not event.permit_number.strip():
        missing.append(_("安全许可文号"))
    return missing


def check_large_event(event: Event) -> None:
    missing = missing_for_approval(event)
    if missing:
        raise ValidationError(
            _(
                "预计规模%(scale)s人，达到大型群众性活动标准（%(threshold)s人），"
                "须先上传%(missing)s才能通过审核（通知五.4）。"
            )
            % {"scale": event.expected_scale, "threshold": threshold(), "missing": _("、").join(missing)}
        )


@transaction.atomic
def event_safety_save(*, actor: Any, event: Event, permit_number: str, upload: Any = None) -> Event:
    """The unit files the permit number and (optionally) a new safety plan for its event."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    permit_number = " ".join((permit_number or "").split())
    if len(permit_number) > 100:
        raise ValidationError({"permit_number": _("安全许可文号不能超过100个字。")})
    before = {"permit_number": event.permit_number, "safety_plan": event.safety_plan_name}
    fields = ["permit_number", "version", "updated_at"]
    if upload is not None:
        try:
            stored = save_upload_streamed(
                upload,
                storage=default_storage,
                folder=f"events/safety/{event.pk}",
                max_bytes=PLAN_MAX_BYTES,
                allowed_kinds=PLAN_KINDS,
                field_label=_("安全工作方案"),
            )
        except UploadRejected as exc:
            raise ValidationError({"safety_plan": exc.message}) from None
        old = event.safety_plan.name
        event.safety_plan.name, event.safety_plan_name = stored.name, stored.original_name
        fields += ["safety_plan", "safety_plan_name"]
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    event.permit_number = permit_number
    event.version += 1
    event.save(update_fields=fields)
    audit_log(
        actor=actor,
        action="event.safety",
        obj=event,
        before=before,
        after={"permit_number": event.permit_number, "safety_plan": event.safety_plan_name},
    )
    return event


def large_events(campaign_id: int) -> QuerySet[Event]:
    return (
        Event.objects.filter(campaign_id=campaign_id, expected_scale__gte=threshold())
        .exclude(mode="online")
        .select_related("unit")
        .order_by("starts_at", "id")
    )
