"""The map's rules: open now or when next (holidays too), what a search finds, which service a
code or a start of a name means, and who may wrap up a live call until when."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpline.directory.hours import parse_hours
from helpline.directory.rules import (
    NotResolved,
    Resolved,
    Search,
    ServiceFacts,
    Unresolved,
    WrapUpRefusal,
    choices,
    find,
    normalise_code,
    resolve,
    service_status,
    wrap_up_deadline,
    wrap_up_refusal,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
KRIISI = ServiceFacts(1, "KRIISI", ("Kriisipuhelin", "Krisjouren", "Crisis line"),
                      ("Keskusteluapu kriisissä",), ("kriisi", "ahdistus"), ("fi", "sv", "en"), None,
                      parse_hours("24/7"), open_on_holidays=True)
PERHE = ServiceFacts(2, "PERHE", ("Kirkon perheneuvonta", "Kyrkans familjerådgivning"), ("Parisuhde ja perhe",),
                     ("perhe", "parisuhde"), ("fi", "sv"), "Espoo", parse_hours("ma-pe 9-15"))
KERHO = ServiceFacts(3, "KERHO", ("Kirkon perhekerho",), (), ("perhe",), ("fi",), "Vantaa",
                     parse_hours("ti 10-12"))
VANHA = ServiceFacts(4, "VANHA", ("Kirkon vanha palvelu",), (), (), ("fi",), "Espoo", None, active=False)
ANGEST = ServiceFacts(5, "ANGEST", ("Ångestlinjen",), (), ("ångest",), ("sv",), "Helsingfors", None)
ALL = (KRIISI, PERHE, KERHO, VANHA, ANGEST)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("facts", "now", "open_", "closes", "opens", "holiday"),
    [
        (PERHE, "2027-01-11 10:00", True, "2027-01-11 15:00", None, False),
        (PERHE, "2027-01-11 15:00", False, None, "2027-01-12 09:00", False),
        (PERHE, "2027-01-08 16:00", False, None, "2027-01-11 09:00", False),  # Friday evening: Monday
        (PERHE, "2027-01-06 10:00", False, None, "2027-01-07 09:00", True),  # Epiphany: shut
        (PERHE, "2026-12-24 08:00", False, None, "2026-12-28 09:00", True),  # Christmas Eve to Boxing Day
        (KRIISI, "2027-01-06 10:00", True, None, None, False),  # open on holidays, round the clock
        # Easter Sunday 2027 is also the night the clocks go forward; Easter Monday is a holiday too.
        (PERHE, "2027-03-28 09:30", False, None, "2027-03-30 09:00", True),
        (KERHO, "2027-03-30 10:30", True, "2027-03-30 12:00", None, False),  # after the clocks went forward
    ],
)
def test_a_service_is_open_now_or_says_when_it_next_opens(facts, now, open_, closes, opens, holiday):
    status = service_status(facts, at(now), HELSINKI, "FI")
    assert status.known and status.open is open_ and status.holiday is holiday
    assert status.closes_at == (at(closes) if closes else None)
    assert status.next_open_at == (at(opens) if opens else None)


def test_a_service_without_hours_is_neither_open_nor_closed():
    status = service_status(ANGEST, at("2027-01-11 10:00"), HELSINKI, "FI")
    assert not status.known and not status.open and status.next_open_at is None


@pytest.mark.parametrize(
    ("search", "codes"),
    [
        (Search(), ["ANGEST", "KERHO", "PERHE", "KRIISI"]),  # every active one, by name; never the retired
        (Search("kriisi"), ["KRIISI"]),
        (Search("KIRKON perhe"), ["KERHO", "PERHE"]),
        (Search("familjeradgivning"), ["PERHE"]),  # accents aside
        (Search("angest"), ["ANGEST"]),
        (Search("crisis line"), ["KRIISI"]),
        (Search(topic="Perhe"), ["KERHO", "PERHE"]),
        (Search(topic="perhe", area="espoo"), ["PERHE"]),
        (Search(language="sv"), ["ANGEST", "PERHE", "KRIISI"]),
        (Search("vanha"), []),
    ],
)
def test_a_search_finds_the_active_services_with_every_word_typed(search, codes):
    assert [facts.code for facts in find(ALL, search)] == codes


def test_the_map_offers_the_topics_languages_and_areas_of_active_services():
    topics, languages, areas = choices(ALL)
    assert topics == ["ahdistus", "ångest", "kriisi", "parisuhde", "perhe"]
    assert languages == ["en", "fi", "sv"]
    assert areas == ["Espoo", "Helsingfors", "Vantaa"]


@pytest.mark.parametrize(
    ("written", "code", "rest"),
    [
        ("KRIISI", "KRIISI", ""),
        ("kriisi soitin hänelle", "KRIISI", "soitin hänelle"),
        ("Krisjour", "KRIISI", ""),  # a start of its Swedish name
        ("kirkon perhen soitti", "PERHE", "soitti"),  # the longest start that fits one name
        ("kirkon perheneuvonta", "PERHE", ""),
        ("Ångest", "ANGEST", ""),
        ("perhe", "PERHE", ""),  # a code wins over a start of a name
    ],
)
def test_a_code_or_a_unique_start_of_a_name_means_one_service(written, code, rest):
    found = resolve(written, ALL)
    assert isinstance(found, Resolved) and (found.service.code, found.rest) == (code, rest)


def test_a_start_that_fits_several_names_or_none_resolves_to_nothing():
    ambiguous = resolve("kirkon", ALL)
    assert isinstance(ambiguous, NotResolved) and ambiguous.problem is Unresolved.AMBIGUOUS
    assert [facts.code for facts in ambiguous.candidates] == ["KERHO", "PERHE"]  # never the retired one
    assert resolve("vanha", ALL) == NotResolved(Unresolved.UNKNOWN, "vanha")
    assert resolve("  ", ALL) == NotResolved(Unresolved.EMPTY)


@pytest.mark.parametrize(("written", "code"), [("kriisi", "KRIISI"), (" Ruoka-apu ", "RUOKA-APU"), ("ä1", "Ä1"),
                                                ("a", None), ("two words", None), ("-x", None), ("x" * 21, None)])
def test_a_code_is_one_short_word_in_capitals(written, code):
    assert normalise_code(written) == code


ANSWERED = at("2027-01-11 10:00")
ENDED = at("2027-01-11 10:20")


@pytest.mark.parametrize(
    ("actor", "supervisor", "now", "refusal"),
    [
        (7, False, "2027-01-11 10:30", None),  # whoever answered, soon after
        (7, False, "2027-01-12 10:19", None),  # up to 24 hours after the call ended
        (7, False, "2027-01-12 10:20", WrapUpRefusal.TOO_LATE),
        (8, False, "2027-01-11 10:30", WrapUpRefusal.NOT_YOURS),
        (None, False, "2027-01-11 10:30", WrapUpRefusal.NOT_YOURS),  # a staff token for nobody
        (8, True, "2027-01-11 10:30", None),  # a supervisor may wrap up anyone's call
        (None, True, "2027-01-12 11:00", WrapUpRefusal.TOO_LATE),
    ],
)
def test_the_one_who_answered_or_a_supervisor_wraps_up_a_call_within_24_hours(actor, supervisor, now, refusal):
    assert wrap_up_refusal(answered_by_id=7, answered_at=ANSWERED, ended_at=ENDED, actor_staff_id=actor,
                           actor_is_supervisor=supervisor, now=at(now)) is refusal


def test_a_call_nobody_answered_has_nothing_to_wrap_up_and_a_call_still_going_counts_from_its_answer():
    assert wrap_up_refusal(answered_by_id=None, answered_at=None, ended_at=ENDED, actor_staff_id=7,
                           actor_is_supervisor=True, now=ENDED) is WrapUpRefusal.NOT_ANSWERED
    assert wrap_up_deadline(ANSWERED, None) == ANSWERED + timedelta(hours=24)
