"""The scope walk: EVERY URL of the project, called with ids of objects that are not the caller's.

- As 示例镇一's reporter (session, and for the API also a Bearer token): each URL with ids of another
  county (灵璧县), of another unit in the same county (县气象局), and our own campaign combined with
  another county's object must answer 302-to-login / 403 / 404 (or 405 for a method the URL does
  not take). URLs without parameters must refuse too, unless listed in UNIT_MAY_OPEN; those pages
  must not show anything of 灵璧县 or of 县气象局's staff.
- Anonymous: every non-public URL, with our own county's ids, answers 302-to-login / 401.
- As the co-organizer (县委宣传部): every POST / PATCH / PUT / DELETE with our own county's ids
  answers 403 / 404 / 405, unless listed in CO_ORGANIZER_MAY_WRITE.

New URL patterns are picked up automatically. Allow-list entries carry the reason they are safe.
"""

from __future__ import annotations

import json

from django.test import Client

from .walker import endpoints, fill, iter_routes, request_kwargs, url_of
from .world import OTHER_MARKERS, QXJ_MARKERS, created_since, model_pks

# Open to anyone. Those with ids must still refuse what is not published (see the draft walk below).
PUBLIC = {
    "portal:home": "the public front page of the current week",
    "portal:campaign": "a published campaign's public page",
    "accounts:login": "the login page",
    "accounts:logout": "ends the caller's own session",
    "admin:login": "Django admin's own login page (the admin itself needs is_staff)",
    "admin:logout": "ends the caller's own session",
    "set_language": "switches the interface language (a cookie)",
    "javascript-catalog": "translations for scripts, no data",
    "core:healthz": "the load balancer's probe: says only that the process answers",
    "core:readyz": "the load balancer's probe: which dependency is down, no data",
    "core:metrics": "Prometheus counters (view names, counts); SCIWEEK_METRICS_TOKEN closes it",
    "api-v1:openapi-json": "describes the API; holds no data",
    "api-v1:openapi-view": "the Swagger page for that description; holds no data",
    "events:calendar": "the public calendar of published events",
    "events:campaign_calendar": "the public calendar of a published campaign",
    "events:ics": "the public calendar as iCal",
    "events:campaign_ics": "a published campaign's calendar as iCal",
    "events:detail": "a published event's public page",
    "contests:publicity": "a published campaign's contest 公示 page, from the 公示 stage's date on",
    "contests:announcement": "a published campaign's contest 公布 page, from the 公布 stage's date on",
    "contests:verify": "a certificate's verification page (an unguessable code)",
    "api-v1:verify_certificate": "the same verification as JSON (an unguessable code)",
    "api-v1:create_objection": "the public's real-name objection during a published contest's 公示 (rate limited)",
    "api-v1:lodge_selection_objection": "the public's real-name objection during a published selection's 公示 "
    "(as the selections:publicity form; same per-address limit)",
    "events:share_qr": "the QR code of a published event's public page",
    "events:event_ics": "a published event as iCal",
    "events:go": "counts a click and forwards to a published online event",
    "events:image": "a published event's public image",
    "events:register": "the public registers for a published event",
    "events:walkin": "walk-in check-in; needs the event's secret poster key",
    "events:ticket": "a ticket, reached only through its signed token",
    "events:cancel": "cancels a ticket, reached only through its signed token",
    "events:mine": "tickets registered from this browser (its session)",
    "events:recover": "finds a number's tickets again, only with the code texted to that number",
    "favicon.ico": "a redirect to the static icon",
    "api-v1:list_events": "published events, public by design (auth=None)",
    "api-v1:get_event": "one published event, public by design (auth=None)",
    "selections:vote": "a published campaign's 最美 voting page (candidates, tally; no numbers)",
    "selections:publicity": "the 公示 of a published campaign's selection, with its real-name objection form",
    "selections:winners": "the 公布 page of a published selection",
    "selections:portrait": "a winner's portrait once published; otherwise only for those who see the nomination",
    "api-v1:list_selections": "selections of published campaigns, public by design (auth=None)",
    "api-v1:candidates": "a published selection's candidates without numbers (auth=None)",
    "api-v1:request_code": "the public asks for a voting code by text (auth=None, rate limited)",
    "api-v1:cast": "the public votes with that code (auth=None, rate limited)",
    "api-v1:get_tally": "a published selection's live tally (auth=None)",
    "selections:verify": "a 最美 certificate's verification page (an unguessable token; name, title, year only)",
    "api-v1:verify_selection_certificate": "the same verification as JSON (auth=None, unguessable token)",
    "portal:notice": "a published campaign's notice (publishing the campaign publishes it)",
    "portal:notice_original": "the original file of a published campaign's notice",
    "portal:notice_table": "the blank statistics table of a published campaign (no data)",
    "materials:media_public": "a published campaign's confirmed media reports",
    "innovation:published": "technology demands the bureau published (never 涉密, no contacts)",
}
# Public URLs with ids that may answer for an unpublished object (none so far).
PUBLIC_ANY_OBJECT: dict[str, str] = {}

