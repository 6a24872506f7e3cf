"""Test data beyond the demo: a second county (灵璧县) with everything a county has, and data of a
second unit (县气象局) inside 泗县. Used by the scope walk, the API and the audit tests.

Everything the other county holds carries the marker 灵璧 or the mobile 13912345678, so a page that
leaks it is easy to spot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.utils import timezone

OTHER_MARKERS = ("灵璧", "13912345678", "139****5678")
QXJ_MARKERS = ("气象局联系人甲", "13800005678", "138****5678")
ACTOR = "测试数据"


def _aware(y: int, m: int, d: int, hh: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh))


def model_pks() -> dict[str, set[Any]]:
    """Every row's primary key, by model label (to tell which rows a builder created)."""
    tables = set(connection.introspection.table_names())
    return {
        m._meta.label_lower: set(m._default_manager.values_list("pk", flat=True))
        for m in apps.get_models()
        if m._meta.db_table in tables and not m._meta.proxy
    }


def created_since(before: dict[str, set[Any]]) -> dict[str, list[Any]]:
    after = model_pks()
    return {
        label: sorted(pks - before.get(label, set()), key=str)
        for label, pks in after.items()
        if pks - before.get(label, set())
    }


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def unit_extras(*, campaign: Any, unit: Any, user: Any, marker: str) -> None:
    """What a unit accumulates in the other apps: a draft event with an image and a registration, a report
    attachment, publicity content. Created directly (test data), for whichever of these models exist."""
    from django.core.files.base import ContentFile

    tables = set(connection.introspection.table_names())

    def ready(label: str):
        model = _model(label)
        return model if model is not None and model._meta.db_table in tables else None

    if Event := ready("events.event"):
        event = Event.objects.create(
            campaign=campaign,
            unit=unit,
            title=f"{marker}科普讲座",
            category="科普讲座",
            mode="offline",
            starts_at=_aware(campaign.start_date.year, campaign.start_date.month, campaign.start_date.day, 9),
            ends_at=_aware(campaign.start_date.year, campaign.start_date.month, campaign.start_date.day, 11),
            venue=f"{marker}文化站",
            safety_contact=f"{marker}安全员",
            created_by=user,
        )
        if EventImage := ready("events.eventimage"):
            EventImage.objects.create(
                event=event, file=ContentFile(b"GIF89a", name="walk.gif"), original_name="x.gif"
            )
        if Registration := ready("events.registration"):
            Registration.objects.create(
                event=event, name=f"{marker}报名人", phone="13912345678", status="confirmed"
            )
    Report = ready("reports.report")
    if Attachment := ready("reports.reportattachment"):
        report = Report.objects.filter(campaign=campaign, unit=unit).first() if Report else None
        if report is not None:
            Attachment.objects.create(
                report=report,
                kind="media",
                link="https://example.org/lb",
                title=f"{marker}媒体报道",
                uploaded_by=user,
            )
    if Enterprise := ready("innovation.enterprise"):
        from sciweek.innovation import models as innovation

        enterprise = Enterprise.objects.create(
            unit=unit, name=f"{marker}企业", credit_code=f"91{abs(hash(marker)) % 10**15:015d}X"[:18]
        )
        innovation.EnterpriseContact.objects.create(
            enterprise=enterprise, name=f"{marker}联系人", phone="13912345678"
        )
        innovation.Demand.objects.create(
            enterprise=enterprise,
            unit=unit,
            title=f"{marker}技术需求",
            field="crops",
            description="x",
            status="matching",
        )
        visit = innovation.Visit.objects.create(
            enterprise=enterprise, unit=unit, date=campaign.start_date, visitors=f"{marker}走访人"
        )
        innovation.Photo.objects.create(
            visit=visit,
            file=ContentFile(b"GIF89a", name="v.gif"),
            thumbnail=ContentFile(b"GIF89a", name="t.gif"),
        )
        expert = innovation.Expert.objects.create(
            region=unit,
            name=f"{marker}特派员",
            organization=f"{marker}学院",
            discipline="植物保护",
            is_commissioner=True,
        )
        innovation.ServiceLog.objects.create(
            expert=expert,
            unit=unit,
            date=campaign.start_date,
            place_kind="village",
            place=f"{marker}村",
            kind="onsite",
            topics=f"{marker}指导",
        )
        innovation.ProjectApplication.objects.create(
            enterprise=enterprise, unit=unit, programme=f"{marker}计划", level="county", year=campaign.year
        )
    requirement = campaign.requirements.first()
    if (Occurrence := ready("reminders.occurrence")) and requirement is not None:
        Occurrence.objects.create(
            requirement=requirement,
            unit=unit,
            user=user,
            channel="email",
            slot="o1",
            due_at=requirement.due_at,
            send_after=requirement.due_at,
            status="failed",
            address=f"{user.username}@example.cn",
            subject=f"{marker}提醒",
            text=f"{marker}提醒内容",
        )
    if Publicity := ready("materials.publicitysubmission"):
        sub, _ = Publicity.objects.get_or_create(
            campaign=campaign, unit=unit, defaults={"headline": f"{marker}展板", "body": f"{marker}宣传内容"}
        )
        if PublicityImage := ready("materials.publicityimage"):
            sub.status = "submitted"  # sent, so the bureau's pages would show it
            sub.save(update_fields=["status"])
            PublicityImage.objects.create(
                submission=sub,
                file=ContentFile(b"GIF89a", name="walk.jpg"),
                original_name="x.jpg",
                width=1,
                height=1,
            )
    if (Outlet := ready("materials.mediaoutlet")) and (MediaReport := ready("materials.mediareport")):
        outlet, _ = Outlet.objects.get_or_create(
            region=campaign.org_unit, name=f"{marker}发布", defaults={"kind": "wechat"}
        )
        MediaReport.objects.create(
            campaign=campaign,
            outlet=outlet,
            unit=unit,
            entered_by_unit=unit,
            title=f"{marker}报道",
            published_on=campaign.start_date,
            url=f"https://example.org/{unit.pk}",
            url_key=f"https://example.org/{unit.pk}",
        )
    if Selection := ready("selections.selection"):
        _selection_extras(Selection, campaign=campaign, unit=unit, marker=marker)


