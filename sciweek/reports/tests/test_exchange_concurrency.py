"""An import commit racing a unit's own save on PostgreSQL: the unit's figure is never silently lost.

The unit saves through the real entry service and holds its transaction open for a moment; the
organizer's commit of a preview made before that save runs meanwhile. With the report rows locked
before the plan is re-checked (import_commit.LOCK_REPORTS), the commit waits, sees the new version and
refuses. Switch the lock off and the same test fails: the import overwrites the unit's 99 with the
file's 8 and reports success.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from sciweek.reports import import_commit as commit_module
from sciweek.reports.importing import import_plan, import_read
from sciweek.reports.models import Report, ReportValue
from sciweek.reports.services.entry import CellInput, current_form, form_rows, report_save_values

from .stats_data import put_report
from .test_exchange_bad_files import reformatted_table

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_it_keeps_a_unit_save_that_races_the_import(demo, organizer, qxj, unit):
    campaign = demo.campaign
    report = put_report(campaign, unit("县气象局"), {"events_held": 3}, status="returned")
    form = current_form(campaign)
    files = import_read(
        campaign=campaign,
        spec=form.to_spec(),
        rows=form_rows(form),
        files=[("表.xlsx", reformatted_table("单位（盖章）：县气象局", events=8))],
    )
    fingerprint = import_plan(
        campaign=campaign, rows=form_rows(form), files=files, overwrite_approved=False
    ).fingerprint
    saved = threading.Event()

    def unit_saves() -> None:
        close_old_connections()
        try:
            with transaction.atomic():
                report_save_values(
                    report=Report.objects.get(pk=report.pk),
                    actor=qxj,
                    version=1,
                    cells={"events_held": CellInput(raw="99")},
                )
                saved.set()
                time.sleep(1.5)  # still typing: the transaction (and its row locks) stays open
        finally:
            connection.close()

    worker = threading.Thread(target=unit_saves)
    worker.start()
    assert saved.wait(10)
    outcome: Exception | None = None
    try:
        commit_module.import_commit(
            campaign=campaign, actor=organizer, files=files, overwrite_approved=False, fingerprint=fingerprint
        )
    except ValidationError as exc:
        outcome = exc
    worker.join()

    assert ReportValue.objects.get(report=report, row_code="events_held").value == 99
    assert outcome is not None and "预览之后，有单位的统计表又被修改或审核过" in " ".join(outcome.messages)
    assert Report.objects.get(pk=report.pk).version == 2
