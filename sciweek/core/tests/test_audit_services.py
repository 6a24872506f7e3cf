"""Every write service of orgs / campaigns / accounts leaves an AuditEvent: who, from which address
(set by core.middleware.RequestContextMiddleware, the way a real request sets it), and the values
before → after.

The services are found by inspection (public functions with a keyword-only `actor`), so a new write
service makes this test fail until a case for it is added below.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from sciweek.core.middleware import RequestContextMiddleware
from sciweek.core.models import AuditEvent
from sciweek.orgs.models import Membership, OrgUnit, StaffContact

IP = "203.0.113.77"
SERVICE_MODULES = [
    "sciweek.orgs.services",
    "sciweek.orgs.merge",
    "sciweek.orgs.import_apply",
    "sciweek.campaigns.services",
    "sciweek.notices.importing.services",
    "sciweek.accounts.services",
]


def write_services() -> set[str]:
    found = set()
    for name in SERVICE_MODULES:
        module = importlib.import_module(name)
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            params = inspect.signature(fn).parameters
            if (
                fn.__module__ == name
                and not fname.startswith("_")
                and ("actor" in params or fname == "password_change_done")
            ):
                found.add(f"{name}.{fname}")
    return found


def through_request(call: Callable[[], Any]) -> Any:
    """Run `call` inside the request middleware, as a view would, from address IP."""
    result: dict[str, Any] = {}

    def view(request):
        result["value"] = call()
        return HttpResponse()

    RequestContextMiddleware(view)(RequestFactory().post("/", REMOTE_ADDR=IP))
    return result.get("value")


@dataclass
class Case:
    call: Callable[..., Any]  # call(actor) or, with `prepare`, call(actor, prepared)
    kind: str  # create: after; update: before and after differ; delete: before; event: see EVENTS
    actor: str = "sx-kjj"
    prepare: Callable[[], Any] | None = None  # set-up outside the request (its audit is not the case's)


# Writes whose values must not be logged (passwords, tokens) or whose action name is the whole change.
EVENTS = {
    "sciweek.accounts.services.password_change_done": "a password change: no value may be logged",
    "sciweek.accounts.services.user_reset_password": "the new one-time password must never be logged",
    "sciweek.accounts.services.token_create": "the token is secret; its name and prefix are in object_repr",
    "sciweek.accounts.services.token_revoke": "the token is secret; its name and prefix are in object_repr",
    "sciweek.notices.importing.services.notice_import_discard": "the action is the change (draft → discarded)",
}


# Writes that belong to no unit yet, so no organizer's audit page lists them.
NO_UNIT = {
    "sciweek.accounts.services.user_create": "a user created without a unit belongs to nobody's subtree"
}


def _u(name: str) -> OrgUnit:
    return OrgUnit.objects.get(name=name)


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _staff(unit: OrgUnit) -> StaffContact:
    from sciweek.orgs.services import staff_save

    return staff_save(actor="测试", unit=unit, name="赵干事", mobile="13811112222")


def _units_import(org):
    from openpyxl import Workbook

    from sciweek.orgs.import_apply import units_import
    from sciweek.orgs.import_planner import plan_import
    from sciweek.orgs.importer import SHEET_NAME
    from sciweek.orgs.importspec import COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAME
    ws.append([c.label for c in COLUMNS])
    row = {"name": "泗县草沟镇", "kind": "镇（街道）", "staff_name": "孙干事", "mobile": "13833334444"}
    ws.append([row.get(c.key, "") for c in COLUMNS])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    plan = plan_import(data, actor=org)
    assert plan.ok, plan.errors
    return through_request(lambda: units_import(actor=org, plan=plan, source_name="名单.xlsx"))


def _notice_apply(org):
    from sciweek.campaigns.models import NoticeImport
    from sciweek.notices.importing.plan import ImportPlan
    from sciweek.notices.importing.services import notice_import_apply, notice_import_start

    imp = notice_import_start(
        actor=org,
        region=_u("泗县"),
        text="关于举办2024年泗县科技活动周的通知",
        close_of_business=dt.time(17, 30),
    )
    plan = ImportPlan(
        fields={
            "title": "2024年泗县科技活动周",
            "year": 2024,
            "theme": "科技创新",
            "start_date": dt.date(2024, 5, 18),
            "end_date": dt.date(2024, 5, 25),
        },
        issuers=[],
        issuers_pending=[],
        themes=[],
        activities=[],
        requirements=[],
    )
    return through_request(
        lambda: notice_import_apply(actor=org, notice_import=NoticeImport.objects.get(pk=imp.pk), plan=plan)
    )


def _cases() -> dict[str, Case]:
    from sciweek.accounts import services as acc
    from sciweek.campaigns import services as camp
    from sciweek.campaigns.models import Campaign, MainActivity, Requirement
    from sciweek.notices.importing import services as notice
    from sciweek.orgs import merge
    from sciweek.orgs import services as orgs

    c = lambda: Campaign.objects.get(year=2023)  # noqa: E731
    act = lambda: MainActivity.objects.get(campaign=c(), number=2)  # noqa: E731
    req = lambda: Requirement.objects.filter(campaign=c()).first()  # noqa: E731
    kjj = lambda: _u("泗县科学技术局")  # noqa: E731
    return {
        "sciweek.orgs.services.unit_create": Case(
            lambda org: orgs.unit_create(actor=org, parent=_u("泗县"), name="泗县长沟镇", kind="town"),
            "create",
        ),
        "sciweek.orgs.services.unit_update": Case(
            lambda org: orgs.unit_update(
                actor=org, unit=_u("示例镇二"), version=1, name="泗县大庄镇", kind="town"
            ),
            "update",
        ),
        "sciweek.orgs.services.unit_set_active": Case(
            lambda org: orgs.unit_set_active(actor=org, unit=_u("示例镇二"), active=False), "update"
        ),
        "sciweek.orgs.services.unit_move": Case(
            lambda org: orgs.unit_move(actor=org, unit=_u("示例·泗县医学会"), new_parent=_u("泗县")), "update"
        ),
        "sciweek.orgs.services.unit_add_aliases": Case(
            lambda org: orgs.unit_add_aliases(actor=org, unit=_u("泗县气象局"), aliases=["气象局"]), "create"
        ),
        "sciweek.orgs.services.staff_save": Case(
            lambda org, staff: orgs.staff_save(
                actor=org, unit=staff.unit, staff=staff, version=1, name="赵干事", mobile="13899998888"
            ),
            "update",
            prepare=lambda: _staff(_u("泗县气象局")),
        ),
        "sciweek.orgs.services.staff_delete": Case(
            lambda org, staff: orgs.staff_delete(actor=org, staff=staff),
            "delete",
            prepare=lambda: _staff(_u("泗县水利局")),
        ),
        "sciweek.orgs.merge.unit_merge": Case(
            lambda org: merge.unit_merge(actor=org, source=_u("示例街道一"), target=_u("示例镇二")), "update"
        ),
        "sciweek.orgs.import_apply.units_import": Case(_units_import, "create"),
        "sciweek.campaigns.services.campaign_create": Case(
            lambda org: camp.campaign_create(
                actor=org,
                org_unit=_u("泗县"),
                title="2024年泗县科技活动周",
                theme="科技创新",
                start_date=dt.date(2024, 5, 18),
                end_date=dt.date(2024, 5, 25),
            ),
            "create",
        ),
        "sciweek.campaigns.services.campaign_update": Case(
            lambda org: camp.campaign_update(actor=org, campaign=c(), version=1, theme="新主题"), "update"
        ),
        "sciweek.campaigns.services.campaign_set_status": Case(
            lambda org: camp.campaign_set_status(actor=org, campaign=c(), status="reporting"), "update"
        ),
        "sciweek.campaigns.services.activity_save": Case(
            lambda org: camp.activity_save(
                actor=org,
                campaign=c(),
                activity=act(),
                version=1,
                number=2,
                title="服务企业创新行动",
                lead_units=[kjj()],
                cooperating_units=[],
            ),
            "update",
        ),
        "sciweek.campaigns.services.requirement_save": Case(
            lambda org: camp.requirement_save(
                actor=org,
                campaign=c(),
                requirement=req(),
                version=1,
                kind=req().kind,
                title="改过的要求",
                due_at=req().due_at,
            ),
            "update",
        ),
        "sciweek.campaigns.services.requirement_delete": Case(
            lambda org: camp.requirement_delete(actor=org, requirement=req()), "delete"
        ),
        "sciweek.notices.importing.services.notice_import_start": Case(
            lambda org: notice.notice_import_start(
                actor=org,
                region=_u("泗县"),
                text="关于举办科技活动周的通知",
                close_of_business=dt.time(17, 30),
            ),
            "create",
        ),
        "sciweek.notices.importing.services.notice_import_discard": Case(
            lambda org, imp: notice.notice_import_discard(actor=org, notice_import=imp),
            "event",
            prepare=lambda: notice.notice_import_start(
                actor=_user("sx-kjj"), region=_u("泗县"), text="通知", close_of_business=dt.time(17, 30)
            ),
        ),
        "sciweek.notices.importing.services.notice_import_apply": Case(_notice_apply, "create"),
        "sciweek.accounts.services.user_create": Case(
            lambda org: acc.user_create(actor=org, username="sx-new", password=None, display_name="新账号"),
            "create",
        ),
        "sciweek.accounts.services.membership_grant": Case(
            lambda org: acc.membership_grant(
                actor=org, user=_user("sx-town1"), unit=_u("示例镇二"), role="unit_reporter"
            ),
            "create",
        ),
        "sciweek.accounts.services.membership_revoke": Case(
            lambda org: acc.membership_revoke(
                actor=org, membership=Membership.objects.get(user__username="sx-qxj")
            ),
            "delete",
        ),
        "sciweek.accounts.services.accounts_bulk_create": Case(
            lambda org: acc.accounts_bulk_create(actor=org, units=[_u("泗县水利局")]), "create"
        ),
        "sciweek.accounts.services.user_set_active": Case(
            lambda org: acc.user_set_active(actor=org, user=_user("sx-town1"), active=False), "update"
        ),
        "sciweek.accounts.services.user_reset_password": Case(
            lambda org: acc.user_reset_password(actor=org, user=_user("sx-town1")), "event"
        ),
        "sciweek.accounts.services.password_change_done": Case(
            lambda org: acc.password_change_done(user=_user("sx-town1")), "event", actor="sx-town1"
        ),
        "sciweek.accounts.services.token_create": Case(
            lambda org: acc.token_create(actor=org, user=org, name="脚本"), "event"
        ),
        "sciweek.accounts.services.token_revoke": Case(
            lambda org, token: acc.token_revoke(actor=org, token=token),
            "event",
            prepare=lambda: acc.token_create(actor="测试", user=_user("sx-kjj"), name="旧脚本")[0],
        ),
        "sciweek.accounts.services.tokens_revoke_all": Case(
            lambda org, user: acc.tokens_revoke_all(actor=org, user=user, reason="reset"),
            "delete",
            prepare=lambda: acc.token_create(actor="测试", user=_user("sx-town1"), name="旧脚本")[0].user,
        ),
    }


def test_every_write_service_has_an_audit_case():
    cases = set(_cases())
    missing = write_services() - cases
    assert not missing, f"write services without an audit case here: {sorted(missing)}"
    assert not cases - write_services(), "cases for services that no longer exist"
    assert set(EVENTS) == {name for name, case in _cases().items() if case.kind == "event"}


@pytest.mark.parametrize("name", sorted(_cases()))
def test_it_audits_who_from_where_and_what_changed(name, demo):
    case = _cases()[name]
    actor = _user(case.actor)
    prepared = case.prepare() if case.prepare else None
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if name.endswith((".units_import", ".notice_import_apply")):
        case.call(actor)  # these run their own request context around the write only
    elif case.prepare:
        through_request(lambda: case.call(actor, prepared))
    else:
        through_request(lambda: case.call(actor))
    events = list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
    written = [e for e in events if e.ip == IP]
    assert written, f"{name} wrote no audit event from the request"
    for e in written:
        assert e.actor == actor and e.actor_name == actor.username, (name, e.action)
    if case.kind == "create":
        assert any(e.after for e in written), (name, [(e.action, e.after) for e in written])
    elif case.kind == "update":
        assert any(e.before and e.after and e.changes() for e in written), (
            name,
            [(e.action, e.before, e.after) for e in written],
        )
    elif case.kind == "delete":
        assert any(e.before for e in written), name
    else:
        assert name in EVENTS
    if name not in EVENTS and name not in NO_UNIT:
        county = OrgUnit.objects.get(name="泗县").path
        assert any(e.unit_path.startswith(county) for e in written), (
            f"{name}: the county organizer would not find this on /manage/audit/ (unit_path missing)"
        )


def test_the_address_comes_from_the_proxy_header_on_a_real_request(client_for, organizer, demo, settings):
    """Behind a trusted reverse proxy the last X-Forwarded-For hop is the client (core/middleware.client_ip)."""
    settings.SCIWEEK_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR
    c = client_for(organizer)
    r = c.post(
        f"/manage/campaigns/{demo.campaign.pk}/status/",
        {"status": "reporting"},
        HTTP_X_FORWARDED_FOR="10.9.8.7, 198.51.100.44",
    )
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="campaign.status").latest("id")
    assert event.ip == "198.51.100.44" and event.actor == organizer
    assert (event.before, event.after) == ({"status": "running"}, {"status": "reporting"})
