"""Who may see, change, review and run an event.

- see: anyone whose scope reaches the event's unit (out of scope → 404);
- edit: the unit's own reporters / head, and organizers over it;
- review (approve / return): organizers over the campaign's region;
- run (check-in, outcome): the unit's own staff, organizers and co-organizers over it;
- full mobile numbers: the campaign region's own organizer and the event unit's head — everyone
  else (reporters at the door, co-organizers, higher levels) sees 138****5678.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from sciweek.orgs.access import can_manage_unit, can_view_unit, memberships_of, unit_scope_q
from sciweek.orgs.models import UNIT_ROLES, OrgUnit, Role

from .models import Event


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def visible_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(unit_scope_q(user, prefix="unit__"))


def is_unit_staff(user: Any, unit: OrgUnit) -> bool:
    return any(m.role in UNIT_ROLES and m.unit_id == unit.pk for m in memberships_of(user))


def can_edit_event(user: Any, event: Event) -> bool:
    return is_unit_staff(user, event.unit) or can_manage_unit(user, event.unit)


def can_create_for(user: Any, unit: OrgUnit) -> bool:
    return is_unit_staff(user, unit) or can_manage_unit(user, unit)


def can_review_event(user: Any, event: Event) -> bool:
    return can_manage_unit(user, event.campaign.org_unit)


def can_run_event(user: Any, event: Event) -> bool:
    if _superuser(user) or is_unit_staff(user, event.unit):
        return True
    return any(
        m.role in (Role.ORGANIZER, Role.CO_ORGANIZER) and event.unit.path.startswith(m.unit.path)
        for m in memberships_of(user)
    )


def can_see_phones(user: Any, event: Event) -> bool:
    if _superuser(user):
        return True
    for m in memberships_of(user):
        if m.role == Role.ORGANIZER and m.unit_id == event.campaign.org_unit_id:
            return True
        if m.role == Role.UNIT_HEAD and m.unit_id == event.unit_id:
            return True
    return False


RUN_FIELDS = (
    "id",
    "title",
    "status",
    "mode",
    "capacity",
    "registration_enabled",
    "confirmed_places",
    "waitlisted_count",
    "campaign_id",
    "unit__id",
    "unit__path",
    "unit__name",
    "unit__short_name",
)


def access_event(
    user: Any,
    event_id: Any,
    *,
    edit: bool = False,
    review: bool = False,
    run: bool = False,
    light: bool = False,
) -> Event:
    """The event if `user` may see it (404 otherwise) and do what is asked (403 otherwise).

    `light` loads only what the door's busy endpoints need (scans, the head count)."""
    qs = Event.objects.select_related("unit", "campaign", "campaign__org_unit")
    if light:
        qs = Event.objects.select_related("unit").only(*RUN_FIELDS)
    try:
        event = qs.get(pk=int(event_id))
    except (Event.DoesNotExist, TypeError, ValueError):
        raise Http404(_("活动不存在"))
    if not can_view_unit(user, event.unit):
        raise Http404(_("活动不存在"))
    if edit and not can_edit_event(user, event):
        raise PermissionDenied(_("您只能修改本单位的活动"))
    if review and not can_review_event(user, event):
        raise PermissionDenied(_("只有组织单位可以审核活动"))
    if run and not can_run_event(user, event):
        raise PermissionDenied(_("只有举办单位和组织单位的工作人员可以签到"))
    return event


REGISTER_FIELDS = (
    "id",
    "title",
    "status",
    "mode",
    "starts_at",
    "ends_at",
    "venue",
    "registration_enabled",
    "capacity",
    "waitlist_limit",
    "confirmed_places",
    "waitlisted_count",
    "campaign__id",
    "campaign__status",
    "unit__id",
    "unit__path",
    "unit__name",
)


def public_event(event_id: Any, *, light: bool = False) -> Event:
    """A published event of a published campaign for the public (anything else answers 404).

    `light` loads only what registering needs: the form is posted by many people at once."""
    qs = Event.objects.filter(status=Event.Status.APPROVED).exclude(campaign__status="draft")
    if light:
        qs = qs.select_related("unit", "campaign").only(*REGISTER_FIELDS)
    else:
        qs = qs.select_related("unit", "campaign", "content_theme", "main_activity")
    try:
        return qs.get(pk=int(event_id))
    except (Event.DoesNotExist, TypeError, ValueError):
        raise Http404(_("活动不存在或尚未发布"))
