"""In English, the innovation refusals name their fields in English: the labels interpolated into a message
(the services' field names, the forms' labels, the record named by a stale save, the credit code's name) are
msgids themselves, not Chinese constants dropped into an English sentence."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sciweek.innovation import services
from sciweek.innovation.creditcode import credit_code_error
from sciweek.innovation.forms import ApplicationForm, LogEditForm, VisitEditForm
from sciweek.innovation.importer import _plan_row

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _messages(fn) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        fn()
    return exc.value.messages


def test_service_refusals_name_their_fields_in_english(organizer, enterprise, experts, towns):
    with translation.override("en"):
        found = {
            "visit": _messages(lambda: services.visit_create(
                actor=organizer, enterprise=enterprise, date="2099-01-01", visitors="", findings="x" * 4001)),
            "log": _messages(lambda: services.servicelog_create(
                actor=organizer, expert=experts["plant"], unit=towns[0], date="1900-13-01", place_kind="village",
                place="", kind="onsite", topics="")),
            "application": _messages(lambda: services.application_create(
                actor=organizer, enterprise=enterprise, programme="", level="national", year=2023, amount="-1")),
            "enterprise": _messages(lambda: services.enterprise_create(
                actor=organizer, unit=towns[0], name="", credit_code="91341324MA2XXXXXX1",
                contacts=[{"name": "", "phone": "1"}])),
            "expert": _messages(lambda: services.expert_create(
                actor=organizer, region=experts["plant"].region, name="", organization="", discipline="")),
            "stale": _messages(lambda: services.visit_update(
                actor=organizer, visit=services.visit_create(actor=organizer, enterprise=enterprise,
                                                             date="2023-05-22", visitors="陈曦"),
                version=7, findings="x")),
            "credit code": [credit_code_error("9135010"), credit_code_error("91350100M000100Y44")],
        }  # fmt: skip
    chinese = {k: [m for m in v if CJK.search(m)] for k, v in found.items()}
    assert not any(chinese.values()), chinese
    assert "Please enter “Visitors”." in found["visit"], found["visit"]
    assert any(m.startswith("This visit record has been changed by someone else") for m in found["stale"])
    assert found["credit code"][0].startswith("“Unified social credit code” must have 18 characters")


def test_form_messages_and_labels_are_english(organizer):
    with translation.override("en"):
        forms = [
            VisitEditForm(data={}),
            LogEditForm(data={"hours": "x"}),
            ApplicationForm(data={"level": "?"}),
        ]
        errors = [m for f in forms for ms in f.errors.values() for m in ms]
        labels = [str(field.label) for f in forms for field in f.fields.values() if field.label]
    assert errors and not [m for m in errors if CJK.search(m)], errors
    assert not [label for label in labels if CJK.search(label)], labels
    assert "Please enter “Visit date”." in errors


def test_import_row_problems_are_english(organizer):
    with translation.override("en"):
        row = _plan_row(
            4, {"name": "某某公司", "credit_code": "123", "size": "巨型", "contact_phone": "abc"},
            by_name={}, existing={}, allowed=set(), first_row={},
        )  # fmt: skip
    assert row.errors and all(m.startswith("Row 4, “") for m in row.errors), row.errors
    # The column keeps the template's (Chinese) heading, the person's file has it; the rest is English.
    assert not [m for m in row.errors if CJK.search(re.sub(r"“[^”]*”", "", m))], row.errors
