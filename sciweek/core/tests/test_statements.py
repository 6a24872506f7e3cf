"""core/statements.py: the hand-built statements of the busy paths behave as the ORM would."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from sciweek.core.statements import insert_many, insert_numbered, lock_row, update_row
from sciweek.reports.models import Report, ReportRevision, ReportValue

pytestmark = pytest.mark.django_db


def new_report(campaign, unit) -> Report:
    Report.objects.filter(campaign=campaign, unit=unit).delete()
    return Report.objects.create(campaign=campaign, unit=unit, form=campaign.forms.get(is_current=True))


@pytest.fixture
def report(demo, unit):
    return new_report(demo.campaign, unit("县气象局"))


def test_lock_row_reads_every_field_as_the_orm_does(report):
    Report.objects.filter(pk=report.pk).update(
        submitted_at=dt.datetime(2023, 5, 30, 9, 30, tzinfo=dt.UTC), is_late=True, totals="x|1"
    )
    with transaction.atomic():
        locked = lock_row(Report, report.pk)
    orm = Report.objects.get(pk=report.pk)
    assert locked is not None and not locked._state.adding
    for field in Report._meta.concrete_fields:
        assert getattr(locked, field.attname) == getattr(orm, field.attname), field.name
    assert lock_row(Report, 10**9) is None


def test_insert_many_inserts_and_updates_what_a_unique_constraint_holds(report):
    first = insert_many(
        [
            ReportValue(report=report, row_code="events_held", value=Decimal("3")),
            ReportValue(report=report, row_code="fund_fiscal", value=None, not_applicable=True),
        ]
    )
    assert all(v.pk for v in first)
    again = insert_many(
        [
            ReportValue(report=report, row_code="events_held", value=Decimal("7"), override_note="说明"),
            ReportValue(report=report, row_code="media_reports", value=Decimal("2")),
        ],
        conflict=("report", "row_code"),
        update=("value", "not_applicable", "override_note"),
    )
    stored = {v.row_code: (v.value, v.not_applicable, v.override_note) for v in report.values.all()}
    assert stored == {
        "events_held": (Decimal("7"), False, "说明"),
        "fund_fiscal": (None, True, ""),
        "media_reports": (Decimal("2"), False, ""),
    }
    assert again[0].pk == first[0].pk  # the row that was there, updated in place
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many([ReportValue(report=report, row_code="events_held", value=Decimal("1"))])


def test_insert_numbered_counts_up_within_its_group(report, demo, unit):
    other = new_report(demo.campaign, unit("县科协"))

    def revision(of):
        return insert_numbered(
            ReportRevision(report=of, action="submit", status="submitted", values={}),
            number="number",
            within="report",
        )

    numbers = [
        revision(report).number,
        revision(report).number,
        revision(other).number,
        revision(report).number,
    ]
    assert numbers == [1, 2, 1, 3]
    assert list(report.revisions.values_list("number", flat=True)) == [1, 2, 3]


def test_update_row_writes_only_the_named_fields_and_stamps_auto_now(report):
    before = Report.objects.get(pk=report.pk).updated_at
    report.version, report.totals, report.return_reason = 9, "x|2", "not written"
    update_row(report, ["version", "totals", "updated_at"])
    stored = Report.objects.get(pk=report.pk)
    assert (stored.version, stored.totals, stored.return_reason) == (9, "x|2", "")
    assert stored.updated_at > before and stored.updated_at == report.updated_at
