"""A service's fields checked one by one (pure), the same way for the API, the pages and the CSV
import. Each check returns the value to store or raises :class:`FieldProblem`, whose ``code`` and
``params`` let the pages say it in the reader's language and whose message the API answers with.
"""
from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import urlsplit

import pycountry

from helpline.directory.hours import HoursError, parse_hours, schedule_from_json, week_json
from helpline.directory.rules import clean_topics, normalise_code
from helpline.names import unsafe_character
from helpline.phones import InvalidPhoneNumber, normalise

NAME_MAX = 120
DESCRIPTION_MAX = 4000
URL_MAX = 300
ADDRESS_MAX = 200
AREA_MAX = 80
TOPIC_MAX = 40
TOPICS_MAX = 20
DESCRIPTIONS = ("description", "description_sv", "description_en")
# Topics and languages in one cell or text field: separated by commas, semicolons or bars.
_LIST_SEPARATORS = re.compile(r"\s*[,;|/]\s*")


class FieldProblem(ValueError):
    def __init__(self, field: str, code: str, message: str, **params: object) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.params = params


def _text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldProblem(field, "type", "must be text")
    if field in DESCRIPTIONS:
        _check_characters(value.strip().replace("\r\n", "\n").replace("\n", " ").replace("\t", " "), field)
        return value.strip()
    _check_characters(value.strip(), field)
    return " ".join(value.split())


def _check_characters(text: str, field: str) -> None:
    """Names, codes, addresses and topics are one line of visible text, like staff names
    (helpline.names): no line breaks, tabs, other control characters or bidirectional controls.
    A description may hold line breaks and tabs, but no other control characters."""
    found = unsafe_character(text)
    if found is not None:
        position, description = found
        raise FieldProblem(field, "control", f"may not contain line breaks, tabs or other control characters; it has "
                                             f"{description} at character {position + 1}", position=position + 1)


def name(value: Any, field: str = "name") -> str:
    text = _text(value, field)
    if not text:
        raise FieldProblem(field, "required", "must not be empty")
    return _at_most(text, field, NAME_MAX)


def optional_text(value: Any, field: str, max_length: int) -> str | None:
    return _at_most(_text(value, field), field, max_length) or None


def _at_most(text: str, field: str, max_length: int) -> str:
    if len(text) > max_length:
        raise FieldProblem(field, "too_long", f"is too long ({len(text)} characters; at most {max_length})",
                           limit=max_length)
    return text


def code(value: Any) -> str:
    text = _text(value, "code")
    if not text:
        raise FieldProblem("code", "required", "must not be empty")
    normalised = normalise_code(text)
    if normalised is None:
        raise FieldProblem("code", "code", f"{text!r} is not a code: one short word staff can text, 2-20 letters, "
                                           "digits or '-' (like KRIISI)", value=text)
    return normalised


def _items(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [item for item in _LIST_SEPARATORS.split(value.strip()) if item]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise FieldProblem(field, "type", "must be a list of text, like [\"loneliness\", \"grief\"]")


def topics(value: Any) -> list[str]:
    raw = _items(value, "topics")
    for item in raw:
        _check_characters(item.strip(), "topics")
    items = clean_topics(raw)
    for item in items:
        _at_most(item, "topics", TOPIC_MAX)
    if len(items) > TOPICS_MAX:
        raise FieldProblem("topics", "too_many", f"at most {TOPICS_MAX} topics", limit=TOPICS_MAX)
    return items


def languages(value: Any) -> list[str]:
    codes: list[str] = []
    for item in _items(value, "languages"):
        language = item.strip().lower()
        if len(language) != 2 or pycountry.languages.get(alpha_2=language) is None:
            raise FieldProblem("languages", "language", f"{item!r} is not an ISO 639-1 language code "
                                                        "(two letters, like fi, sv or en)", value=item)
        if language not in codes:
            codes.append(language)
    return codes


def phone(value: Any) -> str | None:
    text = _text(value, "phone")
    if not text:
        return None
    try:
        return normalise(text)
    except InvalidPhoneNumber as error:
        raise FieldProblem("phone", "phone", str(error), value=text) from None


def url(value: Any) -> str | None:
    """A web address; 'example.fi/apu' becomes 'https://example.fi/apu'."""
    text = _text(value, "url")
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise FieldProblem("url", "url", f"{value!r} is not a web address like https://example.fi", value=value)
    return _at_most(text, "url", URL_MAX)


def hours(value: Any) -> dict[str, list[list[str]]] | None:
    """The office-hours JSON, or the words of a week ('ma-pe 9-15'); None when not known."""
    try:
        weekly = parse_hours(value) if isinstance(value, str) else schedule_from_json(value)
    except HoursError as error:
        raise FieldProblem("hours", "hours", str(error), reason=error.code, **error.params) from None
    return None if weekly is None or weekly.is_empty else week_json(weekly)


def boolean_word(value: Any, field: str) -> bool:
    """true/false from JSON, or a CSV cell: 1/0, yes/no, kyllä/ei, ja/nej, x/empty."""
    if isinstance(value, bool):
        return value
    text = _text(value, field).casefold()
    if text in ("1", "true", "yes", "kyllä", "k", "ja", "x", "y"):
        return True
    if text in ("", "0", "false", "no", "ei", "e", "nej", "n"):
        return False
    raise FieldProblem(field, "boolean", f"{value!r} is not yes or no", value=value)


def joined(values: Iterable[str]) -> str:
    """A list as a text field shows it."""
    return ", ".join(values)
