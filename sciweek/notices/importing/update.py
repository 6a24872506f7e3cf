"""Updating an existing campaign from a re-imported notice, beyond its fields: main activities,
requirements' deadlines and the statistics form. The organizer first sees what would change (the
preview), then confirms; the confirmation carries a digest of that preview, so a change made in
between (an event attached to an activity meanwhile) shows a new preview instead of being applied.

- Main activities are matched by title first, then by number. A matched one whose title, number,
  content, units, time or place differ is changed; a new one is added; one the notice no longer has is
  deleted, unless events or other records point at it: then it is kept (and renumbered after the
  notice's activities if its number is taken) and the preview says so.
- Requirements are matched by kind and title, else by kind when each side has one of that kind; a
  changed due time is set (reminders read requirements, so they follow), a new one is added, one the
  notice no longer lists is kept (units may have confirmed it).
- The statistics form gets a new version only when its rows (label and unit, in order) differ. Reports
  already holding data stay on their version untouched; empty ones move to the new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.campaigns.models import Campaign, MainActivity, Requirement
from sciweek.campaigns.services import activity_save, requirement_save
from sciweek.core.audit import audit_log, snapshot
from sciweek.orgs.models import OrgUnit
from sciweek.reports.models import FormDefinition, Report, form_from_spec
from sciweek.reports.services.forms import reports_with_data

from .plan import ActivityPlan, ImportPlan, RequirementPlan, form_spec_from_rows

ADDED, CHANGED, REMOVED, KEPT = "added", "changed", "removed", "kept"


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else _("（空）")


@dataclass
class ActivityChange:
    change: str
    number: int
    title: str
    details: list[tuple[str, str, str]] = field(default_factory=list)
    in_use: str = ""  # why a removed activity is kept
    new_number: int | None = None  # where a kept activity moves


@dataclass
class RequirementChange:
    change: str
    title: str
    before: str
    after: str


@dataclass
class RowChange:
    change: str
    label: str
    before: str
    after: str


@dataclass
class UpdatePreview:
    fields: list[tuple[str, str, str]]
    activities: list[ActivityChange]
    requirements: list[RequirementChange]
    rows: list[RowChange]
    form_title: str = ""
    # what to apply, by id (not shown)
    _pairs: list[tuple[ActivityPlan, MainActivity | None]] = field(default_factory=list, repr=False)
    _removed: list[MainActivity] = field(default_factory=list, repr=False)
    _reqs: list[tuple[RequirementPlan, Requirement | None]] = field(default_factory=list, repr=False)
    _kept: dict[int, int | None] = field(default_factory=dict, repr=False)  # activity id → new number
    _due: set[int] = field(default_factory=set, repr=False)  # requirements whose due time changes

    @property
    def empty(self) -> bool:
        return not (self.fields or self.activities or self.requirements or self.rows)

    def shown(self) -> dict[str, Any]:
        return {
            "fields": [list(f) for f in self.fields],
            "activities": [asdict(a) for a in self.activities],
            "requirements": [asdict(r) for r in self.requirements],
            "rows": [asdict(r) for r in self.rows],
        }

    def digest(self) -> str:
        raw = json.dumps(self.shown(), ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _names(units: list[OrgUnit], pending: list[str]) -> str:
    return "、".join(sorted({u.name for u in units} | set(pending))) or _("（空）")


def _activity_details(a: MainActivity, p: ActivityPlan) -> list[tuple[str, str, str]]:
    now_lead = _names(list(a.lead_units.all()), [])
    now_coop = _names(list(a.cooperating_units.all()), [])
    pairs = [
        (_("序号"), str(a.number), str(p.number)),
        (_("名称"), a.title, p.title.strip()),
        (_("内容"), a.content or _("（空）"), p.content.strip() or _("（空）")),
        (_("牵头单位"), now_lead, _names(p.lead_units, p.lead_pending)),
        (_("配合单位"), now_coop, _names(p.cooperating_units, p.cooperating_pending)),
        (_("时间"), _when(a.starts_at), _when(p.starts_at)),
        (_("地点"), a.venue or _("（空）"), p.venue.strip() or _("（空）")),
    ]
    return [(label, before, after) for label, before, after in pairs if before != after]


def in_use(activity: MainActivity) -> str:
    """What points at the activity (events, media reports…), in words; "" when nothing does. Read
    through the model's reverse relations, so a domain adding one is counted without a change here."""
    found = []
    for rel in activity._meta.related_objects:
        if rel.many_to_many or not rel.field:
            continue
        n = rel.related_model._default_manager.filter(**{rel.field.name: activity}).count()
        if n:
            name = str(rel.related_model._meta.verbose_name)
            label = name if not name.isascii() else _("记录")
            found.append(_("%(label)s%(count)d条") % {"label": label, "count": n})
    return "、".join(found)


