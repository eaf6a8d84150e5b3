"""Reading request bodies and query parameters, with errors in words.

A body that is not a JSON object, or a query parameter we cannot read, is the request's fault
(400). A JSON object whose content cannot be accepted (a missing or unknown field, a wrong type,
an impossible time) is 422, and the message starts with the field's name.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from flask import request

from helpline.api.errors import BadRequest, Unprocessable
from helpline.names import UnsafeName, check_name
from helpline.rota.localtime import TimeParseError, parse_date, parse_instant


# In a URL an unescaped "+" means a space, so "?at=2027-01-11T10:00+02:00" typed into curl arrives
# as "2027-01-11T10:00 02:00". A space between a time and an offset can only have been a plus.
_PLUS_LOST = re.compile(r"\A(\d{4}-?\d\d-?\d\d[T ]\d\d:?\d\d(?::?\d\d(?:[.,]\d+)?)?) (\d\d(?::?\d\d)?)\Z")


# Half of a UTF-16 surrogate pair: JSON's \uXXXX escapes can name one alone, but it is not text
# (no UTF-8 encodes it), and the database would fail on it when the row is written.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_object() -> dict[str, Any]:
    """The request body as a JSON object. Content-Type is not insisted on: curl users forget it.

    The one place the API reads a body, so every way JSON can be unreadable is answered here
    with 400: not JSON, nested too deeply for the parser (RecursionError, which Flask's
    ``silent`` does not catch), or text holding a lone surrogate. A body over the app's
    MAX_CONTENT_LENGTH never gets here (413).
    """
    try:
        body = request.get_json(force=True, silent=True)
    except RecursionError:
        raise BadRequest("the request body is nested too deeply to read") from None
    if body is None:
        raise BadRequest("the request body must be JSON (it is empty or could not be parsed)")
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object, not {_json_type(body)}")
    where = _lone_surrogate_at(body)
    if where is not None:
        raise BadRequest(f"{where} holds a lone \\uD800-\\uDFFF escape (half of a UTF-16 surrogate pair), "
                         "which is not text")
    return body


def _lone_surrogate_at(body: dict[str, Any]) -> str | None:
    """The field (or its path, like ``languages[1]``) of the first string that is not text."""
    pending: list[tuple[str, Any]] = [("", body)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, str):
            if _LONE_SURROGATE.search(value):
                return path or "the body"
        elif isinstance(value, dict):
            for key, item in value.items():
                inner = f"{path}.{key}" if path else key
                if _LONE_SURROGATE.search(key):
                    return f"a field name in {path}" if path else "a field name"
                pending.append((inner, item))
        elif isinstance(value, list):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(value))
    return None


def check_fields(body: dict[str, Any], allowed: Iterable[str], required: Iterable[str] = ()) -> None:
    allowed = tuple(allowed)
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise Unprocessable(
            f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"the fields are {', '.join(allowed)}"
        )
    missing = [name for name in required if body.get(name) is None]
    if missing:
        raise Unprocessable(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")


def text(body: dict[str, Any], name: str, *, max_length: int, allow_empty: bool = False) -> str:
    value = body[name]
    if not isinstance(value, str):
        raise Unprocessable(f"{name} must be text, not {_json_type(value)}")
    value = value.strip()
    if not value and not allow_empty:
        raise Unprocessable(f"{name} must not be empty")
    if len(value) > max_length:
        raise Unprocessable(f"{name} is too long ({len(value)} characters; at most {max_length})")
    return value


def name(body: dict[str, Any], field: str, *, max_length: int) -> str:
    """A person's (or a thing's) name: text on one line, no control characters (helpline.names)."""
    value = text(body, field, max_length=max_length)
    try:
        return check_name(value, field)
    except UnsafeName as error:
        raise Unprocessable(str(error)) from None


def optional_text(body: dict[str, Any], name: str, *, max_length: int) -> str | None:
    """Text, or None when absent, null or blank."""
    if body.get(name) is None:
        return None
    return text(body, name, max_length=max_length, allow_empty=True) or None


def integer(body: dict[str, Any], name: str, *, minimum: int, maximum: int) -> int:
    value = body[name]
    # bool is an int in Python but never what a client meant here.
    if isinstance(value, bool) or not isinstance(value, int):
        raise Unprocessable(f"{name} must be a whole number, not {_json_type(value)}")
    if not minimum <= value <= maximum:
        raise Unprocessable(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def boolean(body: dict[str, Any], name: str) -> bool:
    value = body[name]
    if not isinstance(value, bool):
        raise Unprocessable(f"{name} must be true or false, not {_json_type(value)}")
    return value


def choice(body: dict[str, Any], name: str, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    value = body[name]
    if value not in choices:
        raise Unprocessable(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def instant(body: dict[str, Any], name: str, tz: ZoneInfo) -> datetime:
    try:
        return parse_instant(body[name], tz)
    except TimeParseError as error:
        raise Unprocessable(f"{name}: {error}") from None


def calendar_date(body: dict[str, Any], name: str) -> date:
    try:
        return parse_date(body[name])
    except TimeParseError as error:
        raise Unprocessable(f"{name}: {error}") from None


def query_instant(name: str, tz: ZoneInfo) -> datetime | None:
    """A time from the query string, or None when it is not given."""
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return None
    raw = _PLUS_LOST.sub(r"\1+\2", raw.strip())
    try:
        return parse_instant(raw, tz)
    except TimeParseError as error:
        raise BadRequest(f"query parameter {name}: {error}") from None


def query_choice(name: str, choices: Iterable[str], default: str) -> str:
    choices = tuple(choices)
    raw = request.args.get(name, default).strip().lower() or default
    if raw not in choices:
        raise BadRequest(f"query parameter {name} must be one of {', '.join(choices)}, not {raw!r}")
    return raw


def query_integer(name: str, *, default: int | None, minimum: int, maximum: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name} must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise BadRequest(f"query parameter {name} must be between {minimum} and {maximum}, not {value}")
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
