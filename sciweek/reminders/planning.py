"""Who gets which reminder at a given moment: computed at sending time from the compliance registry.

For each requirement of a live campaign (published, running, reporting) whose rule has a slot due at
``at`` (slots.py), the units that have not complied are asked of the compliance registry in one batch;
each such unit's reporters (its head when it has none) get the reminder on every channel they allow,
and from the escalation slot on its head and the campaign's organizers too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from sciweek.accounts.models import Profile
from sciweek.campaigns.compliance import batch_compliance
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.orgs.models import Membership, OrgUnit, Role

from .models import Channel, Preference, ReminderRule
from .slots import Slot, current_slot, deadline_text, default_rule, quiet_shift

LIVE = (Campaign.Status.PUBLISHED, Campaign.Status.RUNNING, Campaign.Status.REPORTING)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def public_url(path: str) -> str:
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", [])
    return (
        getattr(settings, "SCIWEEK_PUBLIC_URL", "") or (origins[0] if origins else DEFAULT_PUBLIC_URL)
    ) + path


@dataclass(slots=True)
class Planned:
    requirement_id: int
    requirement_kind: str
    requirement_title: str
    campaign_id: int
    unit_id: int
    unit_name: str
    user_id: int
    username: str
    channel: str
    slot: str
    due_at: dt.datetime  # the slot's time
    send_after: dt.datetime  # quiet hours moved an SMS to their end
    escalation: bool
    address: str
    subject: str
    text: str
    link: str  # a path on the platform (texts carry the absolute address)

    @property
    def key(self) -> tuple[int, int, int, str, str]:
        return (self.requirement_id, self.unit_id, self.user_id, self.channel, self.slot)

    def as_json(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "requirement_id": self.requirement_id,
            "requirement_kind": self.requirement_kind,
            "requirement_title": self.requirement_title,
            "user": self.username,
            "channel": self.channel,
            "slot": self.slot,
            "escalation": self.escalation,
            "due_at": self.due_at.isoformat(),
            "send_at": self.send_after.isoformat(),
        }


@dataclass
class Person:
    id: int
    username: str
    email: str
    mobile: str
    pref: Preference


def _people(members: Q) -> dict[int, Person]:
    """The people matching ``members`` (a condition on their memberships), with their mobile numbers
    and preferences, in three queries joined on the database (not thousands of ids sent back)."""
    User = get_user_model()
    users = User.objects.filter(members, is_active=True).values_list("pk", "username", "email").distinct()
    mobiles = dict(
        Profile.objects.filter(user__in=User.objects.filter(members)).values_list("user_id", "mobile")
    )
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=User.objects.filter(members))}
    return {
        pk: Person(pk, name, email or "", mobiles.get(pk) or "", prefs.get(pk) or Preference(user_id=pk))
        for pk, name, email in users
    }


class _CampaignPeople:
    """The members of a campaign's units and its organizers, read once per tick."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.units = {u.pk: u for u in campaign.participating_units().only("id", "name", "path")}
        self.reporters: dict[int, list[int]] = defaultdict(list)
        self.heads: dict[int, list[int]] = defaultdict(list)
        rows = Membership.objects.filter(
            unit__path__startswith=campaign.org_unit.path, role__in=[Role.UNIT_REPORTER, Role.UNIT_HEAD]
        ).values_list("unit_id", "user_id", "role")
        for unit_id, user_id, role in rows:
            (self.reporters if role == Role.UNIT_REPORTER else self.heads)[unit_id].append(user_id)
        self.organizers = list(
            Membership.objects.filter(unit=campaign.org_unit, role=Role.ORGANIZER).values_list(
                "user_id", flat=True
            )
        )
        self.people = _people(
            Q(
                memberships__unit__path__startswith=campaign.org_unit.path,
                memberships__role__in=[Role.UNIT_REPORTER, Role.UNIT_HEAD],
            )
            | Q(memberships__unit=campaign.org_unit, memberships__role=Role.ORGANIZER)
        )

    def recipients(self, unit_id: int, escalation: bool) -> list[tuple[int, bool]]:
        """(user id, told as escalation) for one unit."""
        first = self.reporters.get(unit_id) or self.heads.get(unit_id) or []
        out = [(u, False) for u in first]
        if escalation:
            seen = set(first)
            for u in [*self.heads.get(unit_id, []), *self.organizers]:
                if u not in seen:
                    seen.add(u)
                    out.append((u, True))
        return out


