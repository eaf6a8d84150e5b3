"""What staff members text to the shared number, and what the line understands from it."""
from __future__ import annotations

import pytest

from helpline.sms.commands import (
    COMMAND_WORDS,
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    Command,
    CommandKind,
    ParseError,
    ParseProblem,
    TargetError,
    TargetProblem,
    parse_command,
    resolve_reference,
)

OK, DONE, PASS, HELP, CALL, STOP, START = (
    CommandKind.OK, CommandKind.DONE, CommandKind.PASS, CommandKind.HELP, CommandKind.CALL,
    CommandKind.STOP, CommandKind.START,
)


@pytest.mark.parametrize(
    ("text", "kind", "ref", "note", "language"),
    [
        # The contract's own forms, in any case, with or without '#'.
        ("OK 12", OK, 12, None, None),
        ("ok #12", OK, 12, None, None),
        ("Ok #12.", OK, 12, None, None),
        ("  OK   12  ", OK, 12, None, None),
        ("OK#12", OK, 12, None, None),
        ("ok12", OK, 12, None, None),
        ("OK # 12", OK, 12, None, None),
        ("OK, 12", OK, 12, None, None),
        ("OK: #012", OK, 12, None, None),
        ("OK", OK, None, None, None),
        ("ok.", OK, None, None, None),
        ("Ok!", OK, None, None, None),
        ("okei 5", OK, 5, None, None),
        ("Kuittaus 12", OK, 12, None, "fi"),
        ("selvä #12", OK, 12, None, "fi"),
        ("SELVA 12", OK, 12, None, "fi"),
        ("kvittera 12", OK, 12, None, "sv"),
        ("OK 12 soitan kohta", OK, 12, "soitan kohta", None),
        ("DONE 12", DONE, 12, None, "en"),
        ("done #12 called back, all fine", DONE, 12, "called back, all fine", "en"),
        ("VALMIS 12", DONE, 12, None, "fi"),
        ("Valmis #12 soitettu, kaikki hyvin", DONE, 12, "soitettu, kaikki hyvin", "fi"),
        ("valmis #12 - ohjattu diakonille", DONE, 12, "ohjattu diakonille", "fi"),
        ("Valmis #12 – soitin, kaikki hyvin", DONE, 12, "soitin, kaikki hyvin", "fi"),
        ("“Valmis #12 soitin”", DONE, 12, "soitin", "fi"),
        ("hoidettu 7", DONE, 7, None, "fi"),
        ("KLAR 12", DONE, 12, None, "sv"),
        ("klar #12 ringde upp, allt bra", DONE, 12, "ringde upp, allt bra", "sv"),
        ("Färdig 3", DONE, 3, None, "sv"),
        ("FARDIG 3", DONE, 3, None, "sv"),
        ("DONE 12 13 kertaa yritetty", DONE, 12, "13 kertaa yritetty", "en"),
        ("DONE: 12", DONE, 12, None, "en"),
        ("VALMIS\n#12\nsoitin\ntakaisin", DONE, 12, "soitin takaisin", "fi"),
        ("valmis soitin jo", DONE, None, "soitin jo", "fi"),
        ("PASS 12", PASS, 12, None, "en"),
        ("pass #12 sairastuin", PASS, 12, "sairastuin", "en"),
        ("Ohita 12", PASS, 12, None, "fi"),
        ("palauta #4", PASS, 4, None, "fi"),
        ("PASSA 12", PASS, 12, None, "sv"),
        ("lämna 12", PASS, 12, None, "sv"),
        ("CALL 12", CALL, 12, None, "en"),
        ("soita #12", CALL, 12, None, "fi"),
        ("Ring 12", CALL, 12, None, "sv"),
        ("soita", CALL, None, None, "fi"),
        ("HELP", HELP, None, None, None),
        ("help me please", HELP, None, None, None),
        ("?", HELP, None, None, None),
        ("Apua", HELP, None, None, "fi"),
        ("OHJE", HELP, None, None, "fi"),
        ("hjälp", HELP, None, None, "sv"),
        ("(OK 12)", OK, 12, None, None),
        ("* ok 12", OK, 12, None, None),
    ],
)
def test_staff_commands_are_understood_in_the_ways_people_type_them(text, kind, ref, note, language):
    assert parse_command(text) == Command(kind, ref=ref, note=note, language=language)


