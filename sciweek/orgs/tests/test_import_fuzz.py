"""Whatever is typed into the template's cells, the importer answers with a plan, never an exception,
and every problem it reports names a row and a column of the sheet."""

from __future__ import annotations

import io
import re

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.orgs.import_planner import plan_import
from sciweek.orgs.importspec import COLUMNS
from sciweek.orgs.models import OrgUnit

LABELS = [c.label for c in COLUMNS]
cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.sampled_from(
        ["泗县", "县气象局", "镇（街道）", "县直单位", "学会", "13955700001", "13800", "泗县新镇"]
    ),
    st.integers(min_value=-10, max_value=19999999999),
    st.floats(allow_nan=True, allow_infinity=True),
)
rows = st.lists(st.fixed_dictionaries({label: cell for label in LABELS}), min_size=1, max_size=8)


def _xlsx(data: list[dict[str, object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "单位名单"
    ws.append(LABELS)
    for row in data:
        ws.append([row[label] for label in LABELS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=rows)
def test_any_cells_give_a_plan_with_located_messages(organizer, data):
    count = OrgUnit.objects.count()
    plan = plan_import(io.BytesIO(_xlsx(data)), actor=organizer)
    for error in plan.errors:
        assert re.match(r"^第\d+行「[^」]+」：", error) or "没有数据行" in error, error
    assert all(2 <= r.row <= len(data) + 1 for r in plan.rows)
    assert OrgUnit.objects.count() == count  # planning never writes
