"""Scale-out, proven on one machine: two gunicorn instances, a Celery worker and beat, one PostgreSQL
database, Redis (cache on database 7, broker on 8) and one media folder (tests/scaleout.py).

Through both instances: log in on one and go on on the other; an upload through one is served by the
other; an export started on one runs on the worker and is downloaded from the other; a membership
revoked on one is refused on the other within a second; every scheduler of the cluster (beat and the worker,
plus a scheduler thread in each instance) ticks the same minutes and each reminder goes out once, and two
processes ticking at the same instant send each reminder once, or twice with the claim switched off (the
reminders' race test's switch). Runs in the PostgreSQL pass (`-m scaleout` selects it alone).
"""

from __future__ import annotations

import email
import email.header
import io
import json
import os
import re
import time

import dj_database_url
import psycopg
import pytest
import requests
from openpyxl import load_workbook
from PIL import Image

from .scaleout import CACHE_DB, Cluster

pytestmark = [pytest.mark.postgres_only, pytest.mark.scaleout]
PASSWORD = "Scale-Out-2023-kx"

SETUP = f"""
import datetime as dt
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from sciweek.accounts.models import Profile
from sciweek.campaigns.models import Campaign, Requirement
from sciweek.accounts.services import token_create
from sciweek.demo.loader import load_demo
from sciweek.orgs.models import Membership
from sciweek.reminders.planning import plan
loaded = load_demo(full=False)
User = get_user_model()
for name in ("sx-kjj", "sx-qxj"):
    user = User.objects.get(username=name)
    user.set_password({PASSWORD!r})
    user.save()
qxj = User.objects.get(username="sx-qxj")
membership = Membership.objects.get(user=qxj)
_, raw = token_create(actor=qxj, user=qxj, name="scale-out")
# Reminders: the campaign is live, everybody has an address and a mobile number, and its earliest
# requirement now falls due in 100 minutes, so its two-hours-before reminder is due at every minute of
# the test (the other requirements stay in 2023: the same-instant ticks below replay their week).
Campaign.objects.filter(pk=loaded.campaign.pk).update(status=Campaign.Status.RUNNING)
soon = Requirement.objects.filter(campaign=loaded.campaign).order_by("due_at").first()
Requirement.objects.filter(pk=soon.pk).update(due_at=timezone.now() + dt.timedelta(minutes=100))
soon.applies_to.clear()  # every unit of the campaign: more people to remind
for user in User.objects.all():
    user.email = user.username + "@example.cn"
    user.save(update_fields=["email"])
    Profile.objects.update_or_create(user=user, defaults={{"mobile": "139%08d" % user.pk}})
due = {{p.key[1:] for p in plan(at=timezone.now(), campaign_ids=[loaded.campaign.pk])
        if p.requirement_id == soon.pk}}
print(json.dumps({{"campaign": loaded.campaign.pk, "membership": membership.pk,
                  "unit": membership.unit_id, "token": raw, "soon": soon.pk, "due": sorted(due)}}))
"""

# Two of these run at once, each a process of its own like two instances' schedulers: they plan the
# same moment of the demo's week, meet (a Redis counter) between planning and sending, and send.
# First with the claim (the occurrence's unique key inserted before sending), then with it switched off
# (sending.tick(use_claim=False), the switch of sciweek/reminders/tests/test_race.py) at a later slot.
TICKS = """
import datetime as dt, json, sys, time
import redis
from django.db.models import Max
from django.utils import timezone
from sciweek.core.models import Notification
from sciweek.reminders import planning, sending

r = redis.Redis.from_url(sys.argv[1])
campaign, tickers = int(sys.argv[2]), int(sys.argv[3])
deadline = time.monotonic() + 600
while not r.get("ticks:go"):  # started early, so that Django's start overlaps the other steps
    if time.monotonic() > deadline:
        raise SystemExit("never told to go")
    time.sleep(0.05)

def meet(name):
    r.incr(name)
    deadline = time.monotonic() + 60
    while int(r.get(name)) < tickers:
        if time.monotonic() > deadline:
            raise SystemExit("nobody else reached " + name)
        time.sleep(0.005)

out = {}
for name, text, claim in (("claim", "2023-05-29 17:31", True), ("naive", "2023-05-30 15:31", False)):
    at = timezone.make_aware(dt.datetime.strptime(text, "%Y-%m-%d %H:%M"))
    out[name + "_keys"] = sorted({p.key for p in planning.plan(at=at, campaign_ids=[campaign])})
    meet("ticks:" + name + ":ready")  # the other process finished the round before
    out[name + "_from"] = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    sending.after_plan = lambda name=name: meet("ticks:" + name + ":planned")
    out[name] = sending.tick(at=at, campaign_ids=[campaign], use_claim=claim).as_dict()
print(json.dumps(out))
"""