# Pages without ids that a unit user legitimately opens. Their content is checked for leaks.
UNIT_MAY_OPEN = {
    "core:home": "sends each user to their own start page",
    "core:notifications": "the caller's own notifications",
    "campaigns:my_unit": "the caller's own unit page",
    "accounts:password_change": "changes the caller's own password",
    "accounts:profile": "the caller's own account and API tokens",
    "accounts:otp_setup": "enrols the caller's own second factor",
    "accounts:otp_verify": "checks the caller's own second-factor code",
    "events:my_events": "the caller's own unit's events",
    "events:new": "registers an event for the caller's own unit",
    "api-v1:list_campaigns": "filtered by campaigns/access.visible_campaigns",
    "api-v1:list_units": "filtered by orgs/access.visible_units",
    "api-v1:list_scoped": "filtered by events/access.visible_events",
    "api-v1:list_contests": "filtered by contests/access.contest_roles (none: empty list)",
    "contests:list": "the caller's own contests (contests/access.visible_contests; none: an empty page)",
    "innovation:dashboard": "the caller's own town's figures (innovation/views/dashboard._scope)",
    "innovation:export": "the same figures as xlsx",
    "innovation:enterprises": "filtered by innovation/access.records_q",
    "innovation:enterprise_new": "registers an enterprise in the caller's own town (selectors.writable_units)",
    "innovation:demands": "filtered by innovation/access.records_q",
    "innovation:logs": "filtered by records_q, plus the caller's own logs as a commissioner",
    "innovation:import": "imports enterprises into the caller's own town only (importer.plan_import)",
    "innovation:import_preview": "the caller's own pending upload (session)",
    "innovation:import_template": "the empty import template, listing the caller's own towns",
    "innovation:import_commit": "commits the caller's own pending upload (session token)",
    "innovation:import_cancel": "discards the caller's own pending upload",
    "api-v1:list_enterprises": "filtered by innovation/access.records_q",
    "api-v1:list_demands": "filtered by innovation/access.records_q",
    "api-v1:list_visits": "filtered by innovation/access.records_q",
    "api-v1:list_logs": "filtered by records_q, plus the caller's own logs as a commissioner",
    "api-v1:import_enterprises": "plans against the caller's own towns only (importer.plan_import)",
    "api-v1:create_log": "refuses with 400 unless the caller is a commissioner or names an expert it manages",
    "reminders:notifications": "the caller's own notifications (reminders/services.notifications_for)",
    "reminders:notification_mark": "marks the caller's own notifications read",
    "reminders:preferences": "the caller's own reminder settings",
    "api-v1:list_notifications": "the caller's own notifications (reminders/services.notifications_for)",
    "api-v1:mark_notifications": "marks the caller's own notifications read",
}

