"""Writes on summaries: generate (or regenerate) a draft from the data, save the organizer's edits with a
version check. Both audited, both open from the week's start on, closed campaigns included
(campaigns/lifecycle.py "summary": a send-up returned after the close must be correctable). Access: a region's summary belongs to the organizers over it (bureau members
read it); a unit's summary to the unit's own reporters and heads and the organizers above it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.campaigns.access import access_campaign
from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log
from sciweek.core.clock import localdate, now
from sciweek.orgs.access import can_manage_unit, can_view_unit, is_bureau_member, reporting_units
from sciweek.orgs.models import OrgUnit

from . import charts
from .data import gather
from .drafting import default_title, draft_blocks
from .models import SummaryDraft
from .profiles import PROFILES

STYLES = {"h1", "h2", "h3", "h4", "p"}
MAX_BLOCKS = 300
MAX_TEXT = 5000


def default_node(campaign: Campaign, unit_id: Any = None) -> OrgUnit:
    if unit_id in (None, ""):
        return campaign.org_unit
    try:
        node = OrgUnit.objects.get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise Http404(_("单位不存在"))
    if not node.path.startswith(campaign.org_unit.path):
        raise Http404(_("单位不存在"))
    return node


def can_edit_summary(user: Any, node: OrgUnit) -> bool:
    if can_manage_unit(user, node):
        return True
    return not node.is_area and any(u.pk == node.pk for u in reporting_units(user))


def access_summary(
    user: Any, campaign_id: Any, unit_id: Any = None, *, edit: bool = False
) -> tuple[Campaign, OrgUnit]:
    """The campaign and the node whose summary is asked for, or 404 / 403 as the pages answer."""
    campaign = access_campaign(user, campaign_id)
    node = default_node(campaign, unit_id)
    if not can_view_unit(user, node):
        raise Http404(_("单位不存在"))
    if node.is_area and not is_bureau_member(user, node):
        raise PermissionDenied(_("只有组织单位可以查看地区的活动总结"))
    if edit and not can_edit_summary(user, node):
        raise PermissionDenied(_("您无权修改这份活动总结"))
    return campaign, node


def _signature(campaign: Campaign, node: OrgUnit) -> str:
    if not node.is_area:
        return node.name
    if node.pk == campaign.org_unit_id:
        issuers = [u.name for u in campaign.issuers.all()]
        if issuers:
            return issuers[0]
    return node.name


@transaction.atomic
def summary_generate(
    *, campaign: Campaign, node: OrgUnit, actor: Any, approved_only: bool = True
) -> SummaryDraft:
    """A fresh draft from today's data (replacing the text of an existing one; its version goes up)."""
    check_open(campaign, "summary")
    figures = gather(campaign=campaign, node=node, approved_only=approved_only)
    draft = SummaryDraft.objects.select_for_update().filter(campaign=campaign, unit=node).first()
    fields = {
        "title": default_title(figures),
        "blocks": draft_blocks(figures),
        "charts": [key for key, _ in charts.available(figures)][:6],
        "photos": [h["photo"] for h in figures["highlights"] if h["photo"]][:12]
        or [p["key"] for p in figures["photos"][:6]],
        "figures": figures,
        "generated_at": now(),  # what 数据生成于 shows: a regeneration gathers anew
        "signature": _signature(campaign, node),
        "sign_date": localdate(),
        "edited": False,
        "updated_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    if draft is None:
        draft = SummaryDraft.objects.create(campaign=campaign, unit=node, **fields)
        action = "summary.generate"
    else:
        for k, v in fields.items():
            setattr(draft, k, v)
        draft.version += 1
        draft.save()
        action = "summary.regenerate"
    audit_log(
        actor=actor,
        action=action,
        obj=draft,
        object_repr=draft.title[:200],
        unit_path=node.path,
        after={"version": draft.version},
    )
    return draft


def summary_get_or_generate(*, campaign: Campaign, node: OrgUnit, actor: Any) -> SummaryDraft:
    draft = SummaryDraft.objects.filter(campaign=campaign, unit=node).first()
    return draft or summary_generate(campaign=campaign, node=node, actor=actor)


def _clean_blocks(blocks: Any) -> list[dict[str, str]]:
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise ValidationError({"blocks": [_("正文段落须为列表，最多%(n)s段") % {"n": MAX_BLOCKS}]})
    out = []
    for i, b in enumerate(blocks, 1):
        if (
            not isinstance(b, dict)
            or b.get("style", "p") not in STYLES
            or not isinstance(b.get("text", ""), str)
        ):
            raise ValidationError(
                {"blocks": [_("第%(i)s段格式不正确（style 须为 h1/h2/h3/h4/p）") % {"i": i}]}
            )
        text = b.get("text", "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationError({"blocks": [_("第%(i)s段超过%(n)s字") % {"i": i, "n": MAX_TEXT}]})
        if text:
            out.append({"style": b.get("style", "p"), "text": text})
    if not out:
        raise ValidationError({"blocks": [_("正文不能为空")]})
    return out


@transaction.atomic
def summary_update(
    *,
    draft: SummaryDraft,
    actor: Any,
    version: int,
    title: str | None = None,
    blocks: list[dict[str, str]] | None = None,
    charts_kept: list[str] | None = None,
    photos_kept: list[str] | None = None,
    signature: str | None = None,
    sign_date: dt.date | None = None,
    profile: str | None = None,
) -> SummaryDraft:
    locked = SummaryDraft.objects.select_for_update().select_related("campaign").get(pk=draft.pk)
    check_open(locked.campaign, "summary")
    if locked.version != version:
        raise ValidationError(
            _("这份总结已被他人修改（当前第%(v)s版），请刷新后再改") % {"v": locked.version}, code="stale"
        )
    before = {"title": locked.title, "blocks": len(locked.blocks)}
    if title is not None:
        title = title.strip()
        if not title or len(title) > 200:
            raise ValidationError({"title": [_("标题不能为空，且不超过200字")]})
        locked.title = title
    if blocks is not None:
        locked.blocks = _clean_blocks(blocks)
    if charts_kept is not None:
        unknown = [c for c in charts_kept if c not in charts.CHARTS]
        if unknown:
            raise ValidationError(
                {"charts": [_("没有这种图表：%(keys)s") % {"keys": "、".join(map(str, unknown))}]}
            )
        locked.charts = list(dict.fromkeys(charts_kept))
    if photos_kept is not None:
        known = {p["key"] for p in locked.figures.get("photos", [])} | {
            h["photo"] for h in locked.figures.get("highlights", []) if h.get("photo")
        }
        unknown = [p for p in photos_kept if p not in known]
        if unknown:
            raise ValidationError({"photos": [_("所选照片不属于本总结的范围")]})
        locked.photos = list(dict.fromkeys(photos_kept))
    if signature is not None:
        if len(signature) > 200:
            raise ValidationError({"signature": [_("落款单位不超过200字")]})
        locked.signature = signature.strip()
    if sign_date is not None:
        locked.sign_date = sign_date
    if profile is not None:
        if profile not in PROFILES:
            raise ValidationError({"profile": [_("没有这种版式")]})
        locked.profile = profile
    locked.version += 1
    locked.edited = True
    locked.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save()
    audit_log(
        actor=actor,
        action="summary.edit",
        obj=locked,
        object_repr=locked.title[:200],
        unit_path=locked.unit.path,
        before=before,
        after={"title": locked.title, "blocks": len(locked.blocks), "version": locked.version},
    )
    return locked
