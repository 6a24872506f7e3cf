from __future__ import annotations

import io

from PIL import Image

from sciweek.campaigns.compliance import unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.core.models import AuditEvent
from sciweek.materials.models import PublicityImage, PublicitySubmission

from .photos import bomb_png, pdf_bytes, photo_bytes, svg_bytes, truncated_jpeg, upload


def _publicity_requirement(demo):
    return demo.campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)


def _url(demo, u):
    return f"/my/publicity/{demo.campaign.pk}/{u.pk}/"


def _post(c, demo, u, files=(), **data):
    sub = PublicitySubmission.objects.filter(campaign=demo.campaign, unit=u).first()
    payload = {
        "headline": "气象科普进万家",
        "body": "防灾减灾知识\n\n气象观测站开放",
        "board_size": "rollup",
        "layout": "classic",
    }
    if sub:
        payload["version"] = sub.version
    payload.update(data)
    if files:
        payload["images"] = list(files)
    return c.post(_url(demo, u), payload)


def test_it_lets_a_unit_name_staff_and_send_publicity_which_completes_the_deadline(
    client_for, qxj, demo, unit
):
    qx = unit("县气象局")
    c = client_for(qxj)
    req = _publicity_requirement(demo)
    assert not unit_compliance(req, qx).done

    r = _post(c, demo, qx, submit="1")
    page = r.content.decode()
    assert "报送前请先在本单位页面登记工作人员姓名和手机号" in page
    assert "请上传2至8张图片（现有0张）" in page
    assert PublicitySubmission.objects.get().status == "draft"  # the draft is kept, not sent

    r = c.post(f"/my/staff/{qx.pk}/", {"name": "王芳", "mobile": "12345"})
    assert "格式不正确" in r.content.decode()
    c.post(f"/my/staff/{qx.pk}/", {"name": "王芳", "mobile": "138 0000 1234", "position": "办公室主任"})
    assert qx.staff.get().mobile == "13800001234"

    _post(
        c,
        demo,
        qx,
        files=[upload("a.jpg", photo_bytes()), upload("b.png", photo_bytes(fmt="PNG"), "image/png")],
    )
    _post(c, demo, qx, submit="1")
    sub = PublicitySubmission.objects.get()
    assert sub.status == "submitted" and sub.images.count() == 2
    state = unit_compliance(req, qx)
    assert state.done and state.late  # the demo's deadline (2023-05-18) is long past
    assert "已报送（逾期）" in c.get("/my/").content.decode()


def test_it_refuses_another_units_publicity_and_staff_pages(client_for, town1, demo, unit):
    qx = unit("县气象局")
    c = client_for(town1)
    assert c.get(_url(demo, qx)).status_code == 404
    assert c.post(f"/my/staff/{qx.pk}/", {"name": "x", "mobile": "13800001234"}).status_code == 404
    assert not qx.staff.exists()


def test_it_refuses_hostile_or_broken_images_naming_the_file(client_for, qxj, demo, unit):
    qx = unit("县气象局")
    c = client_for(qxj)
    cases = [
        (upload("logo.svg", svg_bytes(), "image/svg+xml"), "logo.svg"),
        (upload("photo.jpg", pdf_bytes()), "photo.jpg"),
        (upload("cut.jpg", truncated_jpeg()), "cut.jpg"),
        (upload("huge.png", bomb_png(), "image/png"), "huge.png"),
        (upload("anim.gif", _gif()), "anim.gif"),
    ]
    for file, name in cases:
        page = _post(c, demo, qx, files=[file]).content.decode()
        assert f"图片“{name}”" in page, name
    assert not PublicityImage.objects.exists()
    page = _post(c, demo, qx, body="<script>alert(1)</script>正文").content.decode()
    assert "宣传内容不能包含网页代码" in page


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(out, "GIF")
    return out.getvalue()


def test_it_turns_photos_upright_strips_gps_and_camera_and_warns_of_blurry_prints(
    client_for, qxj, demo, unit, settings
):
    qx = unit("县气象局")
    c = client_for(qxj)
    _post(
        c,
        demo,
        qx,
        files=[
            upload("gps.jpg", photo_bytes(2400, 1800, exif=True)),
            upload("tiny.jpg", photo_bytes(400, 300)),
        ],
    )
    upright, tiny = PublicityImage.objects.order_by("position")
    assert (upright.width, upright.height) == (1800, 2400)  # orientation 6 applied
    with Image.open(upright.file.path) as img:
        assert img.size == (1800, 2400)
        exif = img.getexif()
        assert 0x8825 not in exif and 0x010F not in exif and 0x0110 not in exif and 0x0112 not in exif
        assert img.getpixel((1800 - 50, 50))[0] > 200  # the yellow corner marker is now top-right
    page = c.get(_url(demo, qx)).content.decode()
    assert page.count("data-dpi-warning") == 1
    assert "tiny.jpg：约" in page


