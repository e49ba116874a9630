"""Working days follow the official calendar, make-up weekends included; unknown years are
counted Monday to Friday and marked as estimates."""

from __future__ import annotations

from datetime import date

import pytest

from flows.workdays import Deadline, add_days, add_working_days, official_workday


def test_an_ordinary_week_skips_the_weekend() -> None:
    # Friday 27 November 2026: Mon 30, Tue 1, Wed 2, Thu 3, Fri 4, Mon 7, Tue 8.
    assert add_working_days(date(2026, 11, 27), 7) == Deadline(date(2026, 12, 8))


def test_a_saturday_submission_counts_from_monday() -> None:
    assert add_working_days(date(2026, 11, 28), 7) == Deadline(date(2026, 12, 8))


def test_national_day_holiday_and_its_make_up_saturday() -> None:
    # 1-7 October 2026 are holidays; Saturday 10 October is a working day.
    assert official_workday(date(2026, 10, 5)) is False
    assert official_workday(date(2026, 10, 10)) is True
    # From Tue 29 Sep: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct, 12, 13, 14 Oct.
    assert add_working_days(date(2026, 9, 29), 7) == Deadline(date(2026, 10, 14))


def test_spring_festival_with_make_up_saturdays_on_both_sides() -> None:
    # 15-23 February 2026 are holidays; Saturdays 14 and 28 February are working days.
    assert official_workday(date(2026, 2, 14)) is True
    assert official_workday(date(2026, 2, 28)) is True
    # From Thu 12 Feb: 13, Sat 14, 24, 25, 26, 27, Sat 28.
    assert add_working_days(date(2026, 2, 12), 7) == Deadline(date(2026, 2, 28))


def test_a_year_the_calendar_does_not_know_is_counted_monday_to_friday_as_an_estimate() -> None:
    assert official_workday(date(2099, 3, 2)) is None
    # Monday 2 March 2099: 3, 4, 5, 6, 9, 10, 11.
    assert add_working_days(date(2099, 3, 2), 7) == Deadline(date(2099, 3, 11), estimated=True)


def test_crossing_into_an_unknown_year_makes_the_whole_count_an_estimate() -> None:
    def known_until_2026(day: date) -> bool | None:
        return None if day.year > 2026 else day.weekday() < 5

    found = add_working_days(date(2026, 12, 29), 7, rule=known_until_2026)
    assert found.estimated
    assert found.day == date(2027, 1, 7)  # 30, 31 Dec, then 1, 4, 5, 6, 7 Jan (Mon-Fri)


@pytest.mark.parametrize("start", [date(2026, 4, 30), date(2026, 9, 30), date(2026, 12, 31)])
def test_the_deadline_is_always_a_working_day_after_the_start(start: date) -> None:
    found = add_working_days(start, 7)
    assert found.day > start
    assert official_workday(found.day) in (True, None)


def test_calendar_days_are_plain_days() -> None:
    assert add_days(date(2026, 12, 9), 60) == Deadline(date(2027, 2, 7))