# POSTs (and API writes) a co-organizer may make inside its own county; everything else must be refused.
READ_ONLY = "a read-only page for bureau members that ignores POST (writes nothing)"
RUNS_EVENTS = "co-organizers help run events in their county (events/access.can_run_event)"
RUNS_SELECTIONS = (
    "co-organizers run the 最美 selection: 县科协 and 县委宣传部 lead 四.4 (selections/access.can_run)"
)
CO_ORGANIZER_MAY_WRITE = {
    "core:home": "a redirect to the start page; writes nothing",
    "core:notifications": "marks the caller's own notifications read",
    "reminders:notification_mark": "marks the caller's own notifications read",
    "reminders:preferences": "the caller's own reminder settings",
    "api-v1:mark_notifications": "marks the caller's own notifications read",
    "accounts:password_change": "the caller's own password",
    "accounts:profile": "creates the caller's own API token",
    "accounts:otp_setup": "enrols the caller's own second factor",
    "accounts:otp_verify": "checks the caller's own second-factor code",
    "campaigns:manage_home": READ_ONLY,
    "campaigns:dashboard": READ_ONLY,
    "campaigns:my_unit_for": READ_ONLY,
    "orgs:tree": READ_ONLY,
    "orgs:unit": READ_ONLY,
    "reports:report": READ_ONLY,
    "reports:review_queue": READ_ONLY,
    "reports:compare": READ_ONLY,
    "reports:dashboard": READ_ONLY,
    "reports:rollup": READ_ONLY,
    "reports:exchange": READ_ONLY,
    "reports:blank_download": "downloads the empty form",
    "reports:unit_download": "downloads a report the co-organizer may read",
    "reports:export_start": "starts an export job of data the co-organizer may read",
    "events:staff_detail": READ_ONLY,
    "events:image_staff": READ_ONLY,
    "events:review_list": READ_ONLY,
    "events:registrations": READ_ONLY,
    "events:poster": READ_ONLY,
    "events:outcome": RUNS_EVENTS,
    "events:checkin": RUNS_EVENTS,
    "events:checkin_sync": RUNS_EVENTS,
    "api-v1:checkin": RUNS_EVENTS,
    "selections:list": RUNS_SELECTIONS,
    "selections:manage": READ_ONLY,
    "selections:mine": READ_ONLY,
    "selections:vote_rules": RUNS_SELECTIONS,
    "selections:review": RUNS_SELECTIONS,
    "selections:anomalies": RUNS_SELECTIONS,
    "selections:decide": RUNS_SELECTIONS,
    "selections:answer": RUNS_SELECTIONS,
    "selections:expert_review": RUNS_SELECTIONS,
    "selections:certificates": RUNS_SELECTIONS,
    "api-v1:put_review_criteria": RUNS_SELECTIONS,
    "api-v1:review": RUNS_SELECTIONS,
    "api-v1:void": RUNS_SELECTIONS,
    "api-v1:post_committee_decision": RUNS_SELECTIONS + " (as selections:decide)",
    "api-v1:answer_selection_objection": RUNS_SELECTIONS + " (as selections:answer)",
    "api-v1:export_start": "starts an export job of data the co-organizer may read (as reports:export_start)",
}

DENY = {301, 302, 401, 403, 404, 405}
ALL_MARKERS = OTHER_MARKERS + QXJ_MARKERS


def _schema(client: Client) -> dict:
    return json.loads(client.get("/api/v1/openapi.json").content)


def _denied(response, *, api: bool) -> bool:
    if response.status_code in (301, 302):
        target = response.get("Location", "")
        return target.startswith("/accounts/login/") or target.startswith("/django-admin/login/")
    if response.status_code == 401:
        return api
    return response.status_code in DENY


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "json" in response.get("Content-Type", ""):
        try:
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            pass
    return body.decode("utf-8", "replace")


class Caller:
    """One persona calling URLs: by session (logged in again before each call) or by Bearer token."""

    def __init__(self, user=None, *, token: str | None = None) -> None:
        self.user, self.token = user, token
        self.client = Client(raise_request_exception=False)

    def call(self, method: str, url: str, kwargs: dict) -> object:
        if self.user is not None and self.token is None:
            self.client.force_login(self.user)
        extra = dict(kwargs)
        if self.token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        if method == "get":
            extra.pop("data", None)
            extra.pop("content_type", None)
        return getattr(self.client, method)(url, **extra)


def _writes(before: dict) -> list[str]:
    """Models that gained rows (logins and sessions of the walk itself aside)."""
    return sorted(label for label in created_since(before) if label.split(".")[0] not in ("axes", "sessions"))


def _walk_unit_user(caller: Caller, pools: dict, schema: dict, *, api_only: bool = False) -> list[str]:
    failures: list[str] = []
    for ep in endpoints(schema):
        route, method = ep.route, ep.method
        if ep.name in PUBLIC or (api_only and not route.is_api):
            continue
        kwargs = request_kwargs(schema, ep.operation)
        if not route.params:
            r = caller.call(method, url_of(route, {}), kwargs)
            if _denied(r, api=route.is_api):
                continue
            if ep.name not in UNIT_MAY_OPEN:
                failures.append(
                    f"{method.upper()} {ep.name}: {r.status_code}, not refused and not in UNIT_MAY_OPEN"
                )
            elif r.status_code >= 500:
                failures.append(f"{method.upper()} {ep.name}: {r.status_code}")
            elif leaked := [m for m in ALL_MARKERS if m in _text(r)]:
                failures.append(f"{method.upper()} {ep.name}: shows {leaked}")
            continue
        variants = [("灵璧县", fill(route, pools["foreign"]))]
        qxj = fill(route, pools["qxj"])
        if any(s != "fallback" for s in qxj.sources.values()):
            variants.append(("县气象局", qxj))
            if len(route.params) > 1:
                variants.append(("泗县+县气象局", fill(route, pools["qxj"], first_from=pools["own"])))
        if len(route.params) > 1:
            variants.append(("泗县+灵璧县", fill(route, pools["foreign"], first_from=pools["own"])))
        for label, filled in variants:
            url = url_of(route, filled.values)
            r = caller.call(method, url, kwargs)
            if not _denied(r, api=route.is_api):
                failures.append(
                    f"{method.upper()} {url} ({ep.name}, {label}: {filled.sources}): {r.status_code}"
                )
    return failures