@pytest.mark.parametrize("word", OPT_OUT_WORDS)
def test_twilio_opt_out_words_alone_stop_the_sms(word):
    for text in (word, word.lower(), f"  {word.title()}. "):
        assert parse_command(text) == Command(STOP)


@pytest.mark.parametrize("word", OPT_IN_WORDS)
def test_twilio_opt_in_words_alone_start_the_sms_again(word):
    for text in (word, word.lower(), f" {word.title()}!"):
        assert parse_command(text) == Command(START)


@pytest.mark.parametrize("text", ["STOP 12", "stop please", "please stop", "yes 12", "start now"])
def test_an_opt_out_word_inside_a_longer_message_is_not_an_opt_out_as_twilio_does_not_block_it(text):
    result = parse_command(text)
    assert isinstance(result, ParseError)
    assert result.problem is ParseProblem.UNKNOWN_COMMAND


@pytest.mark.parametrize(
    ("text", "problem", "word", "language"),
    [
        ("", ParseProblem.EMPTY, None, None),
        ("   \n ", ParseProblem.EMPTY, None, None),
        (None, ParseProblem.EMPTY, None, None),
        ("!!!", ParseProblem.EMPTY, None, None),
        ("Hei, soitin jo", ParseProblem.UNKNOWN_COMMAND, "Hei", None),
        ("Soitan kohta", ParseProblem.UNKNOWN_COMMAND, "Soitan", None),
        ("KUITTAAN 12", ParseProblem.UNKNOWN_COMMAND, "KUITTAAN", None),
        ("👍", ParseProblem.EMPTY, None, None),
        ("#12 OK", ParseProblem.MISSING_COMMAND, "#12", None),
        ("12", ParseProblem.MISSING_COMMAND, "12", None),
        ("#12", ParseProblem.MISSING_COMMAND, "#12", None),
        ("OK #abc", ParseProblem.BAD_REFERENCE, "#abc", None),
        ("valmis 12b", ParseProblem.BAD_REFERENCE, "12b", "fi"),
        ("klar #0", ParseProblem.BAD_REFERENCE, "#0", "sv"),
        ("OK 99999999999", ParseProblem.BAD_REFERENCE, "99999999999", None),
        ("OK 12 13", ParseProblem.SEVERAL_REFERENCES, "13", None),
        ("done #12, #13.", ParseProblem.SEVERAL_REFERENCES, "#13", "en"),
        ("valmis 12 ja 13", ParseProblem.SEVERAL_REFERENCES, "ja 13", "fi"),
    ],
)
def test_a_message_that_is_not_a_command_says_what_is_wrong(text, problem, word, language):
    result = parse_command(text)
    assert isinstance(result, ParseError)
    assert (result.problem, result.word, result.language) == (problem, word, language)


def test_several_references_keeps_the_first_one_for_the_reply():
    result = parse_command("OK 12 13")
    assert isinstance(result, ParseError) and result.ref == 12


def test_no_command_word_is_both_a_command_and_an_opt_out_keyword():
    command_words = {word.casefold() for _, _, words in COMMAND_WORDS for word in words}
    keywords = {word.casefold() for word in OPT_OUT_WORDS + OPT_IN_WORDS}
    assert not command_words & keywords


def test_every_command_has_a_finnish_and_a_swedish_word_and_done_has_valmis_and_klar():
    languages: dict[CommandKind, set[str]] = {}
    for kind, language, _ in COMMAND_WORDS:
        languages.setdefault(kind, set()).add(language or "any")
    for kind in (OK, DONE, PASS, HELP, CALL):
        assert {"fi", "sv"} <= languages[kind], kind
    assert parse_command("VALMIS 1").kind is DONE and parse_command("KLAR 1").kind is DONE


@pytest.mark.parametrize(
    ("command", "open_refs", "expected"),
    [
        (Command(OK, ref=12), [], 12),
        (Command(OK, ref=12), [3, 4], 12),
        (Command(OK), [7], 7),
        (Command(DONE), [], TargetError(TargetProblem.NONE_OPEN)),
        (Command(PASS), [9, 4], TargetError(TargetProblem.AMBIGUOUS, (4, 9))),
    ],
)
def test_a_command_without_a_reference_means_the_senders_only_open_callback(command, open_refs, expected):
    assert resolve_reference(command, open_refs) == expected
