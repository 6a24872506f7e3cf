from __future__ import annotations

from sciweek.campaigns.compliance import unit_compliance
from sciweek.campaigns.models import Requirement
from sciweek.materials.models import PublicitySubmission


def _publicity_requirement(demo):
    return demo.campaign.requirements.get(kind=Requirement.Kind.PUBLICITY)


def test_it_lets_a_unit_name_staff_and_send_publicity_which_completes_the_deadline(
    client_for, qxj, demo, unit
):
    qx = unit("县气象局")
    c = client_for(qxj)
    req = _publicity_requirement(demo)
    assert not unit_compliance(req, qx).done

    r = c.post(
        f"/my/publicity/{demo.campaign.pk}/{qx.pk}/", {"headline": "气象科普", "body": "内容", "submit": "1"}
    )
    assert "报送前请先在本单位页面登记工作人员姓名和手机号" in r.content.decode()
    assert not PublicitySubmission.objects.exists()

    r = c.post(f"/my/staff/{qx.pk}/", {"name": "王芳", "mobile": "12345"})
    assert "格式不正确" in r.content.decode()
    c.post(f"/my/staff/{qx.pk}/", {"name": "王芳", "mobile": "138 0000 1234", "position": "办公室主任"})
    assert qx.staff.get().mobile == "13800001234"

    c.post(
        f"/my/publicity/{demo.campaign.pk}/{qx.pk}/",
        {"headline": "气象科普", "body": "防灾减灾知识", "submit": "1"},
    )
    state = unit_compliance(req, qx)
    assert state.done and state.late  # the demo's deadline (2023-05-18) is long past
    page = c.get("/my/").content.decode()
    assert "已报送（逾期）" in page


def test_it_refuses_another_units_publicity_and_staff_pages(client_for, town1, demo, unit):
    qx = unit("县气象局")
    c = client_for(town1)
    assert c.get(f"/my/publicity/{demo.campaign.pk}/{qx.pk}/").status_code == 404
    assert c.post(f"/my/staff/{qx.pk}/", {"name": "x", "mobile": "13800001234"}).status_code == 404
    assert not qx.staff.exists()
