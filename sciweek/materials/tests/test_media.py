from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from sciweek.core.tests.test_files_factory import write_video
from sciweek.materials.media.figures import media_figures_many
from sciweek.materials.media.services import normalise_url
from sciweek.materials.models import MediaOutlet, MediaReport
from sciweek.reports.crosscheck import known_figures
from sciweek.reports.models import Report

from .photos import photo_bytes, upload


def _enter(c, campaign, **data):
    payload = {
        "new_outlet": "泗县发布",
        "outlet_kind": "wechat",
        "title": "科技活动周启动",
        "published_on": "2023-05-20",
        "url": "https://mp.weixin.qq.com/s?__biz=abc&mid=1&utm_source=x",
        "kind": "news",
    }
    payload.update(data)
    return c.post(f"/my/media/{campaign.pk}/", payload)


def test_it_catches_the_same_url_twice_and_the_bureau_confirms_into_the_table(
    client_for, qxj, organizer, demo, unit
):
    qx = unit("县气象局")
    c, boss = client_for(qxj), client_for(organizer)
    r = _enter(c, demo.campaign, file=upload("shot.jpg", photo_bytes(800, 600)))
    assert r.status_code == 302
    report = MediaReport.objects.get()
    assert report.unit == qx and report.status == "pending" and report.file.name.endswith(".jpg")
    page = _enter(
        c, demo.campaign, title="同一篇", url="HTTPS://MP.WEIXIN.QQ.COM/s?mid=1&__biz=abc#top"
    ).content.decode()
    assert "这篇报道已由泗县气象局登记过" in page
    assert MediaReport.objects.count() == 1
    outlet = MediaOutlet.objects.get()
    _enter(
        c, demo.campaign, new_outlet="", outlet=outlet.pk, title="第二篇", url="https://www.sixian.gov.cn/a/2"
    )
    _enter(
        c,
        demo.campaign,
        new_outlet="县融媒体中心",
        outlet_kind="tv",
        title="电视新闻",
        url="https://tv.example/3",
    )
    assert MediaReport.objects.count() == 3
    report = MediaReport.objects.get(title="第二篇")
    boss.post(
        f"/manage/media/report/{report.pk}/confirm/", {"version": report.version, "reject": "1", "reason": ""}
    )
    assert MediaReport.objects.get(pk=report.pk).status == "pending"
    for r in MediaReport.objects.all():
        boss.post(f"/manage/media/report/{r.pk}/confirm/", {"version": r.version})
    assert set(MediaReport.objects.values_list("status", flat=True)) == {"confirmed"}
    rep = Report.objects.create(
        campaign=demo.campaign, unit=qx, form=demo.campaign.forms.get(is_current=True)
    )
    fig = media_figures_many([rep])[rep.pk]
    assert fig["media_outlets"][0] == Decimal(2) and fig["media_reports"][0] == Decimal(3)
    assert known_figures(rep)["media_reports"][0] == Decimal(3)
    public = client_for(qxj).get(f"/media/c/{demo.campaign.pk}/").content.decode()
    assert "电视新闻" in public and "第二篇" in public
    xlsx = boss.get(f"/manage/media/{demo.campaign.pk}/?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row == 5 and ws["D3"].value


def test_it_refuses_a_video_over_three_minutes_and_keeps_formulas_out_of_the_export(
    client_for, qxj, organizer, demo, tmp_path
):
    c = client_for(qxj)
    long = write_video(tmp_path / "long.mp4", 200)
    page = _enter(
        c, demo.campaign, url="", file=upload("clip.mp4", long.read_bytes(), "video/mp4")
    ).content.decode()
    assert "超过上限" in page and not MediaReport.objects.exists()
    short = write_video(tmp_path / "short.mp4", 20)
    _enter(
        c,
        demo.campaign,
        url="",
        title='=HYPERLINK("http://x")',
        file=upload("clip.mp4", short.read_bytes(), "video/mp4"),
    )
    report = MediaReport.objects.get()
    assert round(report.duration_seconds) == 20
    ws = load_workbook(
        io.BytesIO(client_for(organizer).get(f"/manage/media/{demo.campaign.pk}/?format=xlsx").content)
    ).active
    assert not str(ws["D3"].value).startswith("=")


def test_it_normalises_urls():
    assert (
        normalise_url("HTTPS://Example.COM/a/?utm_source=x&b=2&a=1#frag") == "https://example.com/a?a=1&b=2"
    )
    assert normalise_url("") == ""


def test_it_keeps_the_entry_page_to_participating_units(client_for, city, demo):
    assert client_for(city).get(f"/my/media/{demo.campaign.pk}/").status_code == 404


def test_the_bureau_dashboard_sets_the_registry_beside_the_typed_counts(
    client_for, qxj, organizer, demo, unit
):
    from sciweek.reports.tests.stats_data import put_report

    c, boss = client_for(qxj), client_for(organizer)
    for i in range(3):
        _enter(c, demo.campaign, new_outlet=f"媒体{i % 2}", title=f"报道{i}", url=f"https://news.example/{i}")
    for r in MediaReport.objects.all():
        boss.post(f"/manage/media/report/{r.pk}/confirm/", {"version": r.version})
    put_report(demo.campaign, unit("县气象局"), {"media_reports": 28, "media_outlets": 2}, status="submitted")
    body = boss.get(f"/reports/{demo.campaign.pk}/dashboard/").content.decode()
    assert "「宣传报道数量」填报 28，系统记录 3（媒体报道登记中已确认的3篇报道），相差较大，请核实" in body
    assert "「参与媒体数量」填报 2，系统记录 2（媒体报道登记中已确认的2家媒体）" in body
