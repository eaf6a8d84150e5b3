"""Phone numbers: parse what people type, store E.164, tell withheld caller IDs apart."""
from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

DEFAULT_REGION = "FI"
_HINT = "write it like 040 123 4567 or +358 40 123 4567"
_TOO_SHORT = "is not a valid phone number: it is too short"
_TOO_LONG = "is not a valid phone number: it is too long"
_BAD_COUNTRY = "is not a valid phone number: its country code does not exist"
_PARSE_PROBLEMS = {
    NumberParseException.INVALID_COUNTRY_CODE: _BAD_COUNTRY,
    NumberParseException.TOO_SHORT_AFTER_IDD: _TOO_SHORT,
    NumberParseException.TOO_SHORT_NSN: _TOO_SHORT,
    NumberParseException.TOO_LONG: _TOO_LONG,
}
_LENGTH_PROBLEMS = {
    ValidationResult.TOO_SHORT: _TOO_SHORT,
    ValidationResult.TOO_LONG: _TOO_LONG,
    ValidationResult.INVALID_LENGTH: "is not a valid phone number: it has the wrong number of digits",
    ValidationResult.INVALID_COUNTRY_CODE: _BAD_COUNTRY,
}

# What Twilio puts in From when the caller withheld their number.
_WITHHELD_CALLER_IDS = {"", "anonymous", "restricted", "unknown", "unavailable", "private",
                        "+266696687", "266696687", "+7378742833", "+2562533", "+86282452253"}


# A web chat visitor who gave no number is the "caller" chat:<random letters> of their callback:
# no SMS path can ever text it (caller_id and is_mobile say no), whatever phonenumbers would
# make of the letters (it reads letters as a keypad's digits).
CHAT_VISITOR_PREFIX = "chat:"


def is_chat_visitor(value: str | None) -> bool:
    return (value or "").strip().lower().startswith(CHAT_VISITOR_PREFIX)


class InvalidPhoneNumber(ValueError):
    """Not a phone number we can dial; the message says what is wrong in words."""


def normalise(text: str, region: str = DEFAULT_REGION) -> str:
    """'040 123 4567' -> '+358401234567'. Raises InvalidPhoneNumber with a readable reason."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidPhoneNumber("a phone number is required")
    try:
        parsed = phonenumbers.parse(raw, region)
    except NumberParseException as error:
        problem = _PARSE_PROBLEMS.get(error.error_type, "is not a phone number")
        raise InvalidPhoneNumber(f"{raw!r} {problem}; {_HINT}") from None
    if not phonenumbers.is_valid_number(parsed):
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        problem = _LENGTH_PROBLEMS.get(reason, "is not a valid phone number: no such number is in use")
        raise InvalidPhoneNumber(f"{raw!r} {problem}; {_HINT}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=256)  # pure; each incoming call asks it twice (the block check, the row)
def caller_id(from_value: str | None) -> str | None:
    """The caller's E.164 number from Twilio's From, or None when withheld or unusable.

    Unlike :func:`normalise` this keeps any number of a possible length, even one the numbering
    plan metadata does not know (a new range, stale metadata): dropping it would lose the
    caller's callback request, while ringing an odd number back costs little.
    """
    value = (from_value or "").strip()
    if value.lower() in _WITHHELD_CALLER_IDS or is_chat_visitor(value):
        return None
    try:
        parsed = phonenumbers.parse(value, DEFAULT_REGION)
    except NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def readable(e164: str) -> str:
    """'+358401234567' -> '040 1234567' for Finnish numbers, international format otherwise;
    a web chat visitor without a number is 'chat' (in a reminder: '#12 (chat)')."""
    if is_chat_visitor(e164):
        return "chat"
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 358:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def is_mobile(e164: str) -> bool:
    """True when the number can receive SMS as far as numbering plans tell."""
    if is_chat_visitor(e164):
        return False
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(parsed)
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
