"""The migration that added Report.totals fills it for the reports that already had values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sciweek.reports.models import Report
from sciweek.reports.totals import totals_of_report

from .stats_data import put_report

BEFORE = [("reports", "0003_formdefinition_required_attachments_and_more")]
AFTER = [("reports", "0004_report_totals")]


@pytest.mark.django_db(transaction=True)
def test_existing_reports_get_their_totals_text(demo, unit):
    report = put_report(demo.campaign, unit("县气象局"), {"events_held": 4, "fund_fiscal": "2.25"})
    empty = put_report(demo.campaign, unit("县科协"), {})
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)  # the graph as it is after going back
    executor.migrate(AFTER)
    report.refresh_from_db()
    empty.refresh_from_db()
    assert report.totals == totals_of_report(report) and "2.25" in report.totals
    assert empty.totals == ""
    assert Report.objects.count() == 2
