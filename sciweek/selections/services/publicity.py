"""After review: the committee's list, 公示 for N working days with real-name objections, 公布.

The committee picks the winners among more candidates than places (差额). 公示 runs from a date for
``publicize_days`` working days (core/workdays.py: holidays and 调休 counted); objections are real-name
only (anonymous ones are refused and told why), a unit's needs its stamped scan, and each is answered
and closed with a recorded outcome. An upheld objection takes the title away. 公布 follows 公示.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sciweek.core import clock
from sciweek.core.audit import audit_log
from sciweek.core.files import DOCUMENT_KINDS, IMAGE_KINDS, UploadRejected, save_upload_streamed
from sciweek.core.workdays import add_workdays
from sciweek.orgs.validators import check_phone

from ..models import Nomination, Objection, Selection

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def selection_decide(
    *, actor: Any, selection: Selection, winner_ids: list[int], note: str = "", version: int | None = None
) -> list[Nomination]:
    """The 评审委员会's decision: the winners among the candidates, no more than the places.

    ``version``: the selection's version the deciding screen showed; another version (someone decided,
    publicized or changed the selection since) is refused as stale (409 in the API)."""
    if version is not None and version != selection.version:
        _stale(selection.version)
    if selection.stage in (Selection.Stage.PUBLICIZING, Selection.Stage.PUBLISHED):
        raise ValidationError({"__all__": _("已进入公示或已公布，评审委员会决定不能再改。")})
    # A decision taken again replaces the previous one (its winners go back to the candidates).
    candidates = {
        n.pk: n
        for n in Nomination.objects.filter(
            selection=selection, status__in=[Nomination.Status.SHORTLISTED, Nomination.Status.WINNER]
        )
    }
    chosen = list(dict.fromkeys(winner_ids))
    if not chosen:
        raise ValidationError({"winner_ids": _("请选择当选人选。")})
    if unknown := [i for i in chosen if i not in candidates]:
        raise ValidationError(
            {"winner_ids": _("只能从候选人中选择（%(count)s人不是候选人）。") % {"count": len(unknown)}}
        )
    if len(chosen) > selection.places:
        raise ValidationError(
            {
                "winner_ids": _("当选人数（%(chosen)s）超过评选名额（%(places)s）。")
                % {"chosen": len(chosen), "places": selection.places}
            }
        )
    ranked = _out_of_order(selection, chosen)
    if ranked["passed_over"] and not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "未按综合排名确定人选（%(names)s 排名更靠前却未当选），请在评审委员会意见中写明理由。"
                )
                % {"names": "、".join(ranked["passed_over"])}
            }
        )
    with transaction.atomic():
        if version is not None:
            # Re-read under a lock: two committee screens sending at once, only the first one counts.
            current = (
                Selection.objects.select_for_update().values_list("version", flat=True).get(pk=selection.pk)
            )
            if current != version:
                _stale(current)
        Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).exclude(
            pk__in=chosen
        ).update(status=Nomination.Status.SHORTLISTED)
        Nomination.objects.filter(pk__in=chosen).update(status=Nomination.Status.WINNER)
        Selection.objects.filter(pk=selection.pk).update(
            stage=Selection.Stage.COMMITTEE, decision_note=note, version=F("version") + 1
        )
        selection.refresh_from_db()
        audit_log(
            actor=actor,
            action="selection.decide",
            obj=selection,
            after={
                "winners": [candidates[i].name for i in chosen],
                "candidates": len(candidates),
                "ranks": ranked["ranks"],
                "passed_over": ranked["passed_over"],
            },
            note=note,
        )
    return [candidates[i] for i in chosen]


def _stale(current: int) -> None:
    err = ValidationError(
        {"version": [_("评选已被他人修改（当前版本 %(v)s），请刷新后再确定人选。") % {"v": current}]}
    )
    err.code = "stale"
    raise err


def _out_of_order(selection: Selection, chosen: list[int]) -> dict[str, Any]:
    """The chosen candidates' ranks by the combined score, and who ranked above one of them but was
    not chosen (the committee may decide so, with its reasons in the note)."""
    from ..ranking import ranking

    rows, _weight = ranking(selection)
    picked = set(chosen)
    lowest = min(
        (r.combined if r.combined is not None else -1.0 for r in rows if r.nomination.pk in picked),
        default=None,
    )
    passed = [
        r.nomination.name
        for r in rows
        if r.nomination.pk not in picked
        and r.combined is not None
        and lowest is not None
        and r.combined > lowest
    ]
    ranks = {
        r.nomination.name: [r.rank, r.combined]
        for r in rows
        if r.nomination.pk in picked and r.combined is not None
    }
    return {"passed_over": passed, "ranks": ranks}


def publicity_start(*, actor: Any, selection: Selection, start: dt.date, days: int = 5) -> Selection:
    if not Nomination.objects.filter(selection=selection, status=Nomination.Status.WINNER).exists():
        raise ValidationError({"__all__": _("评审委员会尚未确定当选人选，不能公示。")})
    if not 1 <= days <= 30:
        raise ValidationError({"publicize_days": _("公示期应为1至30个工作日。")})
    until = add_workdays(start, days)
    with transaction.atomic():
        Selection.objects.filter(pk=selection.pk).update(
            stage=Selection.Stage.PUBLICIZING, publicize_from=start, publicize_days=days,
            publicize_until=until, version=selection.version + 1,
        )  # fmt: skip
        selection.refresh_from_db()
        audit_log(
            actor=actor,
            action="selection.publicize",
            obj=selection,
            after={"from": start, "until": until, "days": days},
        )
    return selection


def publicity_open(selection: Selection) -> bool:
    today = clock.localdate()
    return bool(
        selection.stage == Selection.Stage.PUBLICIZING
        and selection.publicize_from
        and selection.publicize_until
        and selection.publicize_from <= today <= selection.publicize_until
    )


def objection_submit(
    *,
    selection: Selection,
    nomination_id: int,
    name: str,
    phone: str,
    content: str,
    unit_name: str = "",
    is_unit: bool = False,
    evidence: Any = None,
    stamped_scan: Any = None,
    ip: str | None = None,
) -> Objection:
    if not publicity_open(selection):
        raise ValidationError({"__all__": _("不在公示期内，不受理异议。")})
    nomination = Nomination.objects.filter(
        selection=selection, pk=nomination_id, status=Nomination.Status.WINNER
    ).first()
    if nomination is None:
        raise ValidationError({"nomination": _("请选择公示名单中的人选。")})
    errors: dict[str, str] = {}
    if not (name or "").strip():
        errors["name"] = _("不受理匿名异议：请填写真实姓名（异议人信息严格保密）。")
    try:
        phone = check_phone(phone or "", field="phone", label="联系电话")
    except ValidationError:
        errors["phone"] = _("不受理匿名异议：请填写能联系到您的电话。")
    if len((content or "").strip()) < 10:
        errors["content"] = _("请写明异议的具体事实（至少10个字）。")
    if is_unit and not (unit_name or "").strip():
        errors["unit_name"] = _("以单位名义提出异议，请填写单位名称。")
    if is_unit and not stamped_scan:
        errors["stamped_scan"] = _("以单位名义提出异议，须上传加盖公章的扫描件。")
    if errors:
        raise ValidationError(errors)
    stored = {}
    for key, upload, label in (
        ("evidence", evidence, "证明材料"),
        ("stamped_scan", stamped_scan, "单位盖章扫描件"),
    ):
        if upload:
            try:
                stored[key] = save_upload_streamed(
                    upload, storage=default_storage, folder=f"selections/{selection.pk}/objections",
                    max_bytes=EVIDENCE_MAX_BYTES, allowed_kinds=IMAGE_KINDS | DOCUMENT_KINDS, field_label=label,
                ).name  # fmt: skip
            except UploadRejected as exc:
                raise ValidationError({key: exc.message})
    with transaction.atomic():
        objection = Objection.objects.create(
            selection=selection, nomination=nomination, name=name.strip(), unit_name=(unit_name or "").strip(),
            phone=phone, is_unit=is_unit, content=content.strip(), created_at=clock.now(), ip=ip, **stored,
        )  # fmt: skip
        audit_log(
            actor=name.strip(),
            action="objection.submit",
            obj=objection,
            object_repr=f"对{nomination.name}的异议",
        )
    return objection


def objection_answer(*, actor: Any, objection: Objection, outcome: str, answer: str) -> Objection:
    if outcome not in Objection.Outcome.values:
        raise ValidationError({"outcome": _("请选择处理结果。")})
    if len((answer or "").strip()) < 5:
        raise ValidationError({"answer": _("请填写答复内容（核查情况和结论）。")})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status == Objection.Status.CLOSED:
            # Two people answering at once: the second one is told, as for a stale version (409 in the API).
            err = ValidationError({"__all__": _("该异议已办结。")})
            err.code = "stale"
            raise err
        objection.status, objection.outcome, objection.answer = (
            Objection.Status.CLOSED,
            outcome,
            answer.strip(),
        )
        objection.answered_at = clock.now()
        objection.save()
        if outcome == Objection.Outcome.UPHELD:
            Nomination.objects.filter(pk=objection.nomination_id).update(
                status=Nomination.Status.DISQUALIFIED, reason=f"公示期异议成立：{answer.strip()[:200]}"
            )
        audit_log(
            actor=actor,
            action="objection.answer",
            obj=objection,
            after={"outcome": outcome},
            note=answer.strip(),
        )
    return objection


def selection_publish(*, actor: Any, selection: Selection) -> Selection:
    """公布 after 公示: refused while the period runs or an objection is still open."""
    if selection.stage != Selection.Stage.PUBLICIZING or not selection.publicize_until:
        raise ValidationError({"__all__": _("须先完成公示。")})
    if clock.localdate() <= selection.publicize_until:
        until = selection.publicize_until
        raise ValidationError(
            {
                "__all__": _("公示期至%(year)s年%(month)s月%(day)s日，期满后才能公布。")
                % {"year": until.year, "month": until.month, "day": until.day}
            }
        )
    if selection.objections.filter(status=Objection.Status.OPEN).exists():
        raise ValidationError({"__all__": _("还有未办结的异议，请先答复办结。")})
    with transaction.atomic():
        Selection.objects.filter(pk=selection.pk).update(
            stage=Selection.Stage.PUBLISHED, version=selection.version + 1
        )
        selection.refresh_from_db()
        audit_log(actor=actor, action="selection.publish", obj=selection)
    return selection
