"""The contest's figures for the roll-up and the summary."""

from __future__ import annotations

import pytest

from sciweek.contests.entries import entry_veto
from sciweek.contests.figures import contest_figures
from sciweek.contests.models import Student
from sciweek.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_it_counts_entries_students_schools_and_tutors_without_vetoed_ones(contest):
    county = OrgUnit.objects.get(name="泗县")
    before = contest_figures(year=2023, root=county)
    assert before["entries"] == 36
    assert before["students"] == Student.objects.filter(contest=contest).count()
    assert before["schools"] == contest.entries.values("school").distinct().count()
    assert before["tutors"] > 0
    entry = contest.entries.filter(students__isnull=False).first()
    entry_veto(entry=entry, reason="抄袭", actor="test")
    after = contest_figures(year=2023, root=county)
    assert after["entries"] == 35 and after["students"] == before["students"] - entry.students.count()
    assert contest_figures(year=2024, root=county)["entries"] == 0
    other = OrgUnit.objects.get(name="宿州市")
    assert contest_figures(year=2023, root=other)["entries"] == 35  # the city sees its counties' contests
