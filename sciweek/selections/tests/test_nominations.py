"""Nominations through units: quota, eligibility, duplicates, checks that name the field, review, scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sciweek.core.models import AuditEvent
from sciweek.orgs.models import OrgUnit
from sciweek.selections.models import Nomination
from sciweek.selections.services.nominations import nomination_attach, nomination_review, nomination_save

from .factory import PERSON, make_selection


@pytest.fixture
def selection(demo, organizer):
    return make_selection(organizer, demo.campaign, quota=1)


def _town(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def test_it_refuses_a_nomination_over_the_quota_and_shows_the_quota(selection, town1):
    town = _town("示例镇一")
    nomination_save(actor=town1, selection=selection, unit=town, data=PERSON, submit=True)
    with pytest.raises(ValidationError) as err:
        nomination_save(
            actor=town1, selection=selection, unit=town, data={**PERSON, "name": "李四"}, submit=True
        )
    assert "已超出推荐名额：本单位名额1名，已推荐1名。" in str(err.value)
    # A draft beyond the quota may be kept; only sending counts.
    draft = nomination_save(actor=town1, selection=selection, unit=town, data={**PERSON, "name": "李四"})
    assert draft.status == Nomination.Status.DRAFT


def test_it_names_the_field_that_is_wrong(selection, town1):
    town = _town("示例镇一")
    cases = [
        ({"summary": "字" * 301}, "summary", "简要事迹不能超过300字（现有301字）"),
        ({"deeds": "字" * 1501}, "deeds", "主要事迹不能超过1500字"),
        ({"mobile": "1234"}, "mobile", "手机号码「1234」格式不正确"),
        ({"confirmed_rules": [0, 1]}, "confirmed_rules", "请逐条确认推荐条件"),
        ({"gender": ""}, "gender", "请选择性别"),
    ]
    for change, field, text in cases:
        with pytest.raises(ValidationError) as err:
            nomination_save(
                actor=town1, selection=selection, unit=town, data={**PERSON, **change}, submit=True
            )
        assert text in " ".join(err.value.message_dict[field]), field
    assert not Nomination.objects.exists()


def test_it_flags_the_same_person_sent_by_two_units(selection, town1, organizer):
    first = nomination_save(
        actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON, submit=True
    )
    second = nomination_save(
        actor=organizer,
        selection=selection,
        unit=_town("示例镇二"),
        data={**PERSON, "work_unit": "泗县示例镇一农技站"},
        submit=True,
    )
    assert second.duplicate_of == first
    other = nomination_save(
        actor=organizer,
        selection=selection,
        unit=_town("示例街道一"),
        data={**PERSON, "name": "张敏"},
        submit=True,
    )
    assert other.duplicate_of is None


def test_the_organizer_reviews_with_recorded_reasons(selection, town1, organizer):
    n = nomination_save(actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON, submit=True)
    with pytest.raises(ValidationError, match="请填写理由"):
        nomination_review(actor=organizer, nomination=n, action="return")
    n = nomination_review(actor=organizer, nomination=n, action="return", reason="缺少单位盖章意见")
    assert n.status == Nomination.Status.RETURNED and n.reason == "缺少单位盖章意见"
    n = nomination_save(
        actor=town1,
        selection=selection,
        unit=n.unit,
        nomination=n,
        version=n.version,
        data=PERSON,
        submit=True,
    )
    n = nomination_review(actor=organizer, nomination=n, action="pass")
    n = nomination_review(actor=organizer, nomination=n, action="disqualify", reason="论文材料与事实不符")
    assert n.status == Nomination.Status.DISQUALIFIED
    assert AuditEvent.objects.filter(action="nomination.disqualify", note="论文材料与事实不符").exists()
    with pytest.raises(ValidationError, match="不能列为候选人"):
        nomination_review(actor=organizer, nomination=n, action="shortlist")


def test_a_stale_edit_is_refused(selection, town1):
    n = nomination_save(actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON)
    nomination_save(
        actor=town1, selection=selection, unit=n.unit, nomination=n, version=n.version, data=PERSON
    )
    with pytest.raises(ValidationError, match="已被其他人修改"):
        nomination_save(
            actor=town1, selection=selection, unit=n.unit, nomination=n, version=n.version, data=PERSON
        )


def test_uploads_are_checked_by_content(selection, town1):
    n = nomination_save(actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON)
    fake = SimpleUploadedFile(
        "portrait.jpg", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as err:
        nomination_attach(actor=town1, nomination=n, field="portrait", upload=fake)
    assert "个人照片" in str(err.value)
    buf = io.BytesIO()
    Image.new("RGB", (60, 80), "#3a7").save(buf, "JPEG")
    good = SimpleUploadedFile("portrait.jpg", buf.getvalue(), content_type="image/jpeg")
    name = nomination_attach(actor=town1, nomination=n, field="portrait", upload=good)
    assert name.endswith(".jpg") and "portrait" not in name  # the client's name is never the path


def test_units_see_only_their_own_and_mobiles_are_masked(selection, town1, organizer, client_for):
    nomination_save(actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON, submit=True)
    nomination_save(
        actor=organizer,
        selection=selection,
        unit=_town("示例镇二"),
        data={**PERSON, "name": "周七"},
        submit=True,
    )
    mine = client_for(town1).get(f"/api/v1/selections/{selection.pk}/nominations").json()
    assert [n["name"] for n in mine] == ["张明"] and mine[0]["mobile"] == "139****1234"
    everyone = client_for(organizer).get(f"/api/v1/selections/{selection.pk}/nominations").json()
    assert {n["name"] for n in everyone} == {"张明", "周七"} and everyone[0]["mobile"] == "13905571234"
    other = Nomination.objects.get(name="周七")
    r = client_for(town1).post(
        f"/api/v1/selections/nominations/{other.pk}/review",
        json.dumps({"action": "pass"}),
        content_type="application/json",
    )
    assert r.status_code == 404


def test_a_unit_nominates_through_the_api(selection, town1, client_for):
    body = {**PERSON, "birth_date": "1980-03-02", "submit": True}
    r = client_for(town1).post(
        f"/api/v1/selections/{selection.pk}/nominations", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["status"] == "submitted"
    r = client_for(town1).post(
        f"/api/v1/selections/{selection.pk}/nominations",
        json.dumps({**body, "name": "王五"}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "已超出推荐名额" in json.dumps(r.json(), ensure_ascii=False)


def test_a_review_posted_with_a_version_that_is_no_number_is_refused_in_chinese(
    selection, town1, organizer, client_for
):
    """The hidden version was read with int(): "abc" answered 500."""
    n = nomination_save(actor=town1, selection=selection, unit=_town("示例镇一"), data=PERSON, submit=True)
    c = client_for(organizer)
    r = c.post(
        f"/manage/selections/nominations/{n.pk}/review/", {"action": "return", "reason": "", "version": "abc"}
    )
    assert r.status_code == 302
    page = c.get(r.url).content.decode()
    assert "请填写理由" in page
    n.refresh_from_db()
    assert n.status == Nomination.Status.SUBMITTED


def test_the_nomination_form_is_offered_only_while_nominating_is_open(selection, town1, client_for):
    """After the deadline the page still offered 推荐人选 and the whole 推荐表 (portrait, 1,500 characters of
    deeds), refused only when sent; now it says 推荐已截止 and the form is not offered."""
    c = client_for(town1)
    page = c.get(f"/my/selections/{selection.pk}/").content.decode()
    assert f'href="/my/selections/{selection.pk}/new/"' in page and 'id="nominating-closed"' not in page
    assert c.get(f"/my/selections/{selection.pk}/new/").status_code == 200
    type(selection).objects.filter(pk=selection.pk).update(
        nominate_until=selection.nominate_until - dt.timedelta(days=10)
    )
    page = c.get(f"/my/selections/{selection.pk}/").content.decode()
    assert "/new/" not in page and 'id="nominating-closed"' in page
    r = c.get(f"/my/selections/{selection.pk}/new/", follow=True)
    assert r.redirect_chain[-1][0] == f"/my/selections/{selection.pk}/"
    assert "推荐已截止。" in r.content.decode()
    r = c.post(f"/my/selections/{selection.pk}/new/", {"name": "张三"})
    assert r.status_code == 302 and not Nomination.objects.exists()
