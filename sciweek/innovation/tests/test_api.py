"""The API contracts integrators rely on, and scope: a town sees its own, the bureau sees all."""

from __future__ import annotations

from sciweek.innovation.models import Enterprise

from .conftest import make_code


def test_it_creates_an_enterprise_and_refuses_a_bad_code_naming_the_field(api, organizer, towns):
    bureau = api(organizer)
    r = bureau.post(
        "enterprises", {"name": "泗县金穗面粉有限公司", "credit_code": make_code(3), "unit_id": towns[0].pk}
    )
    assert r.status_code == 201, r.content
    assert r.json()["credit_code"] == make_code(3)
    bad = make_code(4)[:-1] + ("A" if make_code(4)[-1] != "A" else "B")
    r = bureau.post("enterprises", {"name": "某公司", "credit_code": bad, "unit_id": towns[0].pk})
    assert r.status_code == 400
    assert "credit_code" in r.json()["detail"] and "统一社会信用代码" in r.json()["detail"]["credit_code"][0]
    assert Enterprise.objects.count() == 1


def test_experts_demands_and_ranked_matches(api, organizer, town1, towns, enterprise):
    bureau = api(organizer)
    r = bureau.post("experts", {"name": "李植保", "organization": "安徽农业大学", "discipline": "植物保护",
                                "keywords": ["赤霉病", "小麦病虫害"]})  # fmt: skip
    assert r.status_code == 201, r.content
    plant = r.json()["id"]
    mech = bureau.post("experts", {"name": "张机械", "organization": "宿州学院", "discipline": "机械工程",
                                   "keywords": ["小麦收割机"]}).json()["id"]  # fmt: skip
    assert (
        api(town1).post("experts", {"name": "x", "organization": "y", "discipline": "z"}).status_code == 403
    )
    r = api(town1).post("demands", {"enterprise_id": enterprise.pk, "title": "小麦赤霉病防控", "field": "crops",
                                    "description": "小麦赤霉病发病重，需要防控技术指导"})  # fmt: skip
    assert r.status_code == 201, r.content
    demand = r.json()
    assert demand["status"] == "collected" and demand["allowed_steps"] == ["reviewed", "closed"]
    matches = bureau.get(f"demands/{demand['id']}/matches").json()
    assert [set(m) >= {"kind", "id", "name", "score", "reasons"} for m in matches] == [True] * len(matches)
    ids = [m["id"] for m in matches]
    assert matches[0]["kind"] == "expert" and ids.index(plant) < ids.index(mech)
    # status change through the API, with the version; a stale one is 409
    r = api(town1).post(f"demands/{demand['id']}/status", {"to": "reviewed", "version": demand["version"]})
    assert r.status_code == 200 and r.json()["status"] == "reviewed"
    r = bureau.post(f"demands/{demand['id']}/status", {"to": "matching", "version": demand["version"]})
    assert r.status_code == 409
    r = api(town1).post(
        f"demands/{demand['id']}/status", {"to": "matching", "version": demand["version"] + 1}
    )
    assert r.status_code == 403


def test_a_town_sees_only_its_own_records(api, organizer, town1, towns):
    bureau = api(organizer)
    other = bureau.post("enterprises", {"name": "镇二企业", "credit_code": make_code(11), "unit_id": towns[1].pk,
                                        "contacts": [{"name": "钱会计", "phone": "13800001111"}]}).json()  # fmt: skip
    mine = bureau.post("enterprises", {"name": "镇一企业", "credit_code": make_code(12), "unit_id": towns[0].pk,
                                       "contacts": [{"name": "孙经理", "phone": "13800002222"}]}).json()  # fmt: skip
    town = api(town1)
    assert [e["name"] for e in town.get("enterprises").json()] == ["镇一企业"]
    assert town.get(f"enterprises/{other['id']}").status_code == 404
    assert town.get(f"enterprises/{mine['id']}").json()["contacts"][0]["phone"] == "13800002222"
    r = town.post(
        "demands", {"enterprise_id": other["id"], "title": "x", "field": "crops", "description": "y"}
    )
    assert r.status_code == 404
    r = town.post("enterprises", {"name": "越权", "credit_code": make_code(13), "unit_id": towns[1].pk})
    assert r.status_code == 404
    assert {e["name"] for e in bureau.get("enterprises").json()} == {"镇一企业", "镇二企业"}


def test_phones_are_masked_for_those_without_need(api, organizer, province, towns):
    api(organizer).post("enterprises", {"name": "镇一企业", "credit_code": make_code(12), "unit_id": towns[0].pk,
                                        "contacts": [{"name": "孙经理", "phone": "13800002222"}]})  # fmt: skip
    assert api(organizer).get("enterprises").json()[0]["contacts"][0]["phone"] == "13800002222"
    seen = api(province).get("enterprises").json()  # a provincial viewer: sees the record, not the number
    assert seen[0]["contacts"][0]["phone"] == "138****2222"


def test_the_api_imports_a_list_with_a_preview_first(organizer, towns):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from sciweek.accounts.services import token_create

    from .test_import import xlsx

    _, raw = token_create(actor=organizer, user=organizer, name="t")
    c, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = xlsx([["甲公司", make_code(50), "示例镇一", "", "", "", "", ""]])
    r = c.post("/api/v1/enterprises/import", {"file": SimpleUploadedFile("a.xlsx", data)}, **auth)
    assert r.status_code == 200 and r.json()["new"] == 1 and not r.json()["committed"]
    assert not Enterprise.objects.exists()
    r = c.post(
        "/api/v1/enterprises/import", {"file": SimpleUploadedFile("a.xlsx", data), "commit": "true"}, **auth
    )
    assert r.status_code == 200 and r.json()["created"] == 1
    bad = xlsx([["乙公司", "123", "示例镇一", "", "", "", "", ""]])
    r = c.post(
        "/api/v1/enterprises/import", {"file": SimpleUploadedFile("b.xlsx", bad), "commit": "true"}, **auth
    )
    assert r.status_code == 400 and "第2行「统一社会信用代码」" in str(r.json()["detail"])
    assert Enterprise.objects.count() == 1


def test_the_bureau_edits_an_expert_with_the_version_and_others_cannot(api, organizer, town1, experts):
    plant = experts["plant"]
    from django.test import Client

    from sciweek.accounts.services import token_create

    def patch(user, body):
        _, raw = token_create(actor=user, user=user, name="t")
        import json

        return Client().patch(f"/api/v1/experts/{plant.pk}", json.dumps(body), content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip

    r = patch(organizer, {"version": 1, "keywords": ["赤霉病", "纹枯病"]})
    assert r.status_code == 200 and r.json()["keywords"] == ["赤霉病", "纹枯病"] and r.json()["version"] == 2
    assert patch(organizer, {"version": 1, "title": "x"}).status_code == 409
    assert patch(organizer, {"version": 2, "org_kind": "organ"}).status_code == 400  # a commissioner
    assert patch(town1, {"version": 2, "title": "x"}).status_code == 404
