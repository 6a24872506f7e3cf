"""Nominations: units send candidates within their quota; the organizer checks them (资格审查).

The same person sent by two units is flagged (name and birth date equal, work unit alike) for the
organizer to keep one; false material ends a nomination (一票否决) with a recorded reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from sciweek.campaigns import lifecycle
from sciweek.core import clock
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import StaleVersion
from sciweek.core.files import IMAGE_KINDS, UploadRejected, check_image, save_upload_streamed
from sciweek.orgs.models import OrgUnit
from sciweek.orgs.validators import check_mobile

from ..models import NominatingUnit, Nomination, NominationPhoto, Selection
from .voting import tally_prepare

SUMMARY_MAX = 300
DEEDS_MAX = 1500
PHOTO_MAX_BYTES = 10 * 1024 * 1024
SCAN_KINDS = frozenset(IMAGE_KINDS | {"pdf"})
FIELDS = [
    "name", "gender", "birth_date", "ethnicity", "political_status", "work_unit", "post", "field",
    "mobile", "summary", "deeds", "honours", "unit_opinion", "confirmed_rules",
]  # fmt: skip
LIVE = [Nomination.Status.SUBMITTED, Nomination.Status.RETURNED, Nomination.Status.QUALIFIED,
        Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]  # fmt: skip


def quota_of(selection: Selection, unit: OrgUnit) -> int | None:
    """The unit's quota, or None when the unit is not among the nominating units."""
    row = NominatingUnit.objects.filter(selection=selection, unit=unit).first()
    return row.quota if row else None