def test_it_refuses_a_unit_user_everything_that_is_not_theirs(town1, pools):
    caller = Caller(town1)
    failures = _walk_unit_user(caller, pools, _schema(caller.client))
    assert not failures, "\n".join(failures)


def test_it_refuses_the_same_through_a_bearer_token(town1, pools):
    from sciweek.accounts.services import token_create

    _, raw = token_create(actor=town1, user=town1, name="扫描")
    caller = Caller(town1, token=raw)
    failures = _walk_unit_user(caller, pools, _schema(caller.client), api_only=True)
    assert not failures, "\n".join(failures)


def test_it_sends_anonymous_visitors_to_the_login(pools):
    caller = Caller()
    schema = _schema(caller.client)
    failures = []
    for ep in endpoints(schema):
        if ep.name in PUBLIC:
            continue
        url = url_of(ep.route, fill(ep.route, pools["own"]).values)
        r = caller.call(ep.method, url, request_kwargs(schema, ep.operation))
        if not _denied(r, api=ep.route.is_api) or (
            not ep.route.is_api and r.status_code not in (302, 404, 405)
        ):
            failures.append(f"{ep.method.upper()} {url} ({ep.name}): {r.status_code}")
    assert not failures, "\n".join(failures)


def test_it_refuses_the_co_organizer_every_organizer_only_write(xcb, pools):
    from sciweek.campaigns.models import MainActivity
    from sciweek.orgs.access import acting_units

    def not_led_by_xcb(model, obj, pks):
        if model is MainActivity and obj is not None:
            return (
                MainActivity.objects.filter(pk__in=pks, campaign=obj.campaign)
                .exclude(lead_units__in=acting_units(xcb, obj.campaign.org_unit))
                .order_by("number")
                .first()
            )
        return None

    caller = Caller(xcb)
    schema = _schema(caller.client)
    failures = []
    for ep in endpoints(schema, writes_only=True):
        if ep.name in PUBLIC or ep.name in CO_ORGANIZER_MAY_WRITE:
            continue
        filled = fill(ep.route, pools["own"], prefer=not_led_by_xcb)
        url = url_of(ep.route, filled.values)
        before = model_pks()
        r = caller.call(ep.method, url, request_kwargs(schema, ep.operation))
        wrote = _writes(before)
        if not _denied(r, api=ep.route.is_api) or wrote:
            failures.append(
                f"{ep.method.upper()} {url} ({ep.name}, {filled.sources}): {r.status_code}"
                + (f", wrote {wrote}" if wrote else "")
            )
    assert not failures, "\n".join(failures)


def test_it_walks_every_id_with_a_real_object(pools):
    """The walk is only as good as its ids: a parameter filled with a made-up id proves little."""
    weak = []
    for route in iter_routes():
        if route.name in PUBLIC or route.namespace == "admin":
            continue  # the admin refuses non-staff before it reads an id
        filled = fill(route, pools["foreign"])
        weak += [
            f"{route.name}: {p}"
            for p, s in filled.sources.items()
            if s == "fallback" and f"{route.name}:{p}" not in FALLBACK_OK
        ]
    assert not weak, "no 灵璧县 object for:\n" + "\n".join(weak) + "\n(add one to tests/world.py)"


# Parameters for which no other-county object exists, with why a made-up value is enough.
FALLBACK_OK = {
    "reports:import_preview:token": "import tokens live in the uploader's session (reports/import_store."
    "session_check): someone else's real token is refused like a made-up one",
}


def test_it_keeps_unpublished_things_off_the_public_pages(client, pools):
    """Public URLs with ids, given 灵璧县's draft campaign and draft event, answer 404."""
    from sciweek.campaigns.models import Campaign

    other = pools["other"]
    assert client.get(f"/c/{other.campaign.pk}/").status_code == 200  # published: public by design
    unpublished = dict(pools["foreign"])
    unpublished["campaigns.campaign"] = [other.draft.pk]
    assert not Campaign.objects.get(pk=other.draft.pk).is_public
    failures = []
    schema = _schema(client)
    for ep in endpoints(schema):
        if ep.name not in PUBLIC or not ep.route.params or ep.name in PUBLIC_ANY_OBJECT or ep.method != "get":
            continue
        url = url_of(ep.route, fill(ep.route, unpublished).values)
        r = client.get(url)
        if r.status_code not in (404, 410):
            failures.append(f"GET {url} ({ep.name}): {r.status_code}")
    assert not failures, "\n".join(failures)
