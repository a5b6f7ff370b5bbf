import datetime as dt

import pytest

from minsheng.common.clock import add_working_days, is_working_day

pytestmark = pytest.mark.django_db


def test_five_working_days_across_national_day_2025_skip_the_holiday_and_count_the_adjusted_saturday():
    # 2025: 10-01..10-08 holiday; Sunday 09-28 and Saturday 10-11 are working days (调休)
    assert is_working_day(dt.date(2025, 9, 28))
    assert is_working_day(dt.date(2025, 10, 11))
    assert not is_working_day(dt.date(2025, 10, 3))
    # from Friday 09-26: 09-28 (Sun, worked), 09-29, 09-30, 10-09, 10-10
    assert add_working_days(dt.date(2025, 9, 26), 5) == dt.date(2025, 10, 10)


def test_working_days_across_the_2026_spring_festival():
    # 2026 Spring Festival: 02-15..02-23 off; Saturday 02-14 and Saturday 02-28 are working days
    assert is_working_day(dt.date(2026, 2, 14))
    assert not is_working_day(dt.date(2026, 2, 17))
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)
    assert add_working_days(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 24)
