"""The photos and videos of a send-up are copied into the snapshot's own storage: the city is served
the copy, deleting or replacing the unit's upload leaves the snapshot intact, and the same bytes sent
again are stored once."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sciweek.campaigns.models import Campaign
from sciweek.orgs.models import OrgUnit
from sciweek.reports.models import Report, ReportAttachment
from sciweek.reports.services import attachment_add_file, attachment_delete, report_reopen
from sciweek.reports.tests.report_files import jpeg_bytes, mp4_bytes, upload
from sciweek.reports.tests.stats_data import campaign_for
from sciweek.summary import sendup
from sciweek.summary.models import SendUp, SnapshotFile

from .summary_data import fill_county


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def with_files(demo, unit, organizer):
    """Two approved reports; one unit uploaded a real JPEG and a real MP4 through the upload service."""
    Campaign.objects.filter(pk=demo.campaign.pk).update(status=Campaign.Status.REPORTING)
    demo.campaign.refresh_from_db()
    county = demo.campaign.org_unit
    campaign_for(OrgUnit.objects.get(pk=county.get_parent().pk), 2023, "2023年宿州市科技活动周")
    reports = fill_county(demo.campaign, [unit("县气象局"), unit("县科协")], status="draft")
    photo_bytes, video_bytes = jpeg_bytes(640, 480), mp4_bytes(2, fps=2, size=32)
    photo = attachment_add_file(
        report=reports[0],
        actor=organizer,
        kind="photo",
        upload=upload("../../etc/现场照片.jpg", photo_bytes, "image/jpeg"),
        title="气象科普进校园",
    )
    video = attachment_add_file(
        report=reports[0],
        actor=organizer,
        kind="video",
        upload=upload("活动视频.mp4", video_bytes, "video/mp4"),
        title="开幕式视频",
    )
    Report.objects.filter(campaign=demo.campaign).update(status="approved")
    return {"photo": photo, "video": video, "photo_bytes": photo_bytes, "video_bytes": video_bytes}


def test_the_snapshot_serves_its_own_copies_after_the_uploads_are_deleted_or_replaced(
    demo, organizer, city, client_for, with_files, django_capture_on_commit_callbacks
):
    photo, video = with_files["photo"], with_files["video"]
    s = sendup.sendup_send(
        source=demo.campaign, actor=organizer, media=[video.pk, photo.pk], with_summary=False
    )
    assert [m["title"] for m in s.media] == ["开幕式视频", "气象科普进校园"]  # the order chosen
    by_kind = {m["kind"]: m for m in s.media}
    assert (
        by_kind["photo"]["sha256"] == _sha(with_files["photo_bytes"])
        and by_kind["photo"]["content_kind"] == "jpeg"
    )
    assert (
        by_kind["video"]["sha256"] == _sha(with_files["video_bytes"])
        and by_kind["video"]["content_kind"] == "mp4"
    )
    assert "path" not in by_kind["photo"]
    copies = {c.sha256: c for c in SnapshotFile.objects.all()}
    assert set(copies) == {by_kind["photo"]["sha256"], by_kind["video"]["sha256"]}
    for c in copies.values():  # named by content only: no uploader's name, no original folder
        assert c.file.name.startswith("sendup/files/") and c.sha256 in c.file.name
        assert "现场" not in c.file.name and ".." not in c.file.name
        assert c.file.name not in (photo.file.name, video.file.name)

    # the unit's originals change: the photo's bytes are replaced, the video is deleted with its report row
    report = Report.objects.get(pk=photo.report_id)
    default_storage.delete(photo.file.name)
    default_storage.save(photo.file.name, ContentFile(jpeg_bytes(320, 200)))
    report_reopen(report=report, actor=organizer, version=report.version, reason="更换视频")
    with django_capture_on_commit_callbacks(execute=True):  # the service removes the file on commit
        attachment_delete(attachment=ReportAttachment.objects.get(pk=video.pk), actor=organizer)
    assert not ReportAttachment.objects.filter(pk=video.pk).exists()
    assert not default_storage.exists(video.file.name)

    page = client_for(city).get(f"/summary/sendup/{s.pk}/").content.decode()
    for m in s.media:
        url = f"/summary/sendup/{s.pk}/files/{m['sha256']}"
        assert url in page
        r = client_for(city).get(url)
        assert r.status_code == 200
        wanted = with_files["photo_bytes"] if m["kind"] == "photo" else with_files["video_bytes"]
        assert _sha(_body(r)) == _sha(wanted)
        assert r["Content-Type"] == ("image/jpeg" if m["kind"] == "photo" else "video/mp4")
    assert "<video" in page and 'alt="气象科普进校园"' in page
    # only the files this snapshot lists, and only for those who may see the snapshot
    other = _sha(b"not in this snapshot")
    assert client_for(city).get(f"/summary/sendup/{s.pk}/files/{other}").status_code == 404
    assert client_for(city).get(f"/summary/sendup/{s.pk}/files/..%2F..%2Fsettings.py").status_code == 404


def test_the_same_bytes_sent_again_are_stored_once(demo, organizer, city, with_files):
    photo = with_files["photo"]
    first = sendup.sendup_send(source=demo.campaign, actor=organizer, media=[photo.pk], with_summary=False)
    sendup.sendup_return(sendup=first, actor=city, reason="请补充照片")
    second = sendup.sendup_send(
        source=demo.campaign, actor=organizer, media=[photo.pk, with_files["video"].pk], with_summary=False
    )
    assert second.number == 2
    assert SnapshotFile.objects.count() == 2
    assert SnapshotFile.objects.filter(sha256=first.media[0]["sha256"]).count() == 1
    stored = {c.file.name for c in SnapshotFile.objects.all()}
    assert len(default_storage.listdir(f"sendup/files/{first.media[0]['sha256'][:2]}")[1]) == 1
    assert len(stored) == 2


def test_a_chosen_upload_whose_file_is_gone_is_refused_by_name(demo, organizer, with_files):
    photo = with_files["photo"]
    default_storage.delete(photo.file.name)
    with pytest.raises(ValidationError, match="「气象科普进校园」的文件已不存在"):
        sendup.sendup_send(source=demo.campaign, actor=organizer, media=[photo.pk], with_summary=False)
    assert not SendUp.objects.exists() and not SnapshotFile.objects.exists()
