"""Working days across 5月1日 and 调休, and a data file for a year the package does not know."""

from __future__ import annotations

import datetime as dt
import json

from sciweek.core.workdays import add_workdays, is_workday, known


def test_it_skips_the_may_day_holiday_and_counts_the_worked_saturday():
    # 2023: 29 Apr – 3 May off; Sunday 23 Apr and Saturday 6 May worked.
    assert is_workday(dt.date(2023, 4, 23)) and is_workday(dt.date(2023, 5, 6))
    assert not is_workday(dt.date(2023, 5, 1)) and not is_workday(dt.date(2023, 4, 29))
    assert add_workdays(dt.date(2023, 4, 27), 5) == dt.date(2023, 5, 6)  # 27, 28, 4, 5, 6
    assert add_workdays(dt.date(2023, 5, 22), 5) == dt.date(2023, 5, 26)  # an ordinary week


def test_an_organizers_file_adds_a_year_the_package_does_not_know(tmp_path, settings):
    assert not known(dt.date(2040, 1, 1))
    assert add_workdays(dt.date(2040, 1, 1), 1) == dt.date(
        2040, 1, 2
    )  # weekends only: 1 Jan 2040 is a Sunday
    path = tmp_path / "workdays.json"
    path.write_text(json.dumps({"holidays": ["2040-01-02"], "workdays": ["2040-01-07"]}), encoding="utf-8")
    settings.SCIWEEK_WORKDAYS_FILE = str(path)
    assert known(dt.date(2040, 3, 1))
    assert not is_workday(dt.date(2040, 1, 2)) and is_workday(dt.date(2040, 1, 7))
    assert add_workdays(dt.date(2040, 1, 2), 1) == dt.date(2040, 1, 3)