def test_it_runs_submit_return_resubmit_approve_with_versions_and_audit(
    client_for, qxj, organizer, demo, unit
):
    qx = unit("县气象局")
    c, boss = client_for(qxj), client_for(organizer)
    c.post(f"/my/staff/{qx.pk}/", {"name": "王芳", "mobile": "13800001234"})
    _post(c, demo, qx, files=[upload("a.jpg", photo_bytes()), upload("b.jpg", photo_bytes())])
    sub = PublicitySubmission.objects.get()
    assert boss.get(f"/manage/publicity/item/{sub.pk}/").status_code == 404  # a draft is the unit's own
    stale = sub.version
    _post(c, demo, qx, headline="新标题")
    page = _post(c, demo, qx, version=stale, headline="旧页面上的标题").content.decode()
    assert "已被其他人修改" in page
    assert PublicitySubmission.objects.get().headline == "新标题"

    _post(c, demo, qx, submit="1", headline="新标题")
    sub = PublicitySubmission.objects.get()
    assert sub.status == "submitted"
    locked = _post(c, demo, qx, headline="改不了").content.decode()
    assert "新标题" in locked and "不能再修改" in locked
    assert PublicitySubmission.objects.get().headline == "新标题"

    review = boss.get(f"/manage/publicity/item/{sub.pk}/").content.decode()
    assert 'id="board-preview"' in review and "新标题" in review
    png = boss.get(f"/manage/publicity/item/{sub.pk}/preview.png")
    assert png["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(png.content)) as img:
        assert img.height / img.width == 2000 / 800
    boss.post(f"/manage/publicity/item/{sub.pk}/", {"version": sub.version, "return": "1", "reason": ""})
    assert PublicitySubmission.objects.get().status == "submitted"
    boss.post(
        f"/manage/publicity/item/{sub.pk}/",
        {"version": sub.version, "return": "1", "reason": "请补充活动照片说明"},
    )
    sub = PublicitySubmission.objects.get()
    assert sub.status == "returned"
    assert "请补充活动照片说明" in c.get(_url(demo, qx)).content.decode()
    assert not unit_compliance(_publicity_requirement(demo), qx).done

    caps = {f"caption_{i.pk}": f"说明{i.pk}" for i in sub.images.all()}
    _post(c, demo, qx, submit="1", headline="新标题", **caps)
    sub = PublicitySubmission.objects.get()
    assert sub.status == "submitted" and all(i.caption.startswith("说明") for i in sub.images.all())
    assert (
        boss.post(
            f"/manage/publicity/item/{sub.pk}/", {"version": sub.version - 1, "approve": "1"}
        ).status_code
        == 302
    )
    assert PublicitySubmission.objects.get().status == "submitted"  # stale version refused
    boss.post(
        f"/manage/publicity/item/{sub.pk}/", {"version": sub.version, "approve": "1", "layout": "gallery"}
    )
    sub = PublicitySubmission.objects.get()
    assert sub.status == "approved" and sub.layout == "gallery"
    page = _post(c, demo, qx, headline="锁定后").content.decode()
    assert "已通过" in page and PublicitySubmission.objects.get().headline == "新标题"
    actions = list(
        AuditEvent.objects.filter(action__startswith="publicity.").values_list("action", flat=True)
    )
    for a in (
        "publicity.save",
        "publicity.image_add",
        "publicity.submit",
        "publicity.return",
        "publicity.approve",
    ):
        assert a in actions


def test_it_keeps_review_pages_to_the_bureau(client_for, qxj, town1, organizer, demo, unit):
    from .helpers import approved_content

    sub = approved_content(demo.campaign, unit("县气象局"), qxj, organizer)
    assert client_for(town1).get(f"/manage/publicity/item/{sub.pk}/").status_code in (403, 404)
    assert client_for(town1).get(f"/manage/publicity/item/{sub.pk}/board.pdf").status_code in (403, 404)
    assert client_for(qxj).get(f"/manage/publicity/{demo.campaign.pk}/").status_code in (403, 404)
    assert client_for(organizer).get(f"/manage/publicity/{demo.campaign.pk}/").status_code == 200