def _selection_extras(Selection: Any, *, campaign: Any, unit: Any, marker: str) -> None:
    """A 最美 selection of the campaign with the unit's nomination (a winner in 公示, with a portrait and
    an objection), so every selections URL has a real object of someone else to try."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from sciweek.selections.models import NominatingUnit, Nomination, Objection

    # On the region's draft campaign where there is one (the other county's): its public pages must
    # then answer 404 like every unpublished thing; the unit walks reach it all the same.
    draft = type(campaign).objects.filter(org_unit=campaign.org_unit, status="draft").first()
    selection, _ = Selection.objects.get_or_create(
        campaign=draft or campaign,
        title=f"{marker}最美科技工作者",
        defaults={"nominate_until": _aware(2023, 5, 12), "stage": Selection.Stage.PUBLICIZING},
    )
    NominatingUnit.objects.get_or_create(selection=selection, unit=unit, defaults={"quota": 2})
    nomination = Nomination.objects.create(
        selection=selection,
        unit=unit,
        name=f"{marker}候选人",
        gender="男",
        birth_date=dt.date(1980, 1, 1),
        work_unit=f"{marker}农技站",
        mobile="13912345678",
        summary=f"{marker}事迹",
        deeds=f"{marker}事迹",
        status=Nomination.Status.WINNER,
        portrait=ContentFile(b"GIF89a", name="walk.gif"),
    )
    Objection.objects.create(
        selection=selection,
        nomination=nomination,
        name=f"{marker}异议人",
        phone="13912345678",
        content=f"{marker}异议内容",
        created_at=_aware(2023, 5, 20),
    )


def county_extras(*, region: Any, owner: Any, marker: str) -> None:
    """County-level rows of the other apps: a notice import waiting for review (if that model exists)."""
    if (Expert := _model("innovation.expert")) is not None:
        Expert.objects.create(
            region=region,
            name=f"{marker}专家",
            organization=f"{marker}大学",
            discipline="植物保护",
            phone="13912345678",
        )
    if (NoticeImport := _model("campaigns.noticeimport")) is not None:
        import secrets

        NoticeImport.objects.create(
            token=secrets.token_urlsafe(18),
            owner=owner,
            region=region,
            source_name=f"{marker}通知.docx",
            source_kind="paste",
            source_text=f"{marker}关于举办科技活动周的通知",
            draft={"title": f"{marker}通知"},
        )
    if (SendUp := _model("summary.sendup")) is not None:  # a send-up of the county's result
        from django.utils import timezone

        from sciweek.campaigns.models import Campaign

        campaign = Campaign.objects.filter(org_unit=region).order_by("year").first()
        media = []
        if (SnapshotFile := _model("summary.snapshotfile")) is not None:  # a photo copied into the snapshot
            import hashlib
            import io

            from django.core.files.base import ContentFile
            from PIL import Image

            buf = io.BytesIO()
            tint = hashlib.sha256(marker.encode()).digest()
            Image.new("RGB", (8, 8), (tint[0], tint[1], tint[2])).save(buf, "JPEG")
            sha = hashlib.sha256(buf.getvalue()).hexdigest()
            copy = SnapshotFile(sha256=sha, content_kind="jpeg", size=len(buf.getvalue()))
            copy.file.save(f"sendup/files/{sha[:2]}/{sha}.jpg", ContentFile(buf.getvalue()), save=True)
            media = [
                {
                    "kind": "photo",
                    "title": f"{marker}照片",
                    "unit": marker,
                    "sha256": sha,
                    "content_kind": "jpeg",
                }
            ]
        if campaign is not None:
            SendUp.objects.create(
                media=media,
                source=campaign,
                target=campaign,
                region=region,
                number=1,
                table={"events_held": "1"},
                units=[{"id": region.pk, "name": f"{marker}单位", "status": "approved", "label": "已通过"}],
                sent_at=timezone.now(),
                note=f"{marker}上报",
            )


def contest_extras(*, campaign: Any, county: Any, lead: Any, marker: str) -> None:
    """A contest of the other county (if the contests app exists): a school's painting entry with its
    image, a judge with an assignment and a draft score, a declared conflict, an objection."""
    if _model("contests.contest") is None:
        return
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from sciweek.contests.entries import EntryIn, StudentIn, entry_create
    from sciweek.contests.models import Objection
    from sciweek.contests.setup import contest_create, contest_judge_create, judging_of, rounds_sync
    from sciweek.judging.models import ConflictKind
    from sciweek.judging.services import assignment_add, conflict_declare
    from sciweek.orgs.models import UnitKind
    from sciweek.orgs.services import unit_create

    contest = contest_create(
        campaign=campaign, org_unit=lead, title=f"{marker}青少年科技创新大赛", actor=ACTOR
    )
    school = unit_create(
        actor=ACTOR, parent=county, name=f"{marker}示例小学", kind=UnitKind.SCHOOL, code="341323-xx1"
    )
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (9, 99, 199)).save(buf, "PNG")
    cat = contest.categories.get(code="painting")
    entries = [
        entry_create(
            contest=contest,
            school=school,
            data=EntryIn(
                category=cat,
                title=f"{marker}未来城市{i}",
                students=[StudentIn(f"{marker}学生{i}", "三年级", "primary", age=9)],
            ),
            files={"image": [SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")]},
            actor=ACTOR,
        )
        for i in (1, 2)
    ]
    rounds_sync(contest=contest, actor=ACTOR)
    judge, _pw = contest_judge_create(
        contest=contest, username="lb-judge", name=f"{marker}评委", group="科幻画", expertise=[], actor=ACTOR
    )
    judging = judging_of(contest, "preliminary")
    item = judging.items.get(object_id=entries[0].pk)
    assignment_add(judging=judging, judge=judge, item=item, actor=ACTOR)
    conflict_declare(
        judge=judge, item_kind="contests.entry", object_id=entries[1].pk, kind=ConflictKind.KIN, actor=ACTOR
    )
    Objection.objects.create(
        contest=contest,
        entry=entries[0],
        name=f"{marker}异议人",
        phone="13912345678",
        text=f"{marker}异议内容",
    )


@dataclass
class OtherCounty:
    county: Any
    dept: Any
    town: Any
    campaign: Any
    draft: Any
    activity: Any
    requirement: Any
    organizer: Any
    reporter: Any
    raw_token: str
    created: dict[str, list[Any]] = field(default_factory=dict)


def build_other_county() -> OtherCounty:
    """灵璧县 under 宿州市: units, staff, a published and a draft campaign, accounts, token, report, job."""
    from sciweek.accounts.services import membership_grant, token_create, user_create
    from sciweek.campaigns.models import Campaign, Requirement
    from sciweek.campaigns.services import activity_save, campaign_create, requirement_save
    from sciweek.core.models import Job
    from sciweek.core.notify import notify_units
    from sciweek.orgs.models import OrgUnit, Role, UnitKind
    from sciweek.orgs.services import staff_save, unit_create
    from sciweek.reports.formspec import SIXIAN_2023_FORM
    from sciweek.reports.models import Report, form_from_spec

    before = model_pks()
    city = OrgUnit.objects.get(code="341300")
    county = unit_create(actor=ACTOR, parent=city, name="灵璧县", kind=UnitKind.COUNTY, code="341323")
    dept = unit_create(
        actor=ACTOR,
        parent=county,
        name="灵璧县气象局",
        kind=UnitKind.DEPARTMENT,
        code="341323-qxj",
        short_name="灵璧气象局",
    )
    town = unit_create(actor=ACTOR, parent=county, name="灵璧示例镇", kind=UnitKind.TOWN, code="341323-town1")
    staff_save(actor=ACTOR, unit=dept, name="灵璧联系人", mobile="13912345678", email="lb@example.org")
    staff_save(actor=ACTOR, unit=town, name="灵璧镇联系人", mobile="13912345678")
    campaign = campaign_create(
        actor=ACTOR,
        org_unit=county,
        title="2023年灵璧县科技活动周",
        year=2023,
        theme="灵璧主题",
        start_date=dt.date(2023, 5, 20),
        end_date=dt.date(2023, 5, 31),
        status=Campaign.Status.RUNNING,
        contact_person="灵璧联系人",
        contact_phone="13912345678",
        content_themes=["灵璧内容一"],
    )
    draft = campaign_create(
        actor=ACTOR,
        org_unit=county,
        title="2024年灵璧县科技活动周（草稿）",
        year=2024,
        theme="灵璧草稿主题",
        start_date=dt.date(2024, 5, 18),
        end_date=dt.date(2024, 5, 25),
    )
    activity = activity_save(
        actor=ACTOR,
        campaign=campaign,
        number=1,
        title="灵璧政策宣传",
        lead_units=[dept],
        cooperating_units=[town],
        content="灵璧活动内容",
    )
    requirement = requirement_save(
        actor=ACTOR,
        campaign=campaign,
        kind=Requirement.Kind.STAFF,
        title="灵璧确认联系人",
        due_at=_aware(2023, 5, 18),
    )
    form = form_from_spec(campaign=campaign, spec=SIXIAN_2023_FORM)
    Report.objects.create(campaign=campaign, unit=town, form=form)
    organizer = user_create(
        actor=ACTOR,
        username="lb-kjj",
        password="Lingbi-2023-kjj",
        display_name="灵璧县科技局",
        must_change_password=False,
    )
    membership_grant(actor=ACTOR, user=organizer, unit=county, role=Role.ORGANIZER, acting_for=dept)
    reporter = user_create(
        actor=ACTOR,
        username="lb-town",
        password="Lingbi-2023-town",
        display_name="灵璧镇填报员",
        must_change_password=False,
    )
    membership_grant(actor=ACTOR, user=reporter, unit=town, role=Role.UNIT_REPORTER)
    _, raw = token_create(actor=reporter, user=reporter, name="灵璧脚本")
    Job.objects.create(kind="test", owner=reporter, params={"what": "灵璧导出"}, status=Job.Status.DONE)
    notify_units(units=[town], title="灵璧通知", email=False)
    unit_extras(campaign=campaign, unit=town, user=reporter, marker="灵璧")
    county_extras(region=county, owner=organizer, marker="灵璧")
    # On the draft campaign: its public pages (公示, 公布) must then answer 404 like any unpublished thing.
    contest_extras(campaign=draft, county=county, lead=dept, marker="灵璧")
    world = OtherCounty(
        county=county,
        dept=dept,
        town=town,
        campaign=campaign,
        draft=draft,
        activity=activity,
        requirement=requirement,
        organizer=organizer,
        reporter=reporter,
        raw_token=raw,
    )
    world.created = created_since(before)
    return world


def build_qxj_data() -> dict[str, list[Any]]:
    """Data of 县气象局 (another unit in 泗县): staff with a mobile, its report, its job, its token."""
    from django.contrib.auth import get_user_model

    from sciweek.accounts.services import token_create
    from sciweek.campaigns.models import Campaign
    from sciweek.core.models import Job
    from sciweek.orgs.models import OrgUnit
    from sciweek.orgs.services import staff_save
    from sciweek.reports.models import Report

    before = model_pks()
    qxj = OrgUnit.objects.get(short_name="县气象局")
    staff_save(actor=ACTOR, unit=qxj, name="气象局联系人甲", mobile="13800005678")
    campaign = Campaign.objects.get(year=2023, org_unit__name="泗县")
    Report.objects.get_or_create(campaign=campaign, unit=qxj, defaults={"form": campaign.forms.first()})
    user = get_user_model().objects.get(username="sx-qxj")
    token_create(actor=user, user=user, name="气象局脚本")
    Job.objects.create(kind="test", owner=user, params={"what": "气象局导出"}, status=Job.Status.DONE)
    unit_extras(campaign=campaign, unit=qxj, user=user, marker="气象局联系人甲")
    county_extras(
        region=campaign.org_unit, owner=get_user_model().objects.get(username="sx-kjj"), marker="泗县"
    )
    created = created_since(before)
    created.setdefault("orgs.orgunit", []).append(qxj.pk)
    return created