def _check(selection: Selection, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for key, label in (
        ("name", _("姓名")),
        ("work_unit", _("工作单位")),
        ("summary", _("简要事迹")),
        ("deeds", _("主要事迹")),
    ):
        if not str(data.get(key) or "").strip():
            errors[key] = _("请填写%(field)s。") % {"field": label}
    if data.get("gender") not in ("男", "女"):
        errors["gender"] = _("请选择性别。")
    birth = data.get("birth_date")
    if not isinstance(birth, dt.date):
        errors["birth_date"] = _("请填写出生日期。")
    elif not (18 <= (clock.localdate() - birth).days // 365 <= 80):
        errors["birth_date"] = _("出生日期不合理（年龄应在18至80岁之间）。")
    if len(str(data.get("summary") or "")) > SUMMARY_MAX:
        errors["summary"] = _("简要事迹不能超过%(max)s字（现有%(count)s字）。") % {
            "max": SUMMARY_MAX,
            "count": len(data["summary"]),
        }
    if len(str(data.get("deeds") or "")) > DEEDS_MAX:
        errors["deeds"] = _("主要事迹不能超过%(max)s字（现有%(count)s字）。") % {
            "max": DEEDS_MAX,
            "count": len(data["deeds"]),
        }
    try:
        data["mobile"] = check_mobile(str(data.get("mobile") or ""), field="mobile", label="手机号码")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    rules = selection.eligibility_rules or []
    confirmed = sorted({int(i) for i in data.get("confirmed_rules") or [] if str(i).isdigit()})
    if len([i for i in confirmed if 0 <= i < len(rules)]) < len(rules):
        errors["confirmed_rules"] = _("请逐条确认推荐条件（每条都须符合才能推荐）。")
    data["confirmed_rules"] = confirmed
    if errors:
        raise ValidationError(errors)
    return data


def nominating_open(selection: Selection) -> bool:
    """Whether units may still send or change nominations (by the clock): the pages offer the form only
    then, so nobody fills in a whole 推荐表 to be told at the end that it is too late."""
    return selection.stage == Selection.Stage.NOMINATING and clock.now() <= selection.nominate_until


def _check_window(selection: Selection) -> None:
    if not nominating_open(selection):
        raise ValidationError({"__all__": _("推荐已截止。")})


def nomination_save(
    *,
    actor: Any,
    selection: Selection,
    unit: OrgUnit,
    data: dict[str, Any],
    nomination: Nomination | None = None,
    version: int | None = None,
    submit: bool = False,
) -> Nomination:
    """Create or change a unit's nomination (a draft, or sent when ``submit``), within its quota."""
    lifecycle.check_open(selection.campaign, "setup")  # a closed campaign is read-only (README)
    _check_window(selection)
    data = _check(selection, dict(data))
    quota = quota_of(selection, unit)
    if quota is None:
        raise ValidationError({"__all__": _("%(unit)s不是本次评选的推荐单位。") % {"unit": unit.name}})
    with transaction.atomic():
        # The quota row is locked so two colleagues sending at once cannot both take the last place.
        NominatingUnit.objects.select_for_update().filter(selection=selection, unit=unit).first()
        if nomination is not None:
            nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
            if version is not None and nomination.version != version:
                raise StaleVersion(_("该推荐材料"))
            if nomination.status not in (Nomination.Status.DRAFT, Nomination.Status.RETURNED):
                raise ValidationError({"__all__": _("已推荐的材料不能修改（被退回后可以修改）。")})
        used = Nomination.objects.filter(selection=selection, unit=unit, status__in=LIVE)
        if nomination is not None:
            used = used.exclude(pk=nomination.pk)
        if submit and used.count() >= quota:
            raise ValidationError(
                {
                    "__all__": _("已超出推荐名额：本单位名额%(quota)s名，已推荐%(used)s名。")
                    % {"quota": quota, "used": used.count()}
                }
            )
        before = snapshot(nomination, FIELDS + ["status"]) if nomination else None
        nomination = nomination or Nomination(selection=selection, unit=unit)
        for key in FIELDS:
            if key in data:
                setattr(nomination, key, data[key])
        if submit:
            nomination.status = Nomination.Status.SUBMITTED
            nomination.submitted_at = clock.now()
            nomination.reason = ""
        nomination.version += 1 if nomination.pk else 0
        nomination.save()
        nomination.duplicate_of = find_duplicate(nomination)
        Nomination.objects.filter(pk=nomination.pk).update(duplicate_of=nomination.duplicate_of)
        audit_log(
            actor=actor,
            action="nomination.submit" if submit else "nomination.save",
            obj=nomination,
            unit_path=unit.path,
            before=before,
            after=snapshot(nomination, FIELDS + ["status"]),
        )
    return nomination


def find_duplicate(nomination: Nomination) -> Nomination | None:
    """Another unit's nomination of the same person: same name and birth date, work unit alike."""
    for other in Nomination.objects.filter(
        selection_id=nomination.selection_id, name=nomination.name, birth_date=nomination.birth_date
    ).exclude(pk=nomination.pk):
        if fuzz.partial_ratio(other.work_unit, nomination.work_unit) >= 70:
            return other
    return None


def nomination_attach(
    *, actor: Any, nomination: Nomination, field: str, upload: Any, caption: str = ""
) -> str:
    """Store a portrait, work photo, honour scan or the stamped opinion, checked by content."""
    labels = {
        "portrait": "个人照片",
        "work": "工作照片",
        "honour": "荣誉证书扫描件",
        "opinion_scan": "推荐意见盖章扫描件",
    }
    if field not in labels:
        raise ValidationError({"file": _("未知的附件类型。")})
    lifecycle.check_open(nomination.selection.campaign, "setup")
    kinds = SCAN_KINDS if field in ("honour", "opinion_scan") else IMAGE_KINDS

    def validate(path: str, kind: Any) -> None:
        if kind.kind in IMAGE_KINDS:
            check_image(path, field_label=labels[field])

    try:
        stored = save_upload_streamed(
            upload,
            storage=default_storage,
            folder=f"selections/{nomination.selection_id}",
            max_bytes=PHOTO_MAX_BYTES,
            allowed_kinds=kinds,
            field_label=labels[field],
            validate=validate,
        )
    except UploadRejected as exc:
        raise ValidationError({field: exc.message})
    with transaction.atomic():
        if field in ("portrait", "opinion_scan"):
            Nomination.objects.filter(pk=nomination.pk).update(**{field: stored.name})
        else:
            NominationPhoto.objects.create(
                nomination=nomination, kind=field, file=stored.name, caption=caption[:100]
            )
        audit_log(
            actor=actor,
            action=f"nomination.attach.{field}",
            obj=nomination,
            after={"file": stored.original_name},
        )
    return stored.name


REVIEW_ACTIONS = {
    "pass": (Nomination.Status.QUALIFIED, gettext_lazy("资格审查通过")),
    "return": (Nomination.Status.RETURNED, gettext_lazy("退回修改")),
    "reject": (Nomination.Status.REJECTED, gettext_lazy("资格审查不通过")),
    "disqualify": (Nomination.Status.DISQUALIFIED, gettext_lazy("一票否决")),
    "shortlist": (Nomination.Status.SHORTLISTED, gettext_lazy("列为候选人")),
}


def nomination_review(
    *, actor: Any, nomination: Nomination, action: str, reason: str = "", version: int | None = None
) -> Nomination:
    """The organizer's decision on one nomination; every decision but 'pass' needs a reason."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError({"action": _("未知的审查操作。")})
    reason = (reason or "").strip()
    if action in ("return", "reject", "disqualify") and not reason:
        raise ValidationError({"reason": _("请填写理由（将记录在案并告知推荐单位）。")})
    status, label = REVIEW_ACTIONS[action]
    lifecycle.check_open(nomination.selection.campaign, "setup")
    allowed_from = {
        "pass": {Nomination.Status.SUBMITTED},
        "return": {Nomination.Status.SUBMITTED, Nomination.Status.QUALIFIED},
        "reject": {Nomination.Status.SUBMITTED, Nomination.Status.QUALIFIED},
        "disqualify": set(LIVE),
        "shortlist": {Nomination.Status.QUALIFIED},
    }[action]
    with transaction.atomic():
        nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if version is not None and nomination.version != version:
            raise StaleVersion(_("该推荐材料"))
        if nomination.status not in allowed_from:
            raise ValidationError(
                {
                    "action": _("“%(status)s”的推荐不能%(action)s。")
                    % {"status": nomination.get_status_display(), "action": label}
                }
            )
        before = snapshot(nomination, ["status", "reason"])
        nomination.status, nomination.reason = status, reason[:300]
        nomination.version += 1
        nomination.save(update_fields=["status", "reason", "version"])
        if status == Nomination.Status.SHORTLISTED:
            tally_prepare([nomination.pk])
        audit_log(
            actor=actor,
            action=f"nomination.{action}",
            obj=nomination,
            unit_path=nomination.unit.path,
            before=before,
            after=snapshot(nomination, ["status", "reason"]),
            note=reason,
        )
    return nomination
