"""Phone numbers: parse what people type, store E.164, tell withheld caller IDs apart."""
from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "FI"

# What Twilio puts in From when the caller withheld their number.
_WITHHELD_CALLER_IDS = {"", "anonymous", "restricted", "unknown", "unavailable", "private",
                        "+266696687", "266696687", "+7378742833", "+2562533", "+86282452253"}


class InvalidPhoneNumber(ValueError):
    """Not a phone number we can dial; the message says what is wrong in words."""


def normalise(text: str, region: str = DEFAULT_REGION) -> str:
    """'040 123 4567' -> '+358401234567'. Raises InvalidPhoneNumber with a readable reason."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidPhoneNumber("a phone number is required")
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumber(f"{raw!r} is not a phone number ({error._msg})") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def caller_id(from_value: str | None) -> str | None:
    """The caller's E.164 number from Twilio's From, or None when withheld or unusable."""
    value = (from_value or "").strip()
    if value.lower() in _WITHHELD_CALLER_IDS:
        return None
    try:
        return normalise(value)
    except InvalidPhoneNumber:
        return None


def readable(e164: str) -> str:
    """'+358401234567' -> '040 1234567' for Finnish numbers, international format otherwise."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 358:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(e164: str) -> bool:
    """True when the number can receive SMS as far as numbering plans tell."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(parsed)
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
