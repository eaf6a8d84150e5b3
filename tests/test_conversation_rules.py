"""The pure rules of conversations by text: when words are forwarded, when the line answers by
itself, what a reply may be, and the REPLY command (helpline.callbacks.conversation_rules,
helpline.sms.commands)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpline.callbacks.conversation_rules import (
    FORWARD_BUNDLE, FORWARD_CAP, ReplyProblem, check_reply, closed_period, forward_due_at, guess_language,
)
from helpline.feedback.rules import read_score_reply, reads_as_answer
from helpline.rota.rules import ClosurePeriod, LineCalendar, WeeklySchedule
from helpline.sms.commands import Command, CommandKind, ParseError, ParseProblem, parse_command

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS_9_TO_15 = WeeklySchedule.from_rows((day, 9 * 60, 15 * 60) for day in range(5))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


def calendar(*closures: ClosurePeriod, weekly: WeeklySchedule = WEEKDAYS_9_TO_15) -> LineCalendar:
    return LineCalendar(timezone=HELSINKI, weekly=weekly, holiday_calendar="FI", closures=closures)


# --- forwarding -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("first", "due"), [
    ("2027-01-11 10:00:00", "2027-01-11 10:01:00"),  # a minute to gather the others
    ("2027-01-11 14:59:30", "2027-01-12 09:00:00"),  # the minute runs past closing: the next opening
    ("2027-01-15 20:00:00", "2027-01-18 09:00:00"),  # Friday night: Monday morning
    ("2027-01-06 12:00:00", "2027-01-07 09:00:00"),  # Epiphany (6 January) is a holiday
    ("2027-03-25 14:59:30", "2027-03-30 09:00:00"),  # Good Friday, the DST Sunday, Easter Monday
    ("2027-10-29 16:00:00", "2027-11-01 09:00:00"),  # over the autumn DST Sunday
])
def test_the_callers_texts_are_forwarded_a_minute_after_the_first_and_never_while_closed(first, due):
    assert forward_due_at(at(first), [], calendar()) == at(due)


def test_a_conversation_forwards_at_most_the_cap_in_an_hour_and_then_waits_for_room():
    first = at("2027-01-11 11:00")
    earlier = [at("2027-01-11 10:30") + timedelta(minutes=3 * n) for n in range(FORWARD_CAP)]
    assert forward_due_at(first, earlier, calendar()) == earlier[0] + timedelta(hours=1)
    assert forward_due_at(first, earlier[1:], calendar()) == first + FORWARD_BUNDLE


def test_forwarding_waits_through_a_closure():
    closure = ClosurePeriod(at("2027-01-11 10:30"), at("2027-01-11 13:00"), "staff training")
    assert forward_due_at(at("2027-01-11 10:29:30"), [], calendar(closure)) == at("2027-01-11 13:00")


# --- the automatic answer ------------------------------------------------------------------------------

def test_there_is_no_automatic_answer_while_the_line_is_open():
    assert closed_period(at("2027-01-11 10:00"), calendar()) is None


def test_one_closed_period_runs_from_closing_to_the_next_opening_and_is_named_by_it():
    evening, night, morning = at("2027-01-11 15:00"), at("2027-01-12 03:00"), at("2027-01-12 08:59")
    periods = {closed_period(moment, calendar()) for moment in (evening, night, morning)}
    assert len(periods) == 1
    [period] = periods
    assert period.opens_at == at("2027-01-12 09:00")
    assert closed_period(at("2027-01-12 15:30"), calendar()).opens_at == at("2027-01-13 09:00")


def test_a_line_with_no_office_hours_at_all_sends_no_automatic_answer():
    assert closed_period(at("2027-01-11 10:00"), calendar(weekly=WeeklySchedule.from_rows(()))) is None


def test_the_autumn_dst_night_is_one_closed_period():
    before, after = at("2027-10-31 02:30"), datetime(2027, 10, 31, 3, 30, fold=1, tzinfo=HELSINKI)
    assert closed_period(before, calendar()) == closed_period(after, calendar())


# --- replies ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "problem", "parts"), [
    ("", ReplyProblem.EMPTY, 1),
    ("   \n ", ReplyProblem.EMPTY, 1),
    ("a" * 459, None, 3),  # 3 × 153 GSM-7 septets
    ("a" * 460, ReplyProblem.TOO_LONG, 4),
    ("ä" * 459, None, 3),  # ä ö å are GSM-7
    ("{" * 228, None, 3),  # an extension character takes two septets, never split: 76 a part
    ("{" * 229, ReplyProblem.TOO_LONG, 4),
    ("😊" * 99, None, 3),  # two UCS-2 units each, never split: 33 a part
    ("😊" * 100, ReplyProblem.TOO_LONG, 4),
    ("Й" * 201, None, 3),  # 3 × 67 UCS-2 units
    ("Й" * 202, ReplyProblem.TOO_LONG, 4),
    ("’" * 459, None, 3),  # a curly apostrophe is sent as ' and stays GSM-7
])
def test_a_reply_may_take_three_segments_counted_as_it_is_sent(text, problem, parts):
    checked = check_reply(text)
    assert (checked.problem, checked.size.segments) == (problem, parts)


def test_a_reply_is_sent_as_written_trimmed_and_made_gsm7():
    assert check_reply("  Hei “Anna”, soitan klo 14–15 :)\n").body == 'Hei "Anna", soitan klo 14-15 :)'


@pytest.mark.parametrize(("text", "language"), [
    ("Hej, jag behöver prata med någon", "sv"),
    ("Hi, I need someone to talk to please", "en"),
    ("Hei, tarvitsen apua", "fi"),
    ("Moi", "fi"),
    ("?", None),
    ("ok", None),
])
def test_the_callers_language_is_guessed_only_when_the_words_say_so(text, language):
    assert guess_language(text) == language


# --- the REPLY command ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "expected"), [
    ("REPLY 12 Hello, I will call you at 2", Command(CommandKind.REPLY, 12, "Hello, I will call you at 2", "en")),
    ("VASTAA 12 Hei, soitan klo 14 :)", Command(CommandKind.REPLY, 12, "Hei, soitan klo 14 :)", "fi")),
    ("svara #5: Hej!\nVi hörs.", Command(CommandKind.REPLY, 5, "Hej!\nVi hörs.", "sv")),
    ("Vastaa 12 \"Hei\" ", Command(CommandKind.REPLY, 12, '"Hei"', "fi")),
    ("VASTAA Hei, kiitos viestistä", Command(CommandKind.REPLY, None, "Hei, kiitos viestistä", "fi")),
    ("VASTAA 12", Command(CommandKind.REPLY, 12, None, "fi")),
    ("Vastaa OK 12", Command(CommandKind.OK, 12)),  # copied from our own SMS: OK 12, never sent to the caller
    ("Svara KLAR 12", Command(CommandKind.DONE, 12, language="sv")),
])
def test_reply_keeps_the_text_as_written(body, expected):
    assert parse_command(body) == expected


def test_reply_with_a_bad_reference_says_so():
    error = parse_command("REPLY 12b hello")
    assert isinstance(error, ParseError) and error.problem is ParseProblem.BAD_REFERENCE and error.word == "12b"


# --- the feedback rules' part ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "has_score", "has_comment", "answer"), [
    ("5", False, False, True),
    ("4 kiitos", False, False, True),
    ("Kiitos, olitte ystävällisiä", False, False, False),  # no score: a message to the line
    ("5 sorry, I meant five", True, False, True),  # the first words after the score
    ("5", True, False, False),  # a second score counts for nothing: a message to the line
    ("and another thought", True, True, False),
    ("Tarvitsen taas apua", True, True, False),
])
def test_only_a_message_that_begins_with_a_score_and_adds_something_answers_the_feedback_question(
        body, has_score, has_comment, answer):
    assert reads_as_answer(read_score_reply(body), has_score, has_comment) is answer
