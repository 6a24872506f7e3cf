from __future__ import annotations

from sciweek.materials.models import PublicitySubmission
from sciweek.materials.publicity.images import publicity_add_image
from sciweek.materials.services import publicity_approve, publicity_save, publicity_submit
from sciweek.orgs.models import StaffContact

from .photos import photo_bytes, upload

BODY = "【活动概况】\n县气象局在科技活动周期间开展气象科普进校园、进社区活动。\n- 开放气象观测站\n- 发放宣传资料3000份"


def approved_content(
    campaign, unit, actor, reviewer, *, images: int = 2, body: str = BODY, size=(1600, 1200)
):
    if not unit.staff.exists():
        StaffContact.objects.create(unit=unit, name="王芳", mobile="13800001234")
    sub = publicity_save(
        actor=actor,
        campaign=campaign,
        unit=unit,
        version=None,
        headline=f"{unit.short_name or unit.name}科普宣传",
        body=body,
        submit=False,
    )
    for i in range(images):
        publicity_add_image(
            actor=actor,
            submission=sub,
            upload=upload(f"p{i}.jpg", photo_bytes(*size, color=(20 * i, 120, 200))),
            caption=f"第{i + 1}张 现场照片",
        )
    sub.refresh_from_db()
    sub = publicity_submit(actor=actor, submission=sub, version=sub.version)
    return publicity_approve(actor=reviewer, submission=sub, version=sub.version)


def fresh(sub: PublicitySubmission) -> PublicitySubmission:
    return PublicitySubmission.objects.get(pk=sub.pk)