def _query(c: Cluster, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(c.database_url) as conn:
        return conn.execute(sql, params).fetchall()


def _mails(c: Cluster) -> list[tuple[str, str]]:
    """(to, subject) of every e-mail the cluster wrote (file backend, in the shared var folder)."""
    out = []
    for path in sorted((c.workdir / "var" / "mail").glob("*")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                msg = email.message_from_bytes(chunk)
                out.append(
                    (msg["To"], str(email.header.make_header(email.header.decode_header(msg["Subject"]))))
                )
    return out


def _admin(sql: str) -> None:
    """On the server's maintenance database (the cluster's database is not the test database)."""
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    dsn = (
        f"host={base['HOST'] or '127.0.0.1'} port={base['PORT'] or 5432} user={base['USER']} dbname=postgres"
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def cluster(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the cluster shares one PostgreSQL database (PostgreSQL pass)")
    base = dj_database_url.parse(url)
    name = f"{base['NAME']}_scaleout"[:60]
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    c = Cluster(database_url=url.rsplit("/", 1)[0] + "/" + name, workdir=tmp_path)
    try:
        c.run("migrate", "--noinput", "-v0")
        c.facts = json.loads(c.python(SETUP).strip().splitlines()[-1])
        c.start(instances=2, scheduler_threads=True)
        c.started = time.time()
        yield c
    finally:
        c.stop()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _login(c: Cluster, n: int, username: str) -> requests.Session:
    s = requests.Session()
    s.get(c.url(n, "/accounts/login/"), timeout=120)
    r = s.post(
        c.url(n, "/accounts/login/"),
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": s.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=120,
    )
    assert r.status_code == 302, r.text[:500]
    return s


def _post(s: requests.Session, url: str, data: dict) -> requests.Response:
    return s.post(
        url, data={**data, "csrfmiddlewaretoken": s.cookies["csrftoken"]}, allow_redirects=False, timeout=120
    )


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), "orange").save(buf, "JPEG")
    return buf.getvalue()


def test_two_instances_a_worker_and_beat_serve_as_one(cluster):
    c, facts = cluster, cluster.facts
    # The two same-instant schedulers of step 5a start now and wait for a word (Django's start is slow).
    tickers = [
        c.spawn_python(TICKS, f"redis://{c.redis_host}/{CACHE_DB}", str(facts["campaign"]), "2")
        for _ in range(2)
    ]
    try:
        # 1. Log in on A, go on on B with the same cookie.
        org = _login(c, 0, "sx-kjj")
        r = org.get(c.url(1, "/home/"), timeout=120)
        assert r.status_code == 200 and "/accounts/login/" not in r.url, r.url

        # 2. An upload through A is served by B (shared media folder).
        api = {"Authorization": f"Bearer {facts['token']}"}
        mine = requests.get(
            c.url(0, f"/api/v1/reports/campaigns/{facts['campaign']}/mine"), headers=api, timeout=120
        )
        assert mine.status_code == 200, mine.text
        report_id = mine.json()["id"]
        photo = _jpeg()
        up = requests.post(
            c.url(0, f"/api/v1/reports/{report_id}/attachments?kind=photo"),
            headers=api,
            files={"file": ("现场.jpg", photo, "image/jpeg")},
            timeout=120,
        )
        assert up.status_code == 201, up.text
        served = requests.get(c.url(1, up.json()["download_url"]), headers=api, timeout=120)
        assert served.status_code == 200 and served.content == photo

        # 3. An export started on A runs on the worker and is downloaded from B.
        r = _post(
            org,
            c.url(0, f"/reports/{facts['campaign']}/exchange/export/"),
            {"kind": "workbook", "scope": "all"},
        )
        assert r.status_code == 302, r.text[:300]
        job_id = int(re.search(r"/jobs/(\d+)/", r.headers["Location"])[1])
        deadline = time.time() + 90
        while time.time() < deadline:
            page = org.get(c.url(1, f"/jobs/{job_id}/"), timeout=120).text
            if f"/jobs/{job_id}/download/" in page:
                break
            assert "任务失败" not in page, page[:1000]
            time.sleep(0.5)
        else:
            pytest.fail("the export never finished; worker log:\n" + c.log("worker"))
        download = org.get(c.url(1, f"/jobs/{job_id}/download/"), timeout=120)
        assert download.status_code == 200
        wb = load_workbook(io.BytesIO(download.content))
        assert wb.sheetnames[:2] == ["汇总", "分单位明细"]

        # 4. A membership revoked on A is refused on B within a second.
        assert (
            requests.get(c.url(1, f"/api/v1/reports/{report_id}"), headers=api, timeout=120).status_code
            == 200
        )
        r = _post(
            org, c.url(0, f"/manage/units/{facts['unit']}/memberships/{facts['membership']}/revoke/"), {}
        )
        assert r.status_code == 302, r.text[:300]
        revoked_at = time.monotonic()
        while True:
            status = requests.get(
                c.url(1, f"/api/v1/reports/{report_id}"), headers=api, timeout=120
            ).status_code
            if status == 404:
                break
            assert time.monotonic() - revoked_at < 1.0, "instance B still served the revoked unit reporter"
            time.sleep(0.05)

        # 5a. Two schedulers tick at the same instant: each reminder once; with the claim off, twice.
        keys_sql = (
            "select requirement_id, unit_id, user_id, channel, slot from reminders_occurrence"
            " where requirement_id <> %s"
        )
        notes_sql = (
            "select user_id, title, body, count(*) from core_notification"
            " where id > %s and id <= %s and user_id is not null group by 1, 2, 3"
        )
        c.redis().set("ticks:go", 1)
        outs = []
        for p in tickers:
            stdout, stderr = p.communicate(timeout=180)
            assert p.returncode == 0, stderr[-3000:]
            outs.append(json.loads(stdout.strip().splitlines()[-1]))
        claim_keys = {tuple(k) for k in outs[0]["claim_keys"]}
        naive_keys = {tuple(k) for k in outs[0]["naive_keys"]} - claim_keys
        assert claim_keys and naive_keys and outs[1]["claim_keys"] == outs[0]["claim_keys"]
        stored = [tuple(k) for k in _query(c, keys_sql, (facts["soon"],))]
        assert set(stored) == claim_keys | naive_keys  # none missing, none extra
        # With the claim, one of the two sent each reminder: claimed once between them, one in-app each.
        assert sum(o["claim"]["claimed"] for o in outs) == len(claim_keys)
        lo, hi = max(o["claim_from"] for o in outs), max(o["naive_from"] for o in outs)
        notes = _query(c, notes_sql, (lo, hi))
        assert notes and {n[3] for n in notes} == {1}, [n for n in notes if n[3] > 1]
        assert len(notes) == sum(1 for k in claim_keys if k[3] == "inapp")
        # The same check catches the race: with the claim off both processes send the new slot.
        naive = _query(c, notes_sql, (hi, 2**62))
        assert max(n[3] for n in naive) == 2, "without the claim the two ticks should both have sent"

        # 5b. The cluster's own schedulers (beat with the worker, a thread in each instance) tick the same
        # minutes over the requirement due in 100 minutes: wait for a minute both threads ticked at once.
        minute = (c.started // 60 + 1) * 60 + 1
        while time.time() < max(minute, c.started + 60) + 8:  # beat's first tick: a minute after it starts
            time.sleep(0.5)
        lock = _query(c, "select holder, last_tick from reminders_schedulerlock where name = 'reminders'")
        assert lock and lock[0][1].timestamp() >= minute, lock
        soon = _query(
            c,
            "select unit_id, user_id, channel, slot, status, attempts, send_after, subject"
            " from reminders_occurrence where requirement_id = %s",
            (facts["soon"],),
        )
        # What was due when the cluster started went out, nothing missing, nothing extra (the unit
        # reporter revoked at step 4 is no longer planned, but was reminded before).
        assert facts["due"] and sorted([list(r[:4]) for r in soon]) == facts["due"]
        now = time.time()
        for _, _, channel, _, status, attempts, send_after, _ in soon:
            if channel != "inapp" and send_after.timestamp() <= now - 120:
                assert (status, attempts) == ("sent", 1), soon
            assert attempts <= 1, soon  # an e-mail or text is tried once, by one process
        title = soon[0][7]
        inapp = _query(
            c,
            "select user_id, count(*) from core_notification where title = %s group by 1",
            (title,),
        )
        assert {n[1] for n in inapp} == {1}
        assert sorted(n[0] for n in inapp) == sorted(r[1] for r in soon if r[2] == "inapp")
        sent_mail = [m for m in _mails(c) if m[1] == title]
        assert sent_mail and len(sent_mail) == len(set(sent_mail))
        assert len(sent_mail) == sum(1 for r in soon if r[2] == "email" and r[4] == "sent")

        # Every process is still up, the beat included (it schedules the text-message sweep).
        assert all(p.poll() is None for p in c.procs), [
            c.log(n) for n in ("gunicorn-0", "gunicorn-1", "worker", "beat")
        ]
    except Exception:
        for p in tickers:
            if p.poll() is None:
                p.kill()
        print("\n".join(f"--- {n}\n{c.log(n)}" for n in ("gunicorn-0", "gunicorn-1", "worker", "beat")))
        raise
