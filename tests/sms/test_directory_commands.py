"""The map's SMS commands: DONE 12 REF <service> and WRAP <outcome> [<service>] [topic]."""
from __future__ import annotations

import pytest

from helpline.sms.commands import Command, CommandKind, ParseError, ParseProblem, parse_command

DONE, WRAP = CommandKind.DONE, CommandKind.WRAP


@pytest.mark.parametrize(
    ("text", "ref", "referral", "language"),
    [
        ("DONE 12 REF KRIISI", 12, "KRIISI", "en"),
        ("done #12 ref kriisi called her back", 12, "kriisi called her back", "en"),
        ("VALMIS 12 OHJAUS kirkon perhe", 12, "kirkon perhe", "fi"),
        ("valmis 12 lähete kriisi", 12, "kriisi", "fi"),
        ("KLAR 12 HÄNVISA krisjouren", 12, "krisjouren", "sv"),
        ("DONE REF kriisi", None, "kriisi", "en"),  # the sender's only open callback
        ("DONE 12 ref, KRIISI.", 12, "KRIISI", "en"),
    ],
)
def test_done_with_ref_names_the_service_the_caller_was_referred_to(text, ref, referral, language):
    assert parse_command(text) == Command(DONE, ref=ref, language=language, referral=referral)


def test_a_note_that_merely_starts_like_ref_stays_a_note():
    assert parse_command("DONE 12 referred to her doctor") == Command(DONE, ref=12, note="referred to her doctor",
                                                                      language="en")


def test_ref_without_a_service_is_a_mistake_the_reply_explains():
    assert parse_command("DONE 12 REF") == ParseError(ParseProblem.MISSING_SERVICE, "DONE 12 REF", None, "en", 12)


@pytest.mark.parametrize(
    ("text", "outcome", "rest", "language"),
    [
        ("WRAP resolved", "resolved", None, "en"),
        ("wrap: Resolved loneliness", "resolved", "loneliness", "en"),
        ("WRAP REFERRED PERHE family worries", "referred", "PERHE family worries", "en"),
        ("KIRJAA hoidettu yksinäisyys", "resolved", "yksinäisyys", "fi"),
        ("kirjaa ohjattu kriisi", "referred", "kriisi", "fi"),
        ("NOTERA löst", "resolved", None, "sv"),
        ("notera hänvisad krisjouren ångest", "referred", "krisjouren ångest", "sv"),
    ],
)
def test_wrap_gives_the_outcome_and_leaves_the_service_and_topic_to_the_directory(text, outcome, rest, language):
    assert parse_command(text) == Command(WRAP, note=rest, language=language, outcome=outcome)


@pytest.mark.parametrize(("text", "word"), [("WRAP", None), ("WRAP maybe", "maybe"), ("kirjaa 12", "12")])
def test_wrap_without_resolved_or_referred_is_a_mistake(text, word):
    parsed = parse_command(text)
    assert isinstance(parsed, ParseError) and parsed.problem is ParseProblem.BAD_OUTCOME and parsed.word == word