def _match_activities(
    campaign: Campaign, plans: list[ActivityPlan]
) -> tuple[list[tuple[ActivityPlan, MainActivity | None]], list[MainActivity]]:
    existing = list(
        campaign.activities.prefetch_related("lead_units", "cooperating_units").order_by("number")
    )
    free = {a.pk: a for a in existing}
    by_title = {_key(a.title): a for a in existing}
    pairs: list[tuple[ActivityPlan, MainActivity | None]] = []
    for p in plans:
        hit = by_title.get(_key(p.title))
        if hit is not None and hit.pk in free:
            pairs.append((p, free.pop(hit.pk)))
        else:
            pairs.append((p, None))
    for i, (p, hit) in enumerate(pairs):
        if hit is None:
            same = next((a for a in free.values() if a.number == p.number), None)
            if same is not None:
                pairs[i] = (p, free.pop(same.pk))
    return pairs, list(free.values())


def _match_requirements(
    campaign: Campaign, plans: list[RequirementPlan]
) -> list[tuple[RequirementPlan, Requirement | None]]:
    existing = list(campaign.requirements.all())
    free = {r.pk: r for r in existing}
    out: list[tuple[RequirementPlan, Requirement | None]] = []
    for p in plans:
        hit = next((r for r in free.values() if r.kind == p.kind and _key(r.title) == _key(p.title)), None)
        if hit is None:
            mine = [r for r in free.values() if r.kind == p.kind]
            theirs = [q for q in plans if q.kind == p.kind]
            hit = mine[0] if len(mine) == 1 and len(theirs) == 1 else None
        if hit is not None:
            free.pop(hit.pk)
        out.append((p, hit))
    return out


def _row_changes(current: FormDefinition | None, plan: ImportPlan) -> list[RowChange]:
    if not plan.stat_rows:
        return []  # the notice has no table: the form stays
    # what a unit fills in: the label and the unit (a heading worded differently is no new table)
    now = [("", r.label, r.unit) for r in current.rows.all()] if current else []
    new = [("", r.label.strip(), r.unit.strip()) for r in plan.stat_rows]
    if now == new:
        return []
    show = lambda row: f"{row[1]}（{row[2]}）" if row[2] else row[1]  # noqa: E731
    old_by_label = {_key(r[1]): r for r in now}
    new_by_label = {_key(r[1]): r for r in new}
    out = []
    for r in new:
        before = old_by_label.get(_key(r[1]))
        if before is None:
            out.append(RowChange(ADDED, r[1], "—", show(r)))
        elif before != r:
            out.append(RowChange(CHANGED, r[1], show(before), show(r)))
    out += [RowChange(REMOVED, r[1], show(r), "—") for r in now if _key(r[1]) not in new_by_label]
    if not out:  # same rows in another order
        out.append(RowChange(CHANGED, _("行的顺序"), "", ""))
    return out


def _due_of(campaign: Campaign, p: RequirementPlan) -> dt.datetime:
    """The due time requirement_save would store (close of business is the campaign's own hour)."""
    if not p.close_of_business:
        return p.due_at
    day = timezone.localtime(p.due_at).date()
    return timezone.make_aware(dt.datetime.combine(day, campaign.close_of_business))


def preview(campaign: Campaign, plan: ImportPlan, fields: list[tuple[str, str, str]]) -> UpdatePreview:
    """What the update would do to ``campaign``; ``fields`` is identity.campaign_diff's part."""
    pairs, removed = _match_activities(campaign, plan.activities)
    activities: list[ActivityChange] = []
    for p, a in pairs:
        if a is None:
            activities.append(ActivityChange(ADDED, p.number, p.title.strip()))
        elif details := _activity_details(a, p):
            activities.append(ActivityChange(CHANGED, a.number, a.title, details))
    taken = {p.number for p, _a in pairs}
    kept: dict[int, int | None] = {}
    top = max([*taken, *(r.number for r in removed), 0])
    for old in removed:
        why = in_use(old)
        if why:
            moved_to = None
            if old.number in taken:
                top = moved_to = top + 1
            kept[old.pk] = moved_to
            activities.append(ActivityChange(KEPT, old.number, old.title, in_use=why, new_number=moved_to))
        else:
            activities.append(ActivityChange(REMOVED, old.number, old.title))
    reqs = _match_requirements(campaign, plan.requirements)
    requirements, due = [], set()
    for q, req in reqs:
        if req is None:
            requirements.append(RequirementChange(ADDED, q.title, "—", _when(_due_of(campaign, q))))
        elif req.due_at != _due_of(campaign, q):
            due.add(req.pk)
            requirements.append(
                RequirementChange(CHANGED, req.title, _when(req.due_at), _when(_due_of(campaign, q)))
            )
    current = campaign.forms.filter(is_current=True).order_by("-version").first()
    rows = _row_changes(current, plan)
    return UpdatePreview(
        fields=fields,
        activities=activities,
        requirements=requirements,
        rows=rows,
        form_title=current.title if current else "",
        _pairs=pairs,
        _removed=removed,
        _reqs=reqs,
        _kept=kept,
        _due=due,
    )


