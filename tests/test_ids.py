"""Ids from URLs: only what a database id can be (PostgreSQL's INTEGER), anything else is simply not found."""
from __future__ import annotations

import random
import re

import pytest

from helpline.ids import MAX_ID, at_most, parse_id


@pytest.mark.parametrize("limit", [0, 7, 10, 99, 100, 305, 1000, 90210])
def test_the_range_pattern_matches_exactly_the_numbers_up_to_its_limit(limit):
    pattern = re.compile(at_most(limit))
    assert [n for n in range(limit * 3 + 20) if pattern.fullmatch(str(n))] == list(range(limit + 1))


def test_the_id_pattern_stops_at_the_largest_postgresql_integer():
    assert MAX_ID == 2**31 - 1
    pattern = re.compile(at_most(MAX_ID))
    for number in (0, 1, MAX_ID - 1, MAX_ID, MAX_ID + 1, 2**32, 2**63 - 1, 2**63, 10**19, 2**64, 10**30):
        assert bool(pattern.fullmatch(str(number))) == (number <= MAX_ID), number
    rng = random.Random(31)
    for _ in range(20000):
        number = rng.randrange(2**30, 2**33)
        assert bool(pattern.fullmatch(str(number))) == (number <= MAX_ID), number


@pytest.mark.parametrize(("raw", "expected"), [
    ("42", 42), (" 7 ", 7), ("007", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("1" * 30, None),
    ("", None), (None, None), ("-1", None), ("4.0", None), ("²", None), ("١٢", None), ("0x10", None),
])
def test_a_query_string_id_is_a_plain_decimal_in_range_or_nothing(raw, expected):
    assert parse_id(raw) == expected
