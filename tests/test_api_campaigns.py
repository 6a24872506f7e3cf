"""/api/v1/campaigns: what each persona sees and may change, with the page's scope rules."""

from __future__ import annotations

from django.test import Client

from sciweek.campaigns.models import Campaign
from sciweek.core.models import AuditEvent


def test_it_lists_only_the_campaigns_a_caller_may_see(api_for, organizer, town1, city, other):
    titles = {c["title"] for c in api_for(organizer).get("campaigns/").json()}
    assert titles == {"2023年泗县科技活动周"}
    # A unit sees the published campaigns above it, never another county's.
    assert {c["title"] for c in api_for(town1).get("campaigns/").json()} == {"2023年泗县科技活动周"}
    # The city organizer sees both counties, drafts included.
    assert {c["title"] for c in api_for(city).get("campaigns/").json()} == {
        "2023年泗县科技活动周",
        "2023年灵璧县科技活动周",
        "2024年灵璧县科技活动周（草稿）",
    }
    # 灵璧's own reporter sees 灵璧's published campaign and not its draft.
    assert {c["title"] for c in api_for(other.reporter).get("campaigns/").json()} == {
        "2023年灵璧县科技活动周"
    }


def test_it_answers_404_for_another_countys_campaign(api_for, town1, organizer, other):
    r = api_for(town1).get(f"campaigns/{other.campaign.pk}")
    assert r.status_code == 404
    assert r.json() == {"detail": "活动周不存在"}
    assert api_for(organizer).get(f"campaigns/{other.draft.pk}").status_code == 404
    assert api_for(other.reporter).get(f"campaigns/{other.draft.pk}").status_code == 404


