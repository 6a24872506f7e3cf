"""Writes to campaigns, main activities and requirements. Keyword-only, audited, transactional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version
from sciweek.core.notify import notify_units
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.validators import check_phone

from . import lifecycle
from .activity_panels import kind_choices
from .models import Campaign, ContentTheme, MainActivity, Requirement

# How far a deadline may sit from the week before it is surely a typo (wrong month or year).
DEADLINE_BEFORE_START = dt.timedelta(days=120)
DEADLINE_AFTER_END = dt.timedelta(days=90)

CAMPAIGN_FIELDS = (
    "title",
    "year",
    "theme",
    "start_date",
    "end_date",
    "doc_number",
    "issue_date",
    "issuer_text",
    "addressees",
    "contact_person",
    "contact_phone",
    "contact_email",
    "close_of_business",
    "max_video_minutes",
    "references",
    "notice_text",
)


def check_campaign_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    theme = (data.get("theme") or "").strip()
    if not title:
        errors["title"] = _("请填写活动周标题。")
    if not theme:
        errors["theme"] = _("请填写活动主题。")
    start, end = data.get("start_date"), data.get("end_date")
    if not start:
        errors["start_date"] = _("请填写开始日期。")
    if not end:
        errors["end_date"] = _("请填写结束日期。")
    if start and end and end < start:
        errors["end_date"] = _("结束日期（%(end)s）不能早于开始日期（%(start)s）。") % {
            "end": format(end, _("%Y年%-m月%-d日")),
            "start": format(start, _("%Y年%-m月%-d日")),
        }
    if start and end and (end - start).days > 62:
        errors["end_date"] = _("活动周跨度超过两个月，请检查日期是否填写正确。")
    year = data.get("year")
    if start and year and abs(start.year - int(year)) > 1:
        errors["year"] = _("年度 %(year)s 与开始日期 %(start)s 不符。") % {
            "year": year,
            "start": format(start, _("%Y年")),
        }
    if phone := (data.get("contact_phone") or "").strip():
        try:
            data["contact_phone"] = check_phone(phone, field="contact_phone", label="联系电话")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if (mins := data.get("max_video_minutes")) is not None and not (0 < int(mins) <= 120):
        errors["max_video_minutes"] = _("视频时长上限应在1到120分钟之间。")
    if errors:
        raise ValidationError(errors)
    data["title"], data["theme"] = title, theme
    return data


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    org_unit: OrgUnit,
    issuers: Iterable[OrgUnit] = (),
    content_themes: Iterable[str] = (),
    **fields: Any,
) -> Campaign:
    unknown = set(fields) - set(CAMPAIGN_FIELDS) - {"status"}
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    fields = check_campaign_fields(dict(fields))
    fields.setdefault("year", fields["start_date"].year)
    campaign = Campaign.objects.create(org_unit=org_unit, **fields)
    campaign.issuers.set(list(issuers))
    for number, title in enumerate(content_themes, start=1):
        ContentTheme.objects.create(campaign=campaign, number=number, title=title)
    audit_log(actor=actor, action="campaign.create", obj=campaign, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_update(
    *,
    actor: Any,
    campaign: Campaign,
    version: int | None,
    issuers: Iterable[OrgUnit] | None = None,
    content_themes: list[str] | None = None,
    **fields: Any,
) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    lifecycle.check_open(campaign, "setup")
    check_version(campaign, version, _("活动周信息"))
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    before = snapshot(campaign) | {"content_themes": [t.title for t in campaign.content_themes.all()]}
    merged = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS} | fields
    merged = check_campaign_fields(merged)
    for name in fields:
        setattr(campaign, name, merged[name])
    campaign.version += 1
    campaign.save()
    if issuers is not None:
        campaign.issuers.set(list(issuers))
    if content_themes is not None:
        _set_content_themes(campaign, content_themes)
    after = snapshot(campaign) | {"content_themes": [t.title for t in campaign.content_themes.all()]}
    audit_log(actor=actor, action="campaign.update", obj=campaign, before=before, after=after)
    return campaign


def _set_content_themes(campaign: Campaign, titles: list[str]) -> None:
    titles = [t.strip() for t in titles if t and t.strip()]
    existing = list(campaign.content_themes.all())
    for number, title in enumerate(titles, start=1):
        if number <= len(existing):
            theme = existing[number - 1]
            if theme.title != title:
                theme.title = title
                theme.save(update_fields=["title"])
        else:
            ContentTheme.objects.create(campaign=campaign, number=number, title=title)
    campaign.content_themes.filter(number__gt=len(titles)).delete()


@transaction.atomic
def campaign_set_status(*, actor: Any, campaign: Campaign, status: str) -> Campaign:
    if status not in Campaign.Status.values:
        raise ValidationError({"status": (_("未知状态「%(status)s」。") % {"status": status})})
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = {"status": campaign.status}
    campaign.status = status
    campaign.version += 1
    campaign.save(update_fields=["status", "version"])
    audit_log(actor=actor, action="campaign.status", obj=campaign, before=before, after={"status": status})
    if status == Campaign.Status.PUBLISHED:
        notify_units(
            units=campaign.participating_units(),
            title=(_("%(title)s已发布") % {"title": campaign.title}),
            body=(
                _("活动时间：%(start_date)s至%(end_date)s；主题：%(theme)s")
                % {
                    "start_date": format(campaign.start_date, _("%Y年%-m月%-d日")),
                    "end_date": format(campaign.end_date, _("%Y年%-m月%-d日")),
                    "theme": campaign.theme,
                }
            ),
            link="/my/",
        )
    elif status != before["status"]:
        # Every move is told to the units it opens or closes things for (lifecycle.py says what).
        opened = "、".join(
            lifecycle.LABELS[a] for a in lifecycle.OPEN if status in lifecycle.OPEN[a] and a != "setup"
        )
        notify_units(
            units=[campaign.org_unit, *campaign.participating_units()],
            title=(
                _("%(title)s：状态变为“%(status)s”")
                % {"title": campaign.title, "status": campaign.get_status_display()}
            ),
            body=(_("现在可以：%(opened)s。") % {"opened": opened})
            if opened
            else _("活动周已结束，各项内容只能查看。"),
            link="/my/",
            email=False,
        )
    return campaign


def _check_activity(campaign: Campaign, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("请填写活动名称。")
    if not data.get("lead_units"):
        errors["lead_units"] = _("请至少选择一个牵头单位。")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends < starts:
        errors["ends_at"] = _("结束时间不能早于开始时间。")
    outside = [
        u.name
        for u in [*data.get("lead_units", []), *data.get("cooperating_units", [])]
        if not u.path.startswith(campaign.org_unit.path)
    ]
    if outside:
        errors["lead_units"] = _("单位不属于本次活动周的范围：%(outside)s。") % {
            "outside": "、".join(outside)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_save(
    *,
    actor: Any,
    campaign: Campaign,
    activity: MainActivity | None = None,
    version: int | None = None,
    number: int,
    title: str,
    lead_units: list[OrgUnit],
    cooperating_units: list[OrgUnit],
    content: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    venue: str = "",
    schedule_note: str = "",
    lead_text: str = "",
    cooperating_text: str = "",
    panel_kind: str | None = None,  # None: left as it is
) -> MainActivity:
    lifecycle.check_open(campaign, "setup")
    if panel_kind is not None and panel_kind not in {k for k, _label in kind_choices()}:
        raise ValidationError({"panel_kind": _("专项数据类别无效：%(kind)s") % {"kind": panel_kind}})
    _check_activity(
        campaign,
        {
            "title": title,
            "lead_units": lead_units,
            "cooperating_units": cooperating_units,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
    )
    if activity is None:
        if MainActivity.objects.filter(campaign=campaign, number=number).exists():
            raise ValidationError(
                {"number": (_("序号 %(number)s 已被其他主要活动使用。") % {"number": number})}
            )
        activity = MainActivity(campaign=campaign, number=number)
        before = None
        was_scheduled = None
    else:
        activity = MainActivity.objects.select_for_update().get(pk=activity.pk, campaign=campaign)
        check_version(activity, version, _("主要活动「%(title)s」") % {"title": activity.title})
        before = snapshot(activity)
        was_scheduled = (activity.starts_at, activity.venue)
        if (
            number != activity.number
            and MainActivity.objects.filter(campaign=campaign, number=number).exists()
        ):
            raise ValidationError(
                {"number": (_("序号 %(number)s 已被其他主要活动使用。") % {"number": number})}
            )
        activity.number = number
        activity.version += 1
    activity.title, activity.content, activity.venue = title.strip(), content.strip(), venue.strip()
    activity.starts_at, activity.ends_at = starts_at, ends_at
    activity.schedule_note = schedule_note.strip() or ("" if starts_at and venue else "另行通知")
    activity.lead_text, activity.cooperating_text = lead_text, cooperating_text
    if panel_kind is not None:
        activity.panel_kind = panel_kind
    activity.save()
    activity.lead_units.set(lead_units)
    activity.cooperating_units.set(cooperating_units)
    after = snapshot(activity)
    audit_log(actor=actor, action="activity.save", obj=activity, before=before, after=after)
    if (
        was_scheduled is not None
        and was_scheduled != (activity.starts_at, activity.venue)
        and activity.starts_at
    ):
        # "具体时间、地点另行通知": once set, every unit involved hears of it.
        when = timezone.localtime(activity.starts_at).strftime("%Y年%-m月%-d日 %H:%M")
        notify_units(
            units=OrgUnit.objects.filter(pk__in=activity.involved_units()),
            title=(_("主要活动「%(title)s」时间地点已确定") % {"title": activity.title}),
            body=(
                _("时间：%(when)s；地点：%(value)s") % {"when": when, "value": activity.venue or _("待定")}
            ),
            link="/my/",
        )
    return activity


def check_deadline(campaign: Campaign, due_at: dt.datetime) -> None:
    local = timezone.localtime(due_at).date()
    if local < campaign.start_date - DEADLINE_BEFORE_START or local > campaign.end_date + DEADLINE_AFTER_END:
        raise ValidationError(
            {
                "due_at": (
                    _("截止时间 %(local)s 离活动周（%(start_date)s至%(end_date)s）太远，请检查年份和月份。")
                    % {
                        "local": format(local, _("%Y年%-m月%-d日")),
                        "start_date": format(campaign.start_date, _("%Y年%-m月%-d日")),
                        "end_date": format(campaign.end_date, _("%Y年%-m月%-d日")),
                    }
                )
            }
        )


def close_of_business_on(campaign: Campaign, day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, campaign.close_of_business))


@transaction.atomic
def requirement_save(
    *,
    actor: Any,
    campaign: Campaign,
    requirement: Requirement | None = None,
    version: int | None = None,
    kind: str,
    title: str,
    due_at: dt.datetime,
    description: str = "",
    applies_to: list[OrgUnit] | None = None,
    min_count: int | None = None,
    target_count: int | None = None,
    due_is_close_of_business: bool = False,
    lock_at_deadline: bool = False,
    check_range: bool = True,
) -> Requirement:
    """``check_range=False``: the deadline belongs to another record that checked it (a selection's)."""
    lifecycle.check_open(campaign, "setup")
    if kind not in Requirement.Kind.values:
        raise ValidationError({"kind": (_("未知的要求类型「%(kind)s」。") % {"kind": kind})})
    if not (title or "").strip():
        raise ValidationError({"title": _("请填写要求名称。")})
    if due_is_close_of_business:
        due_at = close_of_business_on(campaign, timezone.localtime(due_at).date())
    if check_range:
        check_deadline(campaign, due_at)
    if min_count is not None and target_count is not None and target_count < min_count:
        raise ValidationError({"target_count": _("目标次数不能少于最少次数。")})
    if requirement is None:
        requirement, before = Requirement(campaign=campaign), None
    else:
        requirement = Requirement.objects.select_for_update().get(pk=requirement.pk, campaign=campaign)
        check_version(requirement, version, _("要求「%(title)s」") % {"title": requirement.title})
        before = snapshot(requirement)
        requirement.version += 1
    requirement.kind, requirement.title, requirement.description = kind, title.strip(), description.strip()
    requirement.due_at, requirement.due_is_close_of_business = due_at, due_is_close_of_business
    requirement.min_count, requirement.target_count = min_count, target_count
    requirement.lock_at_deadline = lock_at_deadline
    requirement.save()
    if applies_to is not None:
        requirement.applies_to.set(applies_to)
    audit_log(
        actor=actor, action="requirement.save", obj=requirement, before=before, after=snapshot(requirement)
    )
    return requirement


@transaction.atomic
def requirement_delete(*, actor: Any, requirement: Requirement) -> None:
    lifecycle.check_open(requirement.campaign, "setup")
    audit_log(actor=actor, action="requirement.delete", obj=requirement, before=snapshot(requirement))
    requirement.delete()
