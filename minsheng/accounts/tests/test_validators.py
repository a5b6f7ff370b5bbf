import pytest
from django.core.exceptions import ValidationError

from minsheng.accounts.validators import validate_credit_code, validate_new_username, with_credit_check_digit


@pytest.mark.parametrize(
    "code",
    [
        "91110108551385082Q",  # a real enterprise code (check digit Q)
        "91350100M000100Y43",  # python-stdnum's example
        with_credit_check_digit("91440700MA4UJ8R30"),
        with_credit_check_digit("N2440781MA4UJ8R30"),  # a letter as registration department
    ],
)
def test_well_formed_credit_codes_are_accepted(code):
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("9144070", "credit_code_length"),
        ("91440700MA4UJ8R30MX", "credit_code_length"),
        ("91440700MA4UJ8RO0M", "credit_code_chars"),  # O is not used
        ("91440700MA4UJ8RS0M", "credit_code_chars"),  # nor S
        ("91A40700MA4UJ8R30M", "credit_code_region"),
        ("91440700MA4UJ8R30A", "credit_code_check_digit"),  # T would be right
    ],
)
def test_malformed_credit_codes_are_refused_with_the_reason(code, error):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error


def test_a_username_that_is_a_mobile_number_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_new_username("13800138000")
    assert caught.value.code == "username_is_mobile"
