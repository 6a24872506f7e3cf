"""The selection's nomination deadline and its campaign requirement are one date.

A selection makes its requirement (kind ``nomination``, for its nominating units) when it is created,
and moves it whenever its deadline or its nominating units change (``selection_set_deadline``). An
organizer who moves the requirement on the campaign's requirements page moves the selection's deadline
too (``follow_requirement``, a post_save receiver): either side may be edited, the date stays one.
The requirement is saved through campaigns' own service (life cycle checked, version-checked,
audited); the deadline's distance from the week is the selection's business, not checked there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns import lifecycle
from sciweek.campaigns.models import Requirement
from sciweek.campaigns.services import requirement_save
from sciweek.core.audit import audit_log
from sciweek.core.errors import StaleVersion
from sciweek.orgs.models import OrgUnit

from ..models import NominatingUnit, NominationRequirement, Selection


def requirement_sync(*, actor: Any, selection: Selection) -> Requirement:
    """Create or update the selection's requirement: its title, its deadline, its units."""
    link = NominationRequirement.objects.select_related("requirement").filter(selection=selection).first()
    units = list(
        OrgUnit.objects.filter(pk__in=NominatingUnit.objects.filter(selection=selection).values("unit_id"))
    )
    local = timezone.localtime(selection.nominate_until)
    requirement = requirement_save(
        actor=actor,
        campaign=selection.campaign,
        requirement=link.requirement if link else None,
        version=link.requirement.version if link else None,
        kind=Requirement.Kind.NOMINATION,
        title=_("推荐「%(title)s」人选") % {"title": selection.title},
        description=_("各推荐单位于%(when)s前推荐人选，每单位名额见评选设置。")
        % {"when": f"{local:%Y年%-m月%-d日%H:%M}"},
        due_at=selection.nominate_until,
        applies_to=units,
        check_range=False,
    )
    if link is None:
        NominationRequirement.objects.create(selection=selection, requirement=requirement)
    return requirement


def selection_set_deadline(
    *, actor: Any, selection: Selection, version: int, nominate_until: dt.datetime
) -> Selection:
    """Move the nomination deadline (and with it the requirement and its reminders)."""
    if nominate_until is None:
        raise ValidationError({"nominate_until": _("请填写推荐截止时间。")})
    with transaction.atomic():
        selection = Selection.objects.select_for_update().select_related("campaign").get(pk=selection.pk)
        lifecycle.check_open(selection.campaign, "setup")
        if selection.version != version:
            raise StaleVersion(_("评选设置"))
        before = {"nominate_until": selection.nominate_until.isoformat()}
        selection.nominate_until = nominate_until
        selection.version += 1
        selection.save(update_fields=["nominate_until", "version"])
        requirement_sync(actor=actor, selection=selection)
        audit_log(
            actor=actor,
            action="selection.deadline",
            obj=selection,
            before=before,
            after={"nominate_until": nominate_until.isoformat()},
        )
    return selection


def follow_requirement(sender: Any, instance: Requirement, **kwargs: Any) -> None:
    """post_save of a Requirement: a nomination requirement moved elsewhere moves its selection."""
    if instance.kind != Requirement.Kind.NOMINATION or kwargs.get("raw"):
        return
    Selection.objects.filter(requirement_link__requirement=instance).exclude(
        nominate_until=instance.due_at
    ).update(nominate_until=instance.due_at)
