"""A 最美 selection on the demo campaign: the three sample towns and the two societies nominate."""

from __future__ import annotations

import datetime as dt
import re

from sciweek.core import clock
from sciweek.core.models import OutboundMessage
from sciweek.orgs.models import OrgUnit, UnitKind
from sciweek.selections.models import Nomination, Selection
from sciweek.selections.services.setup import selection_create
from sciweek.selections.services.voting import tally_prepare

PERSON = {
    "name": "张明",
    "gender": "男",
    "birth_date": dt.date(1980, 3, 2),
    "ethnicity": "汉族",
    "political_status": "中共党员",
    "work_unit": "示例镇一农业技术推广站",
    "post": "站长、高级农艺师",
    "field": "农业技术推广",
    "mobile": "13905571234",
    "summary": "扎根基层二十年，推广小麦绿色高产技术。",
    "deeds": "二十年来走遍全镇每个村，推广小麦赤霉病综合防治技术，带动农户增收。",
    "confirmed_rules": [0, 1, 2, 3],
}


def make_selection(organizer, campaign, *, quota: int = 2, vote: bool = False) -> Selection:
    units = list(OrgUnit.objects.filter(kind__in=[UnitKind.TOWN, UnitKind.ASSOCIATION]).order_by("path"))
    selection = selection_create(
        actor=organizer,
        campaign=campaign,
        title="2023年泗县最美科技工作者",
        nominate_until=clock.now() + dt.timedelta(days=5),
        nominators=units,
        default_quota=quota,
    )
    if vote:
        now = clock.now()
        Selection.objects.filter(pk=selection.pk).update(
            vote_enabled=True, vote_from=now - dt.timedelta(hours=1), vote_until=now + dt.timedelta(days=2)
        )
        selection.refresh_from_db()
    return selection


def shortlist(selection: Selection, unit: OrgUnit, names: list[str]) -> list[Nomination]:
    out = []
    for i, name in enumerate(names):
        out.append(
            Nomination.objects.create(
                selection=selection,
                unit=unit,
                name=name,
                gender="女" if i % 2 else "男",
                birth_date=dt.date(1975 + i, 1, 1),
                work_unit=f"{unit.name}第{i + 1}单位",
                mobile=f"1390557{i:04d}",
                summary=f"{name}的简要事迹。",
                deeds=f"{name}的主要事迹。",
                status=Nomination.Status.SHORTLISTED,
            )
        )
    tally_prepare([n.pk for n in out])
    return out


def last_code(phone: str) -> str:
    text = OutboundMessage.objects.filter(phone=phone).order_by("-pk").values_list("text", flat=True).first()
    match = re.search(r"验证码(\d{6})", text or "")
    assert match, f"no code texted to {phone}: {text!r}"
    return match.group(1)
