"""Row ids that come from outside (a URL's path or query string): whole numbers the database can hold.

Every id column is an INTEGER: 32 bits in PostgreSQL (SQLite's would hold 64). A larger number
cannot name a row, and handed to the database it fails (PostgreSQL: "integer out of range";
SQLite, past 2^63: an OverflowError), a 500 either way, so it is refused here, once:

- :class:`IdConverter` replaces Flask's ``int`` route converter in every app, so ``<int:...>``
  in any route matches only 0 to 2^31 - 1 and anything larger is 404 like any unknown id,
  whatever the method (the bound is in the converter's regex: a value refused later, in
  ``to_python``, would make Werkzeug answer 405 when another method's rule shares the path);
- :func:`parse_id` reads one from a query string (``?outbound=``, ``?assignee=``): None when it
  is not a plain decimal id in that range.
"""
from __future__ import annotations

import re

from werkzeug.routing import Map
from werkzeug.routing.converters import IntegerConverter

MAX_ID = 2**31 - 1  # the largest PostgreSQL INTEGER; a new BigInteger id column would need more


def at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0 to ``limit`` (ASCII digits, leading zeros allowed).

    Fewer digits than ``limit`` has are all below it; with as many, a number is below it when it
    agrees with ``limit`` up to some digit and is smaller there, whatever follows.
    """
    digits = str(limit)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    same_length = [f"{digits[:i]}[0-{int(digit) - 1}][0-9]{{{len(digits) - i - 1}}}"
                   for i, digit in enumerate(digits) if digit != "0"]
    return f"0*(?:{'|'.join([*shorter, *same_length, digits])})"


_ID = re.compile(at_most(MAX_ID))


class IdConverter(IntegerConverter):
    """Flask's ``int`` converter, matching only what a database id can be (0 to MAX_ID)."""

    regex = at_most(MAX_ID)

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,
                 signed: bool = False) -> None:
        if signed:
            raise ValueError("ids are never negative: use <int:...> without signed=True")
        super().__init__(map, fixed_digits, min, max, signed)


def parse_id(raw: str | None) -> int | None:
    """A query string's id, or None when absent, not a plain decimal number, or beyond MAX_ID."""
    if raw is None or not _ID.fullmatch(raw.strip()):
        return None
    return int(raw.strip())
