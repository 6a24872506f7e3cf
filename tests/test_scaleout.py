"""Scale-out, proven on one machine: two gunicorn instances, a Celery worker and beat, one PostgreSQL
database, Redis (cache on database 7, broker on 8) and one media folder (tests/scaleout.py).

Through both instances: log in on one and go on on the other; an upload through one is served by the
other; an export started on one runs on the worker and is downloaded from the other; a membership
revoked on one is refused on the other within a second. Runs in the PostgreSQL pass (`-m scaleout`
selects it alone).
"""

from __future__ import annotations

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

from .scaleout import Cluster

pytestmark = [pytest.mark.postgres_only, pytest.mark.scaleout]
PASSWORD = "Scale-Out-2023-kx"

SETUP = f"""
import json
from django.contrib.auth import get_user_model
from sciweek.accounts.services import token_create
from sciweek.demo.loader import load_demo
from sciweek.orgs.models import Membership
loaded = load_demo(full=False)
User = get_user_model()
for name in ("sx-kjj", "sx-qxj"):
    user = User.objects.get(username=name)
    user.set_password({PASSWORD!r})
    user.save()
qxj = User.objects.get(username="sx-qxj")
membership = Membership.objects.get(user=qxj)
_, raw = token_create(actor=qxj, user=qxj, name="scale-out")
print(json.dumps({{"campaign": loaded.campaign.pk, "membership": membership.pk,
                  "unit": membership.unit_id, "token": raw}}))
"""


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
        c.start(instances=2)
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

        # Every process is still up, the beat included (it schedules the text-message sweep).
        assert all(p.poll() is None for p in c.procs), [
            c.log(n) for n in ("gunicorn-0", "gunicorn-1", "worker", "beat")
        ]
    except Exception:
        print("\n".join(f"--- {n}\n{c.log(n)}" for n in ("gunicorn-0", "gunicorn-1", "worker", "beat")))
        raise