def test_it_shows_the_campaign_detail(api_for, town1, demo):
    r = api_for(town1).get(f"campaigns/{demo.campaign.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["theme"] == "热爱科学 崇尚科学"
    assert body["start_date"] == "2023-05-20" and body["end_date"] == "2023-05-31"
    assert body["content_themes"][2] == "大力弘扬科学家精神"
    assert body["can_manage"] is False


def test_it_lets_the_organizer_update_with_the_version_and_audits_it(api_for, organizer, demo):
    api = api_for(organizer)
    api.client.defaults["REMOTE_ADDR"] = "198.51.100.23"
    r = api.patch(
        f"campaigns/{demo.campaign.pk}",
        {"version": 1, "theme": "科技创新 强国复兴", "content_themes": ["主题一", "主题二"]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["theme"] == "科技创新 强国复兴" and r.json()["version"] == 2
    assert r.json()["content_themes"] == ["主题一", "主题二"]
    event = AuditEvent.objects.filter(action="campaign.update").latest("id")
    assert event.actor == organizer and event.ip == "198.51.100.23"
    assert event.before["theme"] == "热爱科学 崇尚科学" and event.after["theme"] == "科技创新 强国复兴"
    assert Campaign.objects.get(pk=demo.campaign.pk).theme == "科技创新 强国复兴"


def test_it_refuses_a_stale_version_with_409_in_chinese(api_for, organizer, demo):
    api = api_for(organizer)
    assert (
        api.patch(f"campaigns/{demo.campaign.pk}", {"version": 1, "theme": "第一人保存"}).status_code == 200
    )
    r = api.patch(f"campaigns/{demo.campaign.pk}", {"version": 1, "theme": "第二人保存"})
    assert r.status_code == 409
    assert r.json()["detail"]["__all__"] == ["活动周信息已被其他人修改，请刷新页面查看最新内容后再保存。"]
    assert Campaign.objects.get(pk=demo.campaign.pk).theme == "第一人保存"


def test_it_names_the_field_of_bad_input(api_for, organizer, demo):
    api = api_for(organizer)
    url = f"campaigns/{demo.campaign.pk}"
    r = api.patch(url, {"version": 1, "start_date": "2023-05-31", "end_date": "2023-05-20"})
    assert r.status_code == 400
    assert r.json()["detail"]["end_date"] == ["结束日期（2023年5月20日）不能早于开始日期（2023年5月31日）。"]
    r = api.patch(url, {"version": 1, "title": "长" * 201, "year": "二〇二三", "start_date": "5月20日"})
    assert r.status_code == 400
    assert r.json()["detail"] == {
        "title": ["不能超过200个字。"],
        "year": ["应为整数。"],
        "start_date": ["日期格式不正确，应为 2023-05-20 这样的格式。"],
    }
    r = api.patch(url, {"version": 1, "contact_email": "不是邮箱"})
    assert r.json()["detail"] == {"contact_email": ["电子邮箱「不是邮箱」格式不正确。"]}
    r = api.patch(url, {"version": 1, "contact_person": "陈\x00曦"})
    assert r.json()["detail"] == {"contact_person": ["不能包含空字符（\\x00）。"]}
    r = api.patch(url, {"theme": "没有版本号"})
    assert r.json()["detail"] == {"version": ["缺少必填项。"]}
    r = api.patch(url, {"version": 1, "issuer_ids": [999999]})
    assert r.json()["detail"] == {"issuer_ids": ["单位编号 999999 不存在或不在「泗县」范围内。"]}
    # Nothing was half-saved.
    assert Campaign.objects.get(pk=demo.campaign.pk).version == 1


def test_it_forbids_changes_to_those_who_see_but_do_not_organize(api_for, xcb, town1, province, demo):
    for user in (xcb, town1, province):
        r = api_for(user).patch(f"campaigns/{demo.campaign.pk}", {"version": 1, "theme": "不该改"})
        assert r.status_code == 403, user
        assert "只有组织单位" in r.json()["detail"]
        assert (
            api_for(user).post(f"campaigns/{demo.campaign.pk}/status", {"status": "closed"}).status_code
            == 403
        )
    assert Campaign.objects.get(pk=demo.campaign.pk).theme == "热爱科学 崇尚科学"


def test_it_changes_the_status_and_notifies_on_publish(api_for, organizer, demo):
    from sciweek.core.models import Notification

    api = api_for(organizer)
    r = api.post(f"campaigns/{demo.campaign.pk}/status", {"status": "draft"})
    assert r.json()["status"] == "draft" and r.json()["status_label"] == "草稿"
    before = Notification.objects.count()
    r = api.post(f"campaigns/{demo.campaign.pk}/status", {"status": "published"})
    assert r.status_code == 200 and r.json()["status_label"] == "已发布"
    assert Notification.objects.filter(title="2023年泗县科技活动周已发布").count() > 0
    assert Notification.objects.count() > before
    r = api.post(f"campaigns/{demo.campaign.pk}/status", {"status": "finished"})
    assert r.status_code == 400 and r.json()["detail"] == {"status": ["未知状态「finished」。"]}


def test_it_needs_a_login_or_a_token(demo):
    r = Client().get("/api/v1/campaigns/")
    assert r.status_code == 401
    assert r.json()["detail"] == "请先登录，或在请求头中提供有效的接口令牌。"
    r = Client().get("/api/v1/campaigns/", HTTP_AUTHORIZATION="Bearer sw_not-a-real-token")
    assert r.status_code == 401


def test_it_accepts_the_browser_session_and_checks_csrf_on_writes(organizer, demo):
    c = Client(enforce_csrf_checks=True)
    c.force_login(organizer)
    assert c.get("/api/v1/campaigns/").status_code == 200
    r = c.patch(
        f"/api/v1/campaigns/{demo.campaign.pk}",
        data='{"version": 1, "theme": "x"}',
        content_type="application/json",
    )
    assert r.status_code == 403  # no CSRF token: a cross-site page cannot write through the session
    c.get("/accounts/profile/")
    token = c.cookies["csrftoken"].value
    r = c.patch(
        f"/api/v1/campaigns/{demo.campaign.pk}",
        data='{"version": 1, "theme": "会话修改"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert r.status_code == 200 and r.json()["theme"] == "会话修改"


def test_it_publishes_the_openapi_schema(client, demo):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in (
        "/api/v1/campaigns/{campaign_id}",
        "/api/v1/campaigns/{campaign_id}/activities/{activity_id}",
        "/api/v1/campaigns/{campaign_id}/requirements",
        "/api/v1/units/{unit_id}/staff",
    ):
        assert p in paths
    assert "patch" in paths["/api/v1/campaigns/{campaign_id}"]