def _texts(
    campaign: Campaign, req: Requirement, unit: OrgUnit, slot: Slot, to_organizer: bool, deadline: str
) -> tuple[str, str, str]:
    if to_organizer:
        path = f"/reminders/campaigns/{campaign.pk}/units/{unit.pk}/"
        subject = f"{unit.name}仍未完成“{req.title}”"
        text = f"{campaign.title}：{unit.name}仍未完成“{req.title}”（{deadline}截止，{slot.label}）。详情：{public_url(path)}"
        return subject, text, path
    path = "/my/"
    if slot.overdue:
        subject = f"已逾期：{req.title}（{deadline}截止）"
        text = f"{campaign.title}：贵单位尚未完成“{req.title}”，已于{deadline}截止，请尽快办理：{public_url(path)}"
    else:
        subject = f"提醒：{req.title}将于{deadline}截止"
        text = f"{campaign.title}：贵单位尚未完成“{req.title}”，截止时间{deadline}，请及时办理：{public_url(path)}"
    return subject, text, path


def plan(*, at: dt.datetime, campaign_ids: list[int] | None = None) -> list[Planned]:
    campaigns = Campaign.objects.filter(status__in=LIVE).select_related("org_unit")
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=campaign_ids)
    out: list[Planned] = []
    for campaign in campaigns:
        reqs = list(campaign.requirements.prefetch_related("applies_to"))
        rules = {r.requirement_id: r for r in ReminderRule.objects.filter(requirement__in=reqs)}
        due = [(req, current_slot(rules.get(req.pk) or default_rule(req), req.due_at, at)) for req in reqs]
        due = [(req, slot) for req, slot in due if slot is not None]
        if not due:
            continue
        people = _CampaignPeople(campaign)
        for req, slot in due:
            out.extend(_plan_requirement(campaign, req, slot, people, at))
    return out


def _plan_requirement(
    campaign: Campaign, req: Requirement, slot: Slot, people: _CampaignPeople, at: dt.datetime
) -> list[Planned]:
    req.campaign = campaign
    applies = [u.pk for u in req.applies_to.all()]
    units = (
        [people.units[pk] for pk in applies if pk in people.units] if applies else list(people.units.values())
    )
    compliance = batch_compliance(req, units)
    deadline = deadline_text(req.due_at)
    shifted: dict[tuple, dt.datetime] = {}  # quiet hours → when a text goes out; few distinct settings
    out = []
    for unit in units:
        if compliance[unit.pk].done:
            continue
        for user_id, escalated in people.recipients(unit.pk, slot.escalation):
            person = people.people.get(user_id)
            if person is None:
                continue
            subject, text, link = _texts(
                campaign, req, unit, slot, user_id in people.organizers and escalated, deadline
            )
            channels = [(Channel.INAPP, "", at)]
            if person.pref.email and person.email:
                channels.append((Channel.EMAIL, person.email, at))
            if person.pref.sms and person.mobile:
                quiet = (person.pref.quiet_start, person.pref.quiet_end)
                if quiet not in shifted:
                    shifted[quiet] = quiet_shift(at, *quiet)
                channels.append((Channel.SMS, person.mobile, shifted[quiet]))
            for channel, address, send_after in channels:
                out.append(
                    Planned(
                        requirement_id=req.pk,
                        requirement_kind=req.kind,
                        requirement_title=req.title,
                        campaign_id=campaign.pk,
                        unit_id=unit.pk,
                        unit_name=unit.name,
                        user_id=user_id,
                        username=person.username,
                        channel=channel,
                        slot=slot.key,
                        due_at=slot.at,
                        send_after=send_after,
                        escalation=escalated or slot.escalation,
                        address=address,
                        subject=subject,
                        text=text,
                        link=link,
                    )
                )
    return out
