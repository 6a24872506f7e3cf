"""A notice imported again for a region and year that already has a campaign: never a silent second
one. The organizer chooses to update the existing campaign (its fields, issuers and content themes;
the diff is shown first) or to create a separate campaign whose title differs from every other
campaign of that region and year."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit

from .plan import ImportPlan

UPDATE, SEPARATE = "update", "separate"
LABELS = {
    "title": "标题",
    "theme": "活动主题",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "doc_number": "文号",
    "issue_date": "发文日期",
    "issuer_text": "落款",
    "addressees": "主送",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "contact_email": "电子邮箱",
    "close_of_business": "下班时间",
}


def existing_campaigns(region: OrgUnit, year: int | None) -> list[Campaign]:
    if not year:
        return []
    return list(Campaign.objects.filter(org_unit=region, year=year).order_by("pk"))


def _show(value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    return str(value)


def campaign_diff(
    campaign: Campaign,
    fields: dict[str, Any],
    themes: list[str] | None = None,
    issuers: list[OrgUnit] | None = None,
) -> list[tuple[str, str, str]]:
    """(field, now, after the update) for every field the update would change."""
    out = []
    for key, label in LABELS.items():
        if key in fields and _show(getattr(campaign, key)) != _show(fields[key]):
            out.append((label, _show(getattr(campaign, key)), _show(fields[key])))
    themes_now = [t.title for t in campaign.content_themes.order_by("number")]
    if themes is not None and themes_now != themes:
        out.append(("主要内容", "；".join(themes_now) or "（空）", "；".join(themes) or "（空）"))
    issuers_now = sorted(u.name for u in campaign.issuers.all())
    issuers_new = sorted(u.name for u in issuers or [])
    if issuers and issuers_now != issuers_new:
        out.append(("主办单位", "、".join(issuers_now) or "（空）", "、".join(issuers_new)))
    return out


def check_identity(*, region: OrgUnit, plan: ImportPlan, choice: str) -> Campaign | None:
    """The campaign to update (``update:<id>``), None to create one; refuses a silent duplicate."""
    existing = existing_campaigns(
        region, plan.fields.get("year") or getattr(plan.fields.get("start_date"), "year", None)
    )
    if not existing:
        return None
    names = "、".join(f"「{c.title}」" for c in existing)
    if choice.startswith(f"{UPDATE}:"):
        raw = choice.removeprefix(f"{UPDATE}:")
        found = next((c for c in existing if str(c.pk) == raw), None)
        if found is None:
            raise ValidationError({"identity": [_("所选要更新的活动周不存在或不属于本地区本年度")]})
        return found
    if choice == SEPARATE:
        title = (plan.fields.get("title") or "").strip()
        if any(c.title.strip() == title for c in existing):
            raise ValidationError(
                {"title": [_("另建活动周须使用与已有活动周不同的标题（已有%(names)s）") % {"names": names}]}
            )
        return None
    raise ValidationError(
        {
            "identity": [
                _("%(region)s该年度已有活动周%(names)s：请选择更新现有活动周，或另建一个标题不同的活动周")
                % {"region": region.name, "names": names}
            ]
        }
    )
