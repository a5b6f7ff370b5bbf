"""Mainland mobile numbers, checked with phonenumbers (lite)."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_mobile(value: str) -> str:
    """Return the 11-digit mobile number or raise ValidationError."""
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if (
        parsed is None
        or len(raw) != 11
        or not phonenumbers.is_valid_number(parsed)
        or phonenumbers.number_type(parsed) not in (phonenumbers.PhoneNumberType.MOBILE,)
    ):
        raise ValidationError(
            _("%(value)s is not a valid mainland mobile number (11 digits, e.g. 13800138000).")
            % {"value": value},
            code="mobile",
        )
    return str(parsed.national_number)


def looks_like_mobile(value: str) -> bool:
    try:
        normalize_mobile(value)
    except ValidationError:
        return False
    return True


def validate_mobile(value: str) -> None:
    """A Django field validator: a form says a wrong number beside the field, with the other fields' errors
    (the service checks again)."""
    normalize_mobile(value)
