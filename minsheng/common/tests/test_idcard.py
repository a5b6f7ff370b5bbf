import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from minsheng.common.idcard import parse_id_number, with_check_digit


def test_a_taishan_number_with_a_1985_birth_date_is_valid():
    number = with_check_digit("44078119850315123")
    parsed = parse_id_number(number)
    assert parsed.birth_date == dt.date(1985, 3, 15)
    assert parsed.region_code == "440781"
    assert parsed.gender == "M"  # the 17th digit, 3, is odd


def test_a_known_valid_number_with_x_check_digit_passes():
    # 11010519491231002X is the example number of GB 11643-1999
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code", "words"),
    [
        ("440781198503151230", "id_check_digit", "校验码"),
        ("440781198502301234", "id_birth_date", "不存在"),
        ("44078119850315123", "id_length", "18"),
        ("4407811985031512345", "id_length", "18"),
        ("44078119850315123A", "id_chars", "数字"),
        (with_check_digit("44078121990101123"), "id_birth_date", "不可能"),
    ],
)
def test_bad_numbers_are_refused_with_a_clear_chinese_message(number, code, words):
    if code == "id_check_digit":
        good = with_check_digit(number[:17])
        number = number[:17] + ("0" if good != "0" else "1")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parse_id_number(number, today=dt.date(2026, 11, 27))
    assert caught.value.code == code
    assert words in caught.value.messages[0]