def apply(
    *,
    actor: Any,
    campaign: Campaign,
    plan: ImportPlan,
    shown: UpdatePreview,
    units: Any,
) -> dict[str, Any]:
    """Carry out ``shown`` (computed in the same transaction); ``units(selected, pending)`` resolves
    a plan's units. Returns what was done, for the audit entry."""
    done: dict[str, Any] = {"activities": [], "requirements": [], "form": None}
    for gone in shown._removed:
        if gone.pk not in shown._kept:
            audit_log(
                actor=actor, action="activity.delete", obj=gone, before=snapshot(gone), note=_("重新导入通知")
            )
            gone.delete()
            done["activities"].append(f"-{gone.number}")
        elif (new_number := shown._kept[gone.pk]) is not None:
            MainActivity.objects.filter(pk=gone.pk).update(number=new_number, version=gone.version + 1)
            audit_log(
                actor=actor,
                action="activity.renumber",
                obj=gone,
                before={"number": gone.number},
                after={"number": new_number},
                note=_("重新导入通知：通知中已没有此活动，因已有关联记录而保留"),
            )
    # numbers move: park the matched ones out of the way first, so swaps do not collide
    moving = [a for p, a in shown._pairs if a is not None and a.number != p.number]
    if moving:
        base = (campaign.activities.aggregate(m=Max("number"))["m"] or 0) + 1000
        for i, parked in enumerate(moving):
            MainActivity.objects.filter(pk=parked.pk).update(number=base + i)
    for p, a in shown._pairs:
        if a is not None and not _activity_details(a, p):
            continue
        saved = activity_save(
            actor=actor,
            campaign=campaign,
            activity=a,
            version=None,
            number=p.number,
            title=p.title,
            lead_units=units(p.lead_units, p.lead_pending),
            cooperating_units=units(p.cooperating_units, p.cooperating_pending),
            content=p.content,
            starts_at=p.starts_at,
            ends_at=a.ends_at if a is not None else None,
            venue=p.venue,
            schedule_note=p.schedule_note,
            lead_text=p.lead_text,
            cooperating_text=p.cooperating_text,
        )
        done["activities"].append(f"{'+' if a is None else '~'}{saved.number}")
    for q, req in shown._reqs:
        if req is None:
            requirement_save(
                actor=actor,
                campaign=campaign,
                kind=q.kind,
                title=q.title,
                due_at=q.due_at,
                description=q.description,
                due_is_close_of_business=q.close_of_business,
                applies_to=units(q.applies_to, q.applies_pending),
                min_count=q.min_count,
                target_count=q.target_count,
            )
            done["requirements"].append(f"+{q.title}")
        elif req.pk in shown._due:
            requirement_save(
                actor=actor,
                campaign=campaign,
                requirement=req,
                version=None,
                kind=req.kind,
                title=req.title,
                due_at=q.due_at,
                description=req.description,
                due_is_close_of_business=q.close_of_business,
                min_count=req.min_count,
                target_count=req.target_count,
                lock_at_deadline=req.lock_at_deadline,
            )
            done["requirements"].append(f"~{req.title}")
    if shown.rows:
        done["form"] = str(_new_form_version(actor, campaign, plan))
    return done


def _new_form_version(actor: Any, campaign: Campaign, plan: ImportPlan) -> FormDefinition:
    """A new current version with the notice's rows; reports with data keep theirs untouched."""
    old = campaign.forms.select_for_update().filter(is_current=True).order_by("-version").first()
    number = (campaign.forms.aggregate(n=Max("version"))["n"] or 0) + 1
    spec = form_spec_from_rows(
        plan.stat_title or (old.title if old else f"{campaign.title}开展情况统计表"),
        plan.stat_footnote or (old.footnote if old else ""),
        plan.stat_rows,
    )
    campaign.forms.filter(is_current=True).update(is_current=False)
    new = form_from_spec(campaign=campaign, spec=spec, version=number)
    moved = 0
    if old is not None:
        new.requires_head_approval, new.required_attachments = (
            old.requires_head_approval,
            old.required_attachments,
        )
        new.save(update_fields=["requires_head_approval", "required_attachments"])
        with_data = list(reports_with_data(old).values_list("pk", flat=True))
        moved = Report.objects.filter(form=old).exclude(pk__in=with_data).update(form=new)
    audit_log(
        actor=actor,
        action="form.new_version",
        obj=new,
        before={"version": old.version if old else None},
        after={
            "version": number,
            "rows": [f"{r.code}:{r.label}（{r.unit}）" for r in spec.rows],
            "empty_reports_moved": moved,
        },
        note=_("重新导入通知：统计表的行有变化，保存为新版本；已有数据的统计表继续使用原版本"),
    )
    return new
