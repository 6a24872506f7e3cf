"""Publicity content a unit sends before the week (notice 五.1), and its review by the bureau.

draft → submitted → returned (with a reason) → submitted → approved, like the statistics report;
approved content is locked and is what the boards are made from. Every step is audited and checks
the version the writer saw.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sciweek.campaigns.lifecycle import check_open
from sciweek.campaigns.models import Campaign
from sciweek.core.audit import audit_log, snapshot
from sciweek.core.clock import now
from sciweek.core.errors import check_version
from sciweek.orgs.models import OrgUnit

from .boards.sizes import SIZES, TEMPLATES
from .lifecycle import check_publicity_open, check_review_open
from .models import PublicitySubmission
from .publicity.images import MAX_IMAGES, MIN_IMAGES
from .publicity.text import body_errors

MAX_BODY = 3000  # one display board holds about this much text
S = PublicitySubmission.Status
VERSION_CHECK = True  # switched off only by the concurrency test, to show it catches the race
AUDITED = ["headline", "body", "status", "board_size", "layout", "return_reason", "version"]


def _user(actor: Any) -> Any:
    """The demo and scripts act under a name, not an account: only real users go in the columns."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _check_content(headline: str, body: str, board_size: str, layout: str) -> dict[str, str]:
    errors = {}
    if not headline:
        errors["headline"] = _("请填写展板标题。")
    elif len(headline) > 40:
        errors["headline"] = _("展板标题共%(n)s字，请不超过40字。") % {"n": len(headline)}
    if not body:
        errors["body"] = _("请填写宣传内容。")
    elif len(body) > MAX_BODY:
        errors["body"] = _("宣传内容共%(n)s字，超过一块展板的容量（%(max)s字），请精简。") % {
            "n": len(body),
            "max": MAX_BODY,
        }
    elif problem := body_errors(body):
        errors["body"] = problem
    if board_size not in SIZES:
        errors["board_size"] = _("请选择展板尺寸。")
    if layout not in TEMPLATES:
        errors["layout"] = _("请选择版式。")
    return errors


@transaction.atomic
def publicity_save(
    *,
    actor: Any,
    campaign: Campaign,
    unit: OrgUnit,
    version: int | None,
    headline: str,
    body: str,
    submit: bool,
    board_size: str | None = None,
    layout: str | None = None,
    captions: dict[int, str] | None = None,
) -> PublicitySubmission:
    check_open(campaign, "publicity")
    headline, body = (headline or "").strip(), (body or "").strip()
    sub = PublicitySubmission.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    board_size = board_size or (sub.board_size if sub else "rollup")
    layout = layout or (sub.layout if sub else "classic")
    errors = _check_content(headline, body, board_size, layout)
    if errors:
        raise ValidationError(errors)
    before = None
    if sub is None:
        sub = PublicitySubmission(campaign=campaign, unit=unit)
    else:
        if VERSION_CHECK:
            check_version(sub, version, _("宣传内容"))
        if not sub.editable:
            raise ValidationError(
                {"__all__": _("宣传内容%(status)s，不能再修改。") % {"status": sub.get_status_display()}}
            )
        before = snapshot(sub, AUDITED)
        sub.version += 1
    sub.headline, sub.body, sub.board_size, sub.layout = headline, body, board_size, layout
    sub.save()
    changed = {}
    for image in sub.images.all() if captions else []:
        text = ((captions or {}).get(image.pk, image.caption) or "").strip()[:60]
        if text != image.caption:
            changed[image.original_name] = text
            image.caption = text
            image.save(update_fields=["caption"])
    after = snapshot(sub, AUDITED) | ({"captions": changed} if changed else {})
    audit_log(actor=actor, action="publicity.save", obj=sub, before=before, after=after)
    if submit:
        return publicity_submit(actor=actor, submission=sub, version=sub.version)
    return sub


def _locked(submission: PublicitySubmission, version: int | None) -> PublicitySubmission:
    sub = PublicitySubmission.objects.select_for_update().get(pk=submission.pk)
    check_version(sub, version, _("宣传内容"))
    return sub


@transaction.atomic
def publicity_submit(
    *, actor: Any, submission: PublicitySubmission, version: int | None
) -> PublicitySubmission:
    sub = _locked(submission, version)
    check_publicity_open(sub.campaign)
    if not sub.editable:
        raise ValidationError(
            {"__all__": _("宣传内容%(status)s，不能重复报送。") % {"status": sub.get_status_display()}}
        )
    errors = {}
    count = sub.images.count()
    if not MIN_IMAGES <= count <= MAX_IMAGES:
        errors["images"] = _("请上传%(min)s至%(max)s张图片（现有%(n)s张）。") % {
            "min": MIN_IMAGES,
            "max": MAX_IMAGES,
            "n": count,
        }
    if not sub.unit.staff.exists():
        errors["__all__"] = _("报送前请先在本单位页面登记工作人员姓名和手机号。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(sub, AUDITED)
    sub.status, sub.return_reason = S.SUBMITTED, ""
    sub.submitted_at, sub.submitted_by = now(), _user(actor)
    sub.version += 1
    sub.save()
    audit_log(actor=actor, action="publicity.submit", obj=sub, before=before, after=snapshot(sub, AUDITED))
    return sub


@transaction.atomic
def publicity_return(
    *, actor: Any, submission: PublicitySubmission, version: int | None, reason: str
) -> PublicitySubmission:
    sub = _locked(submission, version)
    check_review_open(sub.campaign)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时请写明原因，单位据此修改。")})
    if sub.status != S.SUBMITTED:
        raise ValidationError(
            {
                "__all__": _("宣传内容%(status)s，只能退回已报送的内容。")
                % {"status": sub.get_status_display()}
            }
        )
    before = snapshot(sub, AUDITED)
    sub.status, sub.return_reason = S.RETURNED, reason[:1000]
    sub.reviewed_at, sub.reviewed_by = now(), _user(actor)
    sub.version += 1
    sub.save()
    audit_log(actor=actor, action="publicity.return", obj=sub, before=before, after=snapshot(sub, AUDITED))
    return sub


@transaction.atomic
def publicity_approve(
    *, actor: Any, submission: PublicitySubmission, version: int | None, layout: str | None = None
) -> PublicitySubmission:
    sub = _locked(submission, version)
    check_review_open(sub.campaign)
    if sub.status != S.SUBMITTED:
        raise ValidationError(
            {
                "__all__": _("宣传内容%(status)s，只能通过已报送的内容。")
                % {"status": sub.get_status_display()}
            }
        )
    if layout is not None and layout not in TEMPLATES:
        raise ValidationError({"layout": _("请选择版式。")})
    before = snapshot(sub, AUDITED)
    sub.status = S.APPROVED
    sub.layout = layout or sub.layout
    sub.reviewed_at, sub.reviewed_by = now(), _user(actor)
    sub.version += 1
    sub.save()
    audit_log(actor=actor, action="publicity.approve", obj=sub, before=before, after=snapshot(sub, AUDITED))
    return sub
