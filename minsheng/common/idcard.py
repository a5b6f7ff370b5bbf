"""居民身份证号码 (resident ID number) checks: length, region, birth date and the ISO 7064 check digit.

python-stdnum's `cn.ric.validate` refuses genuine numbers whose region code is younger than the birth year
(台山市 440781 exists since 1992; a 1985 birth is refused), so only its check-digit routine is used.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F", from the 17th digit

    @property
    def region_code(self) -> str:
        return self.number[:6]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an 18-digit ID number and return its parts; raise ValidationError with a clear message."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters; this one has %(n)d.") % {"n": len(number)},
            code="id_length",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("The ID number may contain only digits, with X allowed as the last character."), code="id_chars"
        )
    if number[0] not in "123456789" or number[:2] in {"00"}:
        raise ValidationError(_("The ID number does not start with a valid region code."), code="id_region")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date %(date)s in the ID number does not exist.")
            % {"date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}"},
            code="id_birth_date",
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("The birth date %(date)s in the ID number is impossible.") % {"date": birth.isoformat()},
            code="id_birth_date",
        )
    expected = ric.calc_check_digit(number)
    if expected != number[17]:
        raise ValidationError(
            _("The check digit of the ID number is wrong (the last character should be %(digit)s).")
            % {"digit": expected},
            code="id_check_digit",
        )
    return IdNumber(number=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F")


def validate_id_number(value: str) -> None:
    """A Django field validator."""
    parse_id_number(value)


def with_check_digit(first17: str) -> str:
    """Complete 17 digits into a valid ID number (used by the demo and test data generators)."""
    return first17 + ric.calc_check_digit(first17 + "0")
