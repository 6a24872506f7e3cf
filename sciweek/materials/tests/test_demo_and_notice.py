from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from conftest import SEED
from sciweek.campaigns.demo_parts import DemoContext
from sciweek.campaigns.models import Campaign
from sciweek.core.models import Job
from sciweek.materials.demo import load_demo_materials
from sciweek.materials.models import MediaReport, PublicitySubmission
from sciweek.orgs.models import OrgUnit


def _ctx(campaign) -> DemoContext:
    units = {u.short_name: u for u in OrgUnit.objects.exclude(short_name="")}
    county = campaign.org_unit
    return DemoContext(
        campaign=campaign, county=county, city=county, province=county, units=units, towns=[], societies=[]
    )


def test_the_demo_part_loads_approved_content_boards_media_and_the_notice(demo, client):
    done = load_demo_materials(_ctx(demo.campaign))
    assert done["approved"] == 2
    assert PublicitySubmission.objects.filter(status="approved").count() == 2
    assert PublicitySubmission.objects.filter(status="submitted").count() == 1  # the late one, to review
    assert PublicitySubmission.objects.filter(status="draft").count() == 1
    assert all(s.images.count() == 3 for s in PublicitySubmission.objects.all())
    job = Job.objects.get(pk=done["job"])
    assert job.status == "done" and job.result["count"] == 2
    with zipfile.ZipFile(job.result_file.open("rb")) as zf:
        assert len(zf.namelist()) == 2
    assert MediaReport.objects.filter(status="confirmed").count() == 5

    campaign = Campaign.objects.get(pk=demo.campaign.pk)
    seed = next(p for p in (SEED, Path("/work/shared/seeds") / SEED.name) if p.exists()).read_text("utf-8")
    assert campaign.notice_text.replace("\n", "") == seed.replace("[bookmark: _GoBack]", "").replace("\n", "")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    assert client.get(f"/c/{campaign.pk}/notice/").status_code == 404  # not published: no notice page
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PUBLISHED)
    page = client.get(f"/c/{campaign.pk}/notice/").content.decode()
    assert '<h1 class="h4 text-center mb-4">关于举办2023年科技活动周的通知</h1>' in page
    # The seed numbers its sections 一、 2、 3、 四、: the page numbers them in order.
    for heading in ("一、活动时间", "二、活动主题", "三、主要内容", "四、主要活动", "六、联系方式"):
        assert heading in page, heading
    assert "[bookmark" not in page and "热爱科学 崇尚科学" in page
    assert "附件" in page and "2023年全县科技活动周开展情况统计表" in page
    assert "注：此表请按通知要求填写表格于5月30日前报县科技局" in page
    xlsx = client.get(f"/c/{campaign.pk}/notice/table.xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "参与媒体数量" in cells and "宣传报道数量" in cells
    docx = Document(io.BytesIO(client.get(f"/c/{campaign.pk}/notice/table.docx").content))
    text = " ".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "科普专职人员数量" in text
    home = client.get(f"/c/{campaign.pk}/").content.decode()
    assert f"/c/{campaign.pk}/notice/" in home and f"/media/c/{campaign.pk}/" in home
    media = client.get(f"/media/c/{campaign.pk}/").content.decode()
    assert (
        "科普大篷车开进乡村校园" in media and "健康科普直播" not in media
    )  # unconfirmed stays off the portal


def test_the_notice_page_offers_the_imported_original_file(demo, client):
    from django.core.files.base import ContentFile

    campaign = Campaign.objects.get(pk=demo.campaign.pk)
    doc = Document()
    doc.add_paragraph("关于举办2023年科技活动周的通知")
    buf = io.BytesIO()
    doc.save(buf)
    campaign.notice_text = "关于举办2023年科技活动周的通知\n各单位：\n一、活动时间\n2023年5月20日至31日。"
    campaign.notice_file.save("notice.docx", ContentFile(buf.getvalue()), save=False)
    campaign.status = Campaign.Status.PUBLISHED
    campaign.save()
    page = client.get(f"/c/{campaign.pk}/notice/").content.decode()
    assert f"/c/{campaign.pk}/notice/original/" in page and "一、活动时间" in page
    original = client.get(f"/c/{campaign.pk}/notice/original/")
    assert b"".join(original.streaming_content) == buf.getvalue()
    assert "attachment" in original["Content-Disposition"]
    assert client.post(f"/c/{campaign.pk}/notice/").status_code == 405


def test_the_demo_shows_its_boards_to_the_bureau_and_its_registry_on_the_units_table(
    demo, client_for, organizer, qxj, town1
):
    done = load_demo_materials(_ctx(demo.campaign))
    boss = client_for(organizer)
    page = boss.get(f"/manage/publicity/{demo.campaign.pk}/").content.decode()
    url = f"/manage/publicity/{demo.campaign.pk}/boards/{done['job']}/download/"
    assert 'id="board-sets"' in page and url in page and "2 块展板" in page
    r = boss.get(url)
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content))) as zf:
        assert len(zf.namelist()) == 2
    assert client_for(town1).get(url).status_code in (403, 404)
    assert (
        boss.get(f"/manage/publicity/{demo.campaign.pk}/boards/{done['job'] + 99}/download/").status_code
        == 404
    )
    # 县气象局: two confirmed reports from two outlets, offered on its statistics table.
    table = client_for(qxj).get(f"/reports/{demo.campaign.pk}/mine/").content.decode()
    assert "媒体报道登记：2 家媒体，2 篇报道" in table
