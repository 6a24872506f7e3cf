"""Public home page and a unit's page with the demo data, against a bare Django view (target ≤ 5×).

Each is requested through the Django test client (full middleware stack) and timed; the bare view
returns a static string through the same stack, so the ratio is what our page adds.
Usage: .venv/bin/python bench/bench_pages.py [--postgres URL] [--repeat N]
"""

from __future__ import annotations

from _django import median_ms, setup

args = setup(__doc__)

from django.contrib.auth import get_user_model  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

from sciweek.demo.loader import demo_exists, load_demo  # noqa: E402


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare), path("", include("sciweek.urls"))]

if not demo_exists():
    load_demo(full=False)
TARGET = 5.0
with override_settings(ROOT_URLCONF=__name__):
    anon = Client()
    unit_client = Client()
    unit_client.force_login(get_user_model().objects.get(username="sx-qxj"))
    assert anon.get("/").status_code == 200 and unit_client.get("/my/").status_code == 200
    base = median_ms(lambda: anon.get("/__bare__/"), args.repeat)
    # A logged-in request pays for loading its session and user before any view runs; the fair
    # baseline for the unit page is the bare view requested by the same logged-in client.
    base_logged_in = median_ms(lambda: unit_client.get("/__bare__/"), args.repeat)
    rows = [
        ("public home /", median_ms(lambda: anon.get("/"), args.repeat), base),
        (
            "unit page /my/ (县气象局)",
            median_ms(lambda: unit_client.get("/my/"), args.repeat),
            base_logged_in,
        ),
    ]
db = "PostgreSQL" if args.postgres else "SQLite"
print(
    f"bench_pages ({db}, median of {args.repeat}): bare view {base:.2f} ms anonymous, "
    f"{base_logged_in:.2f} ms logged in"
)
for name, ms, baseline in rows:
    ratio = ms / baseline
    print(
        f"  {name:<28} {ms:7.2f} ms  = {ratio:4.1f}× bare  (target ≤ {TARGET:.0f}×) {'OK' if ratio <= TARGET else 'OVER'}"
    )
