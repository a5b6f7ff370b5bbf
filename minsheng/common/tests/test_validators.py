"""The sense of dates and the length of text (minsheng/common/validators.py)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from minsheng.common import validators as checks
from minsheng.common.crypto import ciphertext_length, encrypt
from minsheng.common.errors import DomainError

D = dt.date


@pytest.fixture(autouse=True)
def on_a_known_day():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def refusal(validator, value) -> str:
    with pytest.raises(ValidationError) as refused:
        validator(value)
    return refused.value.code


def test_a_past_date_lies_between_2000_and_today():
    for fine in (D(2000, 1, 1), D(2026, 6, 15), None):
        checks.validate_past_date(fine)
    assert refusal(checks.validate_past_date, D(1999, 12, 31)) == "date_too_early"
    assert refusal(checks.validate_past_date, D(1900, 1, 1)) == "date_too_early"
    assert refusal(checks.validate_past_date, D(2026, 6, 16)) == "date_in_future"


def test_a_time_is_judged_by_its_day_in_china():
    # 2026-06-15 20:00 UTC is already the 16th in Beijing: tomorrow.
    assert (
        refusal(checks.validate_past_date, dt.datetime(2026, 6, 15, 20, 0, tzinfo=dt.UTC)) == "date_in_future"
    )
    checks.validate_past_date(timezone.make_aware(dt.datetime(2026, 6, 15, 9, 0)))


def test_a_planned_date_may_be_ahead_up_to_ten_years():
    for fine in (D(2000, 1, 1), D(2030, 1, 1), D(2036, 6, 15)):
        checks.validate_planned_date(fine)
    assert refusal(checks.validate_planned_date, D(2036, 6, 16)) == "date_too_far"
    assert refusal(checks.validate_planned_date, D(1999, 1, 1)) == "date_too_early"


def test_the_bounds_are_settings(settings):
    settings.MINSHENG = {**settings.MINSHENG, "EARLIEST_DATE": "2010-01-01", "PLANNED_YEARS_AHEAD": 1}
    assert refusal(checks.validate_past_date, D(2009, 12, 31)) == "date_too_early"
    assert refusal(checks.validate_planned_date, D(2027, 6, 16)) == "date_too_far"
    checks.validate_planned_date(D(2027, 6, 15))


def test_the_messages_say_which_bound_in_the_users_language():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as early:
            checks.validate_past_date(D(1900, 1, 1))
        with pytest.raises(ValidationError) as future:
            checks.validate_past_date(D(2027, 1, 1))
    assert early.value.messages == ["日期不能早于2000年1月1日。"]
    assert future.value.messages == ["日期不能晚于今天。"]
    with translation.override("en"), pytest.raises(ValidationError) as far:
        checks.validate_planned_date(D(2040, 1, 1))
    assert "2036" in far.value.messages[0]


def test_services_get_a_domain_error_on_the_field():
    with pytest.raises(DomainError) as refused:
        checks.check_past_date(D(1900, 1, 1), field="visited_on")
    assert (refused.value.field, refused.value.code) == ("visited_on", "date_too_early")
    assert checks.check_planned_date(D(2030, 1, 1), field="due_on") == D(2030, 1, 1)


def test_a_text_longer_than_its_limit_is_refused_with_both_numbers():
    assert checks.check_length("长" * 10, field="note", limit=10) == "长" * 10
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        checks.check_length("长" * 11, field="note", limit=10)
    assert (refused.value.field, refused.value.code) == ("note", "max_length")
    assert str(refused.value.message) == "最多10个字，现在是11个字。"


@override_settings(FIELD_ENCRYPTION_KEYS=["dGVzdC1wZXJzb25hbC1kYXRhLWtleS0zMi1ieXRlcyE="])
def test_the_ciphertext_bound_holds_for_any_text_of_that_length():
    for length in (0, 1, 15, 16, 50, 200):
        for char in ("a", "长", "😀"):
            assert len(encrypt(char * length)) <= ciphertext_length(length)
    assert len(encrypt("😀" * 50)) == ciphertext_length(50)  # the bound is tight
