"""sciweek reminders --campaign ID --at ... [--dry-run] [--json]"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sciweek.core.models import Notification
from sciweek.reminders.models import Occurrence

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("reminders", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_who_would_get_what_without_sending(live, reachable):
    rows = json.loads(run("--campaign", str(live.pk), "--at", "2023-05-29 17:31", "--dry-run", "--json"))
    assert rows
    assert {"unit_id", "unit_name", "requirement_kind", "channel", "due_at"} <= set(rows[0])
    qxj = [r for r in rows if r["unit_name"] == "泗县气象局" and r["requirement_kind"] == "final_report"]
    assert {r["channel"] for r in qxj} == {"inapp", "email", "sms"}
    assert not Occurrence.objects.exists() and not Notification.objects.filter(user__isnull=False).exists()


def test_sending_for_a_moment_twice_sends_once(live, reachable):
    first = json.loads(run("--campaign", str(live.pk), "--at", "2023-05-29 09:00", "--json"))
    assert first["claimed"] > 0 and first["sent"] > 0
    second = json.loads(run("--campaign", str(live.pk), "--at", "2023-05-29 09:00", "--json"))
    assert second["claimed"] == 0 and second["sent"] == 0
    # The dry run now has nothing left for that moment.
    assert (
        json.loads(run("--campaign", str(live.pk), "--at", "2023-05-29 09:00", "--dry-run", "--json")) == []
    )


def test_bad_arguments_say_so_in_chinese(live):
    with pytest.raises(CommandError, match="不是有效时间"):
        run("--campaign", str(live.pk), "--at", "明天早上", "--dry-run")
    with pytest.raises(CommandError, match="没有编号为 999999 的活动周"):
        run("--campaign", "999999", "--dry-run")


def test_a_year_with_a_region_names_the_campaign_and_an_ambiguous_year_lists_the_candidates(live, reachable):
    """The one campaign-identity rule of every command (campaigns/identity.py), here too."""
    from sciweek.campaigns.models import Campaign

    by_year = run("--campaign", str(live.year), "--region", live.org_unit.code, "--at", "2023-05-29 17:31",
                  "--dry-run", "--json")  # fmt: skip
    by_id = run("--campaign", f"id:{live.pk}", "--at", "2023-05-29 17:31", "--dry-run", "--json")
    assert json.loads(by_year) == json.loads(by_id) != []
    Campaign.objects.create(
        org_unit=live.org_unit.get_parent(), year=live.year, title="同年的另一个活动周",
        theme=live.theme, start_date=live.start_date, end_date=live.end_date,
    )  # fmt: skip
    with pytest.raises(CommandError, match=f"--campaign id:{live.pk}") as refused:
        run("--campaign", str(live.year), "--dry-run")
    assert "同年的另一个活动周" in str(refused.value)
