"""No lost update: real parallel clients (threads, each with its own PostgreSQL connection) save the same
report at the same moment from the same loaded version.

Run on PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/sciweek_rep1 pytest -m postgres_only …
The variant with ``VERSION_CHECK`` switched off is marked xfail(strict=True): it must fail, which shows
that the test catches the race when the protection is gone.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from sciweek.reports.models import FormDefinition, Report, ReportValueChange
from sciweek.reports.services import entry

from .report_files import open_mine, report_of

WRITERS = 8


def _in_parallel(work, count: int) -> list[str]:
    """Run work(i) in ``count`` threads released together; each thread closes its own connection."""
    barrier = threading.Barrier(count)
    results: list[str] = [""] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            results[i] = work(i, barrier)
        except BaseException as exc:  # surfaced below, with the thread's traceback
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("real row locks and parallel connections: PostgreSQL only")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "version_check",
    [
        True,
        pytest.param(
            False, marks=pytest.mark.xfail(strict=True, reason="without the version check updates are lost")
        ),
    ],
)
def test_it_loses_no_update_when_colleagues_save_at_once(
    needs_postgres, version_check, monkeypatch, demo, qxj, unit
):
    monkeypatch.setattr(entry, "VERSION_CHECK", version_check)
    c = Client()
    c.force_login(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    loaded = report.version  # everyone opened the page at this version

    def save(i: int, barrier: threading.Barrier) -> str:
        client = Client()
        client.force_login(qxj)
        barrier.wait()
        response = client.post(
            f"/reports/{report.pk}/cell/events_held/",
            {"v_events_held": str(100 + i), "version": str(loaded)},
            HTTP_HX_REQUEST="true",
        )
        return response.content.decode()

    bodies = _in_parallel(save, WRITERS)
    saved = [i for i, body in enumerate(bodies) if 'data-kind="saved"' in body]
    refused = [i for i, body in enumerate(bodies) if 'data-kind="stale"' in body]

    # Each writer was told the truth: one saved, everyone else refused and told which row changed.
    assert len(saved) == 1, f"{len(saved)} writers were told 已保存 from the same version: updates lost"
    assert len(refused) == WRITERS - 1
    assert all("变化的指标：「举办活动次数」" in bodies[i] for i in refused)
    report.refresh_from_db()
    assert report.version == loaded + 1
    assert report.values.get(row_code="events_held").value == 100 + saved[0]
    assert ReportValueChange.objects.filter(report=report).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_lets_one_of_two_simultaneous_submit_and_edit_win(needs_postgres, demo, qxj, unit):
    """A colleague's last edit and the submit race: either the edit lands before the submit (and is in the
    submitted revision) or it is refused — never an edit that slips in after the revision was taken."""
    from .report_files import complete, deadline_in

    deadline_in(demo.campaign, days=1)
    c = Client()
    c.force_login(qxj)
    open_mine(c, demo.campaign)
    report = report_of(demo.campaign, unit("县气象局"))
    complete(c, report)
    report.refresh_from_db()
    loaded = report.version

    def work(i: int, barrier: threading.Barrier) -> str:
        client = Client()
        client.force_login(qxj)
        barrier.wait()
        if i == 0:
            return client.post(
                f"/reports/{report.pk}/submit/", {"version": loaded}, follow=True
            ).content.decode()
        return client.post(
            f"/reports/{report.pk}/cell/events_held/",
            {"v_events_held": "77", "version": loaded},
            HTTP_HX_REQUEST="true",
        ).content.decode()

    submit_body, edit_body = _in_parallel(work, 2)
    report.refresh_from_db()
    submitted = report.status == Report.Status.SUBMITTED
    edited = 'data-kind="saved"' in edit_body
    assert submitted != edited  # exactly one of them won
    if submitted:
        assert report.values.get(row_code="events_held").value == 12
        assert report.revisions.get().values["events_held"]["v"] == "12"
        assert "统计表已被其他人修改" in edit_body
    else:
        assert report.values.get(row_code="events_held").value == 77
        assert "统计表已被其他人修改" in submit_body


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_keeps_two_organizers_from_overwriting_each_others_form_edits(needs_postgres, demo, organizer):
    form = FormDefinition.objects.get(campaign=demo.campaign, is_current=True)

    def add(i: int, barrier: threading.Barrier) -> str:
        client = Client()
        client.force_login(organizer)
        barrier.wait()
        return client.post(
            f"/reports/{demo.campaign.pk}/form/rows/new/",
            {
                "revision": form.revision,
                "label": f"新增指标{i}",
                "value_type": "int",
                "decimals": "0",
                "required": "on",
            },
            follow=True,
        ).content.decode()

    bodies = _in_parallel(add, 4)
    assert sum("已保存" in b for b in bodies) == 1
    assert sum("统计表格式已被其他人修改" in b for b in bodies) == 3
    assert FormDefinition.objects.get(pk=form.pk).rows.count() == 17


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_units_saving_at_once_do_not_wait_for_each_other(needs_postgres, demo, unit):
    """The save locks its own report row only, not the campaign, region or form it reads with it:
    with those locked too, every unit of a county queued behind one another at the deadline."""
    from django.db import transaction

    a, b = (
        Report.objects.create(
            campaign=demo.campaign, unit=unit(name), form=demo.campaign.forms.get(is_current=True)
        )
        for name in ("县气象局", "县科协")
    )
    holding, done = threading.Event(), threading.Event()

    def first(i, barrier):
        with transaction.atomic():
            entry.lock_report(Report.objects.get(pk=a.pk), a.version)
            holding.set()
            done.wait(10)  # keep the lock until the other unit has saved
        return "held"

    def second(i, barrier):
        holding.wait(10)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                entry.lock_report(Report.objects.get(pk=b.pk), b.version)
            return "saved"
        finally:
            done.set()

    results = _in_parallel(lambda i, barrier: (first, second)[i](i, barrier), 2)
    assert results == ["held", "saved"]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_of_many_simultaneous_submissions_with_values_wins_whole(needs_postgres, demo, qxj, unit):
    """Colleagues each send their own final figures with the submission, from the same version: one
    submission lands with all of its values, every other is refused with nothing of it stored."""
    from decimal import Decimal

    from sciweek.accounts.services import token_create

    from .report_files import VALID, deadline_in, docx_bytes, pdf_bytes, upload

    deadline_in(demo.campaign, days=1)
    _, raw = token_create(actor=qxj, user=qxj, name="并发")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    report = api.get(f"/api/v1/reports/campaigns/{demo.campaign.pk}/mine").json()
    for kind, name, data in (("summary", "总结.docx", docx_bytes()), ("stamped", "盖章.pdf", pdf_bytes())):
        r = api.post(f"/api/v1/reports/{report['id']}/attachments?kind={kind}", {"file": upload(name, data)})
        assert r.status_code == 201
    loaded = report["version"]

    def submit(i: int, barrier: threading.Barrier) -> str:
        values = {code: {"value": value} for code, value in VALID.items()} | {
            "events_held": {"value": 200 + i}
        }
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        barrier.wait()
        r = client.post(
            f"/api/v1/reports/{report['id']}/submit",
            {"version": loaded, "values": values},
            content_type="application/json",
        )
        return str(r.status_code)

    statuses = _in_parallel(submit, WRITERS)
    assert sorted(statuses) == ["200"] + ["409"] * (WRITERS - 1)
    winner = statuses.index("200")
    stored = Report.objects.get(pk=report["id"])
    assert stored.status == Report.Status.SUBMITTED and stored.version == loaded + 2
    assert stored.values.get(row_code="events_held").value == Decimal(200 + winner)
    assert stored.revisions.get().values["events_held"]["v"] == str(200 + winner)
    assert ReportValueChange.objects.filter(report=stored, row_code="events_held").count() == 1
