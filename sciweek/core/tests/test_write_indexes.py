"""The tables a report submission writes to carry only the indexes some query reads (every index is
one more entry per insert, and an indexed column that changes makes an update add an entry to every
index). What each index is kept for is written in the models' Meta; a change here changes that list.
The audit list's filters must still be served by an index on PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Q

from sciweek.core.models import AuditEvent

# Every index but the primary key: (columns, unique).
EXPECTED = {
    "core_auditevent": [(("action",), False), (("at", "id"), False), (("unit_path",), False)],
    "core_notification": [(("unit_id",), False), (("user_id",), False)],
    "reports_report": [(("campaign_id", "unit_id"), True), (("form_id",), False), (("unit_id",), False)],
    "reports_reportvalue": [(("report_id", "row_code"), True)],
    "reports_reportvaluechange": [(("report_id", "version"), False)],
    "reports_reportrevision": [(("report_id", "number"), True)],
}


def _indexes(table: str) -> list[tuple[tuple[str, ...], bool]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        (tuple(c["columns"]), bool(c["unique"]))
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(EXPECTED))
def test_the_written_tables_have_only_the_indexes_a_query_reads(table):
    assert _indexes(table) == EXPECTED[table]


def _plan(qs) -> str:
    # An empty test table is read fastest from the heap: forbid that, so the plan shows what an index can do.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return qs.explain()


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "qs", "condition"),
    [
        # the organizer's scope (their subtree) and the action filter of orgs/views/workbench.py audit_list
        (
            "scope",
            AuditEvent.objects.filter(Q(unit_path__startswith="0001")).order_by(),
            "(unit_path)::text ~>=~",
        ),
        (
            "action prefix",
            AuditEvent.objects.filter(action__startswith="report.").order_by(),
            "(action)::text ~>=~",
        ),
        ("action", AuditEvent.objects.filter(action="report.submit").order_by(), "(action)::text = "),
    ],
)
def test_the_audit_lists_filters_are_read_through_an_index(what, qs, condition):
    plan = _plan(qs)
    index_conditions = [line for line in plan.splitlines() if "Index Cond:" in line]
    assert any(condition in line for line in index_conditions), plan


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_audit_lists_newest_page_is_read_in_index_order():
    plan = _plan(AuditEvent.objects.all()[:50])
    assert "Index Scan Backward" in plan and "Sort" not in plan, plan
