"""Import of 500 filled-in statistics tables (xlsx) in one upload, through the pages, end to end.

A county with 500 participating units; each unit's table is a real xlsx in the official layout with
every row filled. Timed: the upload (stored, typed by content), the preview job (read every file,
match every unit), the preview page (500 sheets, every change current → new), the commit job (one
transaction: values, revisions, audit). Baseline in the same run: reports.excel.read_stat_files over
the same 500 files and nothing else. Target (issue): the whole import < 60 s.

    .venv/bin/python bench/bench_import.py [--postgres URL] [--files 500]
"""

from __future__ import annotations

import io
import re
import time

from synthetic import setup

args = setup(__doc__, extra=lambda p: p.add_argument("--files", type=int, default=500))

import random  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402

from sciweek.orgs.models import Membership, OrgUnit, Role, UnitKind  # noqa: E402
from sciweek.reports.excel import export_unit_workbook, read_stat_files  # noqa: E402
from sciweek.reports.formspec import SIXIAN_2023_FORM  # noqa: E402
from sciweek.reports.models import Report, ReportValue  # noqa: E402
from sciweek.reports.tests.stats_data import campaign_for  # noqa: E402

TARGET_SECONDS = 60.0
settings.SCIWEEK_JOBS_SYNC = True  # the jobs run inside the request, so the clock sees all of them
settings.SCIWEEK_MAX_UPLOAD_MB = 500

county = OrgUnit.objects.filter(code="IMP-K").first()
if county is None:
    county = OrgUnit.add_root(name="导入测试县", code="IMP-K", kind=UnitKind.COUNTY)
    for i in range(args.files):
        OrgUnit.objects.get(pk=county.pk).add_child(
            name=f"导入测试单位{i + 1:03d}", code=f"IMP-{i + 1:03d}", kind=UnitKind.DEPARTMENT
        )
campaign = county.campaigns.filter(year=2023).first() or campaign_for(county, 2023)
Report.objects.filter(campaign=campaign).delete()
user = get_user_model().objects.filter(
    username="bench-import"
).first() or get_user_model().objects.create_user(username="bench-import", password="bench-Pass-1234")
Membership.objects.get_or_create(user=user, unit=county, role=Role.ORGANIZER)

rnd = random.Random(500)
files: list[tuple[str, bytes]] = []
for unit in campaign.participating_units()[: args.files]:
    values = {
        r.code: (rnd.randint(0, 50) if r.value_type == "int" else f"{rnd.randint(0, 999) / 100}")
        for r in SIXIAN_2023_FORM.rows
    }
    buf = io.BytesIO()
    export_unit_workbook(
        SIXIAN_2023_FORM, unit_name=unit.name, values=values, campaign_title=campaign.title, path_or_file=buf
    )
    files.append((f"{unit.name}.xlsx", buf.getvalue()))
size_mb = sum(len(d) for _, d in files) / 1024 / 1024

t0 = time.perf_counter()
for name, data in files:
    read_stat_files([(name, data)], SIXIAN_2023_FORM)
baseline = time.perf_counter() - t0

c = Client()
c.force_login(user)
parts: list[tuple[str, float]] = []
t0 = time.perf_counter()
r = c.post(f"/reports/{campaign.pk}/import/", {"files": [SimpleUploadedFile(n, d) for n, d in files]})
parts.append(("upload + preview job", time.perf_counter() - t0))
t1 = time.perf_counter()
r = c.get(r["Location"], follow=True)
preview = r.content.decode()
token = re.search(r"/import/([A-Za-z0-9_-]+)/$", r.request["PATH_INFO"])[1]
parts.append(("preview page", time.perf_counter() - t1))
assert "没有阻止导入的问题" in preview, re.findall(r"<li>([^<]*)</li>", preview)[:5]
t1 = time.perf_counter()
fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview)[1]
r = c.post(
    f"/reports/{campaign.pk}/import/{token}/", {"action": "commit", "fingerprint": fingerprint}, follow=True
)
parts.append(("commit job", time.perf_counter() - t1))
total = time.perf_counter() - t0
assert f"已导入 {len(files)} 个单位的统计表" in r.content.decode(), r.content.decode()[:2000]
assert ReportValue.objects.filter(report__campaign=campaign).count() == len(files) * len(
    SIXIAN_2023_FORM.rows
)

print(f"bench_import ({args.db}): {len(files)} xlsx files, {size_mb:.1f} MB, one upload")
for name, seconds in parts:
    print(f"  {name:<22} {seconds:6.1f} s")
print(
    f"  {'total':<22} {total:6.1f} s  = {total / baseline:4.1f}× bare read_stat_files ({baseline:.1f} s)  "
    f"target < {TARGET_SECONDS:.0f} s {'OK' if total < TARGET_SECONDS else 'OVER'}"
)
