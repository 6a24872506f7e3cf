from __future__ import annotations


def test_it_shows_the_public_home_page_without_login(client, demo):
    r = client.get("/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "热爱科学 崇尚科学" in body
    assert "2023年5月20日至31日" in body
    assert "科技活动周政策宣传活动" in body
    assert "陈曦" in body and "7022310" in body


def test_it_sends_the_organizer_to_the_dashboard(client_for, organizer, demo):
    c = client_for(organizer)
    r = c.get("/home/", follow=True)
    assert r.status_code == 200
    assert "2023年泗县科技活动周" in r.content.decode()
    r = c.get(f"/manage/campaigns/{demo.campaign.pk}/")
    assert "参与单位完成情况" in r.content.decode()


def test_it_shows_a_unit_its_deadlines_and_roles(client_for, qxj):
    r = client_for(qxj).get("/home/", follow=True)
    body = r.content.decode()
    assert "泗县气象局" in body
    assert "报送宣传内容及工作人员姓名、手机号" in body
    assert "配合" in body
