"""Two clicks on 创建活动周 at once (a double click, two organizers) create one campaign, not two."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import QueryDict
from django.test import Client

from sciweek.campaigns.models import Campaign, NoticeImport
from sciweek.notices.importing.review import Review
from sciweek.notices.importing.services import notice_import_apply

from .notice_import_pages import form_data, seed_bytes


def _query(data: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for name, value in data.items():
        q.setlist(name, value if isinstance(value, list) else [value])
    return q


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_creates_one_campaign_when_two_requests_race(demo):
    from django.contrib.auth import get_user_model

    demo.campaign.delete()
    organizer = get_user_model().objects.get(username="sx-kjj")
    client = Client()
    client.force_login(organizer)
    r = client.post("/manage/notices/import/", {"text": seed_bytes().decode(), "close_of_business": "17:30"})
    imp = NoticeImport.objects.get()
    review = Review.for_import(imp, _query(form_data(client.get(r["Location"]).content.decode())))
    assert review.is_valid(), review.errors
    plan = review.plan()

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create() -> None:
        try:
            barrier.wait(timeout=10)
            notice_import_apply(actor=organizer, notice_import=imp, plan=plan)
            outcomes.append("created")
        except ValidationError as exc:
            outcomes.append("；".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["created", "此通知已经创建过活动周，不能重复创建。"]
    assert Campaign.objects.count() == 1
    assert NoticeImport.objects.get().campaign == Campaign.objects.get()
