"""A school enters works during the contest's 报名 stage only (2023-04-10 … 04-29 in the demo), by the
clock: afterwards the form was still offered and took new works in the middle of 终评 or after 公布,
which no 资格审查 or judge would ever see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sciweek.core import clock

pytestmark = pytest.mark.django_db


def _at(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def _post(c, contest):
    cat = contest.categories.get(code="painting")
    return c.post(
        f"/contests/{contest.pk}/entries/new/",
        {"category": cat.pk, "title": "未来的城市", "s0_name": "小明", "s0_grade": "三年级", "s0_stage": "primary",
         "s0_age": "9"},
    )  # fmt: skip


def test_a_school_enters_during_signup_and_is_told_when_it_is_over(
    settings, contest, school_user, client_for
):
    settings.DEMO_MODE = True
    c = client_for(school_user)
    with clock.demo_at(_at(2023, 4, 20, 10)):
        page = c.get(f"/contests/{contest.pk}/entries/").content.decode()
        assert f'href="/contests/{contest.pk}/entries/new/"' in page
        assert c.get(f"/contests/{contest.pk}/entries/new/").status_code == 200
        r = _post(c, contest)
        assert (
            r.status_code == 400 and "请" in r.content.decode()
        )  # the form's own checks (files), not a refusal
    with clock.demo_at(_at(2023, 5, 20, 9)):  # 终评
        page = c.get(f"/contests/{contest.pk}/entries/").content.decode()
        assert "/entries/new/" not in page and "报名已于2023年4月29日截止，不能再报名新作品。" in page
        r = c.get(f"/contests/{contest.pk}/entries/new/", follow=True)
        assert "报名已于2023年4月29日截止" in r.content.decode()
        r = _post(c, contest)
        assert r.status_code == 302 and r["Location"] == f"/contests/{contest.pk}/entries/"
        assert not contest.entries.filter(title="未来的城市").exists()
    with clock.demo_at(_at(2023, 4, 1, 9)):
        assert "报名将于2023年4月10日开始。" in c.get(f"/contests/{contest.pk}/entries/").content.decode()
    clock.forget()
