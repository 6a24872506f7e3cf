"""Which campaign a command (or a script) means: ``--campaign`` takes an id, or a year with ``--region``
(a unit code). A year that matches several campaigns is refused with the candidates listed, never guessed."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sciweek.orgs.models import OrgUnit

from .models import Campaign


class AmbiguousCampaign(ValueError):
    pass


def resolve_campaign(ref: str | int, region: str | None = None) -> Campaign:
    """An id (any number not in 1900–2999, or ``id:N``), else a year with an optional region code."""
    text = str(ref).strip()
    qs = Campaign.objects.select_related("org_unit").order_by("org_unit__path", "pk")
    if text.startswith("id:") or (text.isdigit() and not 1900 <= int(text) <= 2999):
        found = (
            qs.filter(pk=int(text.removeprefix("id:"))).first()
            if text.removeprefix("id:").isdigit()
            else None
        )
        if found is None:
            raise AmbiguousCampaign(
                _("没有编号为 %(number)s 的活动周") % {"number": text.removeprefix("id:")}
            )
        return found
    if not text.isdigit():
        raise AmbiguousCampaign(_("--campaign 须为活动周编号或年度，收到「%(text)s」") % {"text": text})
    qs = qs.filter(year=int(text))
    if region:
        unit = OrgUnit.objects.filter(code=region).first()
        if unit is None:
            raise AmbiguousCampaign(_("没有代码为「%(region)s」的地区") % {"region": region})
        qs = qs.filter(org_unit=unit)
    found = list(qs[:21])
    if not found:
        raise AmbiguousCampaign(
            (_("没有%(text)s年的活动周") % {"text": text})
            + ((_("（地区代码 %(region)s）") % {"region": region}) if region else "")
        )
    if len(found) > 1:
        listing = "\n".join(
            f"  --campaign id:{c.pk}   （{c.org_unit.name}，--region {c.org_unit.code}）{c.title}"
            for c in found[:20]
        )
        raise AmbiguousCampaign(
            _("%(text)s年有%(count)s个活动周，请用编号或 --region 指定：\n%(listing)s")
            % {"text": text, "count": len(found), "listing": listing}
        )
    return found[0]
