"""Checks of what a person types when registering: the unified social credit code, usernames, passwords.

Each check raises Django's ValidationError with a translated message and a code, so forms, the API and the
services report the same error on the same field.
"""

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from minsheng.common.phones import looks_like_mobile

# GB 32100-2015: digits and capital letters except I, O, Z, S and V.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().replace(" ", "").replace("-", "").upper()


def validate_credit_code(value: str) -> str:
    """Return the normalised 18-character 统一社会信用代码 or raise ValidationError.

    Only python-stdnum's check-digit routine is used: `uscc.validate()` wants the first 8 characters to be
    digits, which refuses genuine codes whose registration department is a letter (N 农业, Y 其他 ...).
    """
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code must have 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="credit_code_length",
        )
    if any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            _(
                "The unified social credit code may contain only digits and capital letters other than "
                "I, O, Z, S and V."
            ),
            code="credit_code_chars",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of the unified social credit code are a region code and must be digits."),
            code="credit_code_region",
        )
    if uscc.calc_check_digit(code[:17]) != code[17]:
        raise ValidationError(
            _("The check digit of the unified social credit code is wrong; please check the code again."),
            code="credit_code_check_digit",
        )
    return code


def with_credit_check_digit(first17: str) -> str:
    """Complete 17 characters into a valid credit code (test and demo data)."""
    return first17 + uscc.calc_check_digit(first17)


def validate_new_username(value: str) -> str:
    """A username someone may choose: Django's characters, and never a mobile number (a mobile number signs
    in as the account that has it, so a username that looks like one would be ambiguous)."""
    username = (value or "").strip()
    UnicodeUsernameValidator()(username)
    if looks_like_mobile(username):
        raise ValidationError(
            _("A username cannot be a mobile number: enter the mobile number in its own field."),
            code="username_is_mobile",
        )
    return username


def validate_new_password(password: str, user) -> None:
    """Django's password validators (length, common passwords, all digits, similar to the username)."""
    password_validation.validate_password(password, user=user)
