"""The working-day calendar past the years the library knows: official schedules as data, provisional years by
rule, deadlines marked provisional, a new year entered by the office and the open deadlines recomputed."""

import datetime as dt

import pytest

from minsheng.common import workdays
from minsheng.common.errors import DomainError, PermissionDenied
from minsheng.common.models import WorkCalendarYear
from minsheng.common.services import calendar_year_enter
from minsheng.common.workdays import DayEntry, DayKind, Festival

pytestmark = pytest.mark.django_db

# The State Council's 2026 notice (国办发明电〔2025〕7号), as an office would paste it.
NOTICE_2026 = """一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。"""

# A 2027 schedule for the tests only (the real notice may differ): the Spring Festival runs 02-06..02-14, so
# Friday 02-05, a day off by rule (除夕), is a working day, and Saturday 02-20 is worked.
NOTICE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天。
六、中秋节：9月15日（周三）放假1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"""


def test_the_library_years_are_loaded_as_official_schedules_at_migrate_time():
    assert set(range(2004, 2027)) <= set(workdays.official_years())
    assert WorkCalendarYear.objects.get(year=2026).source == WorkCalendarYear.Source.LIBRARY
    assert workdays.is_working_day(dt.date(2026, 2, 14))  # a 调休 Saturday
    assert not workdays.is_working_day(dt.date(2026, 10, 6))


def test_a_year_without_a_schedule_is_provisional_and_never_raises():
    assert not workdays.is_official(2027)
    assert not workdays.is_working_day(dt.date(2027, 1, 1))  # New Year
    assert not workdays.is_working_day(dt.date(2027, 2, 8))  # Spring Festival by rule
    assert not workdays.is_working_day(dt.date(2027, 10, 4))  # National Day observed
    assert workdays.is_working_day(dt.date(2027, 10, 8))
    assert not workdays.is_working_day(dt.date(2099, 1, 1))
    assert not workdays.is_working_day(dt.date(2027, 2, 20))  # no working weekend without the notice


def test_the_2026_notice_pasted_gives_the_same_working_days_as_the_library():
    entries = workdays.check_schedule(2026, workdays.parse_notice(NOTICE_2026, 2026))
    pasted = workdays.Schedule(
        year=2026,
        off={e.day: e.festival for e in entries if e.kind == DayKind.OFF},
        work=frozenset(e.day for e in entries if e.kind == DayKind.WORK),
        official=True,
    )
    library = workdays.library_schedules()[2026]
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        assert pasted.is_working_day(day) == library.is_working_day(day), day
        day += dt.timedelta(days=1)
    assert pasted.work == {
        dt.date(2026, m, d) for m, d in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]
    }
    assert pasted.off[dt.date(2026, 9, 25)] == Festival.MID_AUTUMN


def test_a_combined_mid_autumn_and_national_day_line_names_both_festivals():
    line = "七、中秋节、国庆节：9月29日至10月6日放假调休，共8天。10月7日（周六）、10月8日（周日）上班。"
    entries = workdays.parse_notice(line, 2023)
    off = [e for e in entries if e.kind == DayKind.OFF]
    assert off[0].day == dt.date(2023, 9, 29) and off[0].festival == Festival.MID_AUTUMN
    assert {e.festival for e in off[1:]} == {Festival.NATIONAL} and len(off) == 8
    assert [e.day for e in entries if e.kind == DayKind.WORK] == [dt.date(2023, 10, 7), dt.date(2023, 10, 8)]


def test_new_year_from_the_last_day_of_the_year_before_keeps_only_this_years_days():
    entries = workdays.parse_notice("一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。", 2023)
    assert [e.day for e in entries] == [dt.date(2023, 1, 1), dt.date(2023, 1, 2)]


def test_a_schedule_is_refused_with_every_reason_and_nothing_is_saved(admin_user):
    entries = [
        DayEntry(dt.date(2027, 1, 1), DayKind.OFF, Festival.NEW_YEAR),
        DayEntry(dt.date(2027, 2, 17), DayKind.WORK),  # a Wednesday
        DayEntry(dt.date(2028, 1, 1), DayKind.OFF, Festival.NEW_YEAR),
    ]
    with pytest.raises(DomainError) as refused:
        calendar_year_enter(actor=admin_user, year=2027, days=entries)
    message = str(refused.value.message)
    assert "2027-02-17" in message and "2028-01-01" in message
    assert "春节" in message  # the festivals without a day off are named
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not workdays.is_official(2027)


def test_a_notice_line_without_a_festival_or_dates_is_refused_by_line():
    with pytest.raises(DomainError) as refused:
        workdays.parse_notice("一、元旦：1月1日放假。\n二、放假安排如下\n三、春节：放假调休", 2027)
    assert "2" in str(refused.value.message) and "3" in str(refused.value.message)


def test_only_administrators_and_city_staff_enter_a_schedule(taishan_staff, city_staff):
    entries = workdays.parse_notice(NOTICE_2027, 2027)
    with pytest.raises(PermissionDenied):
        calendar_year_enter(actor=taishan_staff, year=2027, days=entries)
    calendar_year_enter(actor=city_staff, year=2027, days=entries)
    assert workdays.is_official(2027)


def test_a_second_recompute_changes_nothing(admin_user):
    from minsheng.common.tasks import deadlines_recompute

    calendar_year_enter(actor=admin_user, year=2027, days=workdays.parse_notice(NOTICE_2027, 2027))
    first = deadlines_recompute.call(year=2027)
    again = deadlines_recompute.call(year=2027)
    assert again["cases"]["changed"] == 0 and again["cases"]["checked"] == first["cases"]["checked"]


@pytest.mark.parametrize(
    "today, expected",
    [
        (dt.date(2026, 10, 31), None),
        (dt.date(2026, 11, 1), 2027),
        (dt.date(2026, 12, 31), 2027),
        (dt.date(2027, 1, 2), 2027),  # still missing in the new year: its own schedule
    ],
)
def test_from_1_november_the_homes_ask_for_next_years_schedule(today, expected):
    assert workdays.next_year_needs_schedule(today) == expected
