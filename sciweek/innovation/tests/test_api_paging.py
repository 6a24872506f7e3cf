"""Every innovation list is paged and says so: limit / offset, X-Total-Count, a Link to the next page."""

from __future__ import annotations

import re

import pytest

from sciweek.innovation import services

from .conftest import Api, make_code


@pytest.mark.parametrize("path", ["enterprises", "visits", "demands", "experts", "service-logs"])
def test_a_list_walks_page_by_page_to_every_row(organizer, county, towns, experts, path):
    for n in range(5):
        e = services.enterprise_create(
            actor=organizer, unit=towns[n % 2], name=f"企业{n}", credit_code=make_code(100 + n)
        )
        services.visit_create(actor=organizer, enterprise=e, date="2023-05-22", visitors="陈曦")
        services.demand_create(
            actor=organizer, enterprise=e, title=f"需求{n}", field="crops", description="x"
        )
        services.servicelog_create(actor=organizer, expert=experts["plant"], unit=towns[0], date="2023-05-22",
                                   place_kind="village", place="东风村", kind="onsite", topics=f"指导{n}")  # fmt: skip
    for n in range(2):
        services.expert_create(actor=organizer, region=county, name=f"专家{n}", organization="宿州学院",
                               org_kind="university", discipline="机械工程")  # fmt: skip
    api = Api(organizer)
    total = {"enterprises": 5, "visits": 5, "demands": 5, "experts": 5, "service-logs": 5}[path]
    seen, url, pages = [], f"{path}?limit=2", 0
    while url:
        r = api.get(url)
        assert r.status_code == 200, r.content
        assert r["X-Total-Count"] == str(total)
        seen += [x["id"] for x in r.json()]
        pages += 1
        link = re.match(r'<(/api/v1/[^>]+)>; rel="next"', r.get("Link", ""))
        url = link.group(1).removeprefix("/api/v1/") if link else None
    assert pages == 3 and len(seen) == len(set(seen)) == total  # 2 + 2 + 1, none twice, none lost
    assert api.get(f"{path}?limit=501").status_code == 400  # more than a page is refused, not cut
    assert api.get(f"{path}?offset=-1").status_code == 400
