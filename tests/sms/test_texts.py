"""What the line's SMS say to staff, supervisors and callers, and what they cost to send.

The texts that are one template filled are rendered straight from the catalogue
(``texts.sms(text_id, ...)``); the others are composed by helpline.sms.texts."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from helpline import texts
from helpline.sms import texts as sms_text
from helpline.callbacks.promise import CallbackPromise, PromiseKind
from helpline.sms.commands import Command, CommandKind, TargetError, TargetProblem, parse_command
from helpline.sms.texts import CallbackFacts
from tests.texts.conftest import HELSINKI, OFFICE, at, weekly

LINE = "+358931234567"
LINK = "https://helpline.example.org/r/Zq3v9XkP2mLw8RtY4bNc6HdJ1sFg7AeU"  # our link, as long as a real one
LANGUAGES = ("fi", "sv", "en")

TYPICAL = CallbackFacts(ref=12, caller="+358401234567", called_at=at("2027-01-11 10:05"), has_message=True,
                        listen_url=LINK)


# --- the assignee's SMS --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "when", "commands"),
    [
        ("fi", "soitti ma 11.1. klo 10.05", "Vastaa OK 12 / VALMIS 12 / OHITA 12 / SOITA 12"),
        ("sv", "ringde mån 11.1. kl. 10.05", "Svara OK 12 / KLAR 12 / PASSA 12 / RING 12"),
        ("en", "called Mon 11 Jan 10:05", "Reply OK 12 / DONE 12 / PASS 12 / CALL 12"),
    ],
)
def test_the_assignee_gets_number_time_reference_link_and_commands_in_two_gsm7_segments(language, when, commands):
    text = sms_text.assignment(TYPICAL, HELSINKI, language)
    for part in ("#12", "040 1234567", "(+358401234567)", when, LINK, commands):
        assert part in text, (part, text)
    size = sms_text.measure(text)
    assert size.encoding == "GSM-7"
    assert size.segments <= 2


def test_the_time_of_the_call_is_local_whatever_zone_it_is_stored_in():
    summer = CallbackFacts(3, "+358401234567", datetime(2027, 6, 14, 7, 5, tzinfo=timezone.utc))
    winter = CallbackFacts(3, "+358401234567", datetime(2027, 1, 11, 8, 5, tzinfo=timezone.utc))
    assert "ma 14.6. klo 10.05" in sms_text.assignment(summer, HELSINKI)
    assert "ma 11.1. klo 10.05" in sms_text.assignment(winter, HELSINKI)


@pytest.mark.parametrize(
    ("facts", "language", "expected", "absent"),
    [
        (CallbackFacts(4, "+358401234567", at("2027-01-11 10:05")), "fi", "Ei viestiä.", "http"),
        (CallbackFacts(4, "+358401234567", at("2027-01-11 10:05")), "en", "No message.", "http"),
        (CallbackFacts(4, "+358401234567", at("2027-01-11 10:05"), has_message=True), "fi", "Jätti viestin.", "http"),
        (CallbackFacts(4, "+358401234567", at("2027-01-11 10:05"), call_count=3), "fi",
         "soitti 3 kertaa, viimeksi ma 11.1. klo 10.05", "Viesti:"),
        (CallbackFacts(4, "+358401234567", at("2027-01-11 10:05"), call_count=3), "sv",
         "ringde 3 gånger, senast mån 11.1. kl. 10.05", "Meddelande:"),
        (CallbackFacts(4, "+46701234567", at("2027-01-11 10:05")), "en", "+46 70 123 45 67 (+46701234567)", "http"),
    ],
)
def test_the_assignee_is_told_plainly_whether_there_is_a_message(facts, language, expected, absent):
    text = sms_text.assignment(facts, HELSINKI, language)
    assert expected in text
    assert absent not in text


def test_a_handed_over_callback_names_who_had_it_and_stays_gsm7_with_a_typographic_name():
    text = sms_text.assignment(TYPICAL, HELSINKI, "fi", previous="Zoë “Zo” Ärlig")
    assert text.startswith('Siirretty sinulle, ed. Zoe "Zo" Ärlig. Soittopyyntö #12')
    assert sms_text.is_gsm7(text) and sms_text.segments(text) <= 2
    told = sms_text.handed_over(TYPICAL, "Bertil", "sv")
    assert "#12" in told and "Bertil" in told and "ditt pass tog slut" in told


def test_reminders_due_together_go_in_one_sms_naming_each_reference():
    second = CallbackFacts(15, "+358501234567", at("2027-01-11 11:00"))
    text = sms_text.reminder([TYPICAL, second], "fi")
    assert "#12 (040 1234567), #15 (050 1234567)" in text
    assert sms_text.segments(text) == 1
    single = sms_text.reminder([TYPICAL], "en")
    assert single.startswith("Reminder: callback #12 (040 1234567) is still open") and "DONE 12" in single
    with pytest.raises(ValueError):
        sms_text.reminder([], "fi")


@pytest.mark.parametrize(
    ("assignee", "acknowledged", "language", "expected"),
    [
        ("Aino", False, "fi", "3 muistutuksen jälkeen. Vastuussa: Aino, ei kuitattu."),
        ("Aino", True, "sv", "efter 3 påminnelser. Ansvarig: Aino, kvitterad."),
        (None, False, "en", "after 3 reminders. Assigned to nobody, not acknowledged."),
    ],
)
def test_supervisors_hear_which_callback_is_overdue_and_whose_it_is(assignee, acknowledged, language, expected):
    text = sms_text.escalation(TYPICAL, HELSINKI, language, assignee=assignee, reminders_sent=3,
                               acknowledged=acknowledged)
    assert "#12" in text and "040 1234567" in text and text.endswith(expected)
    assert sms_text.segments(text) == 1


def test_supervisors_hear_when_a_staff_member_opts_out():
    text = sms_text.opt_out_alert("Aino Virtanen", "+358401110001", "fi")
    assert "Aino Virtanen (040 1110001)" in text and "STOP" in text and "START" in text


# --- replies to commands -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_id", "language", "expected"),
    [
        ("acknowledged", "fi", "Kuitattu #12. Kun asia on hoidettu, vastaa VALMIS 12."),
        ("acknowledged", "sv", "Kvitterad #12. När den är klar, svara KLAR 12."),
        ("closed", "en", "Callback #12 closed. Thank you!"),
        ("closed", "fi", "Soittopyyntö #12 suljettu. Kiitos!"),
        ("passed", "sv", "Återuppringning #12 lämnad tillbaka, den går till någon annan i tjänst."),
        ("calling", "en", "The line is calling you now to connect you to #12. They see the line's number."),
    ],
)
def test_each_command_gets_a_short_confirmation(text_id, language, expected):
    assert texts.sms(text_id, language, ref=12) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_lists_every_command_in_one_segment(language):
    text = texts.sms("help", language)
    assert sms_text.segments(text) == 1 and sms_text.is_gsm7(text)
    words = {"fi": ("OK", "VALMIS", "OHITA", "SOITA"), "sv": ("OK", "KLAR", "PASSA", "RING"),
             "en": ("OK", "DONE", "PASS", "CALL")}[language]
    assert all(f"{word} 12" in text for word in words)


@pytest.mark.parametrize(
    ("message", "staff_language", "expected"),
    [
        ("Hei, soitin jo", "fi", 'En tunne komentoa "Hei". Kirjoita esim. OK 12, VALMIS 12, OHITA 12 tai APUA.'),
        ("Hej", "sv", 'Okänt kommando "Hej". Skriv t.ex. OK 12, KLAR 12, PASSA 12 eller HJÄLP.'),
        ("", "en", "The message had no command. Write e.g. OK 12, DONE 12, PASS 12 or HELP."),
        ("#34 ok", "fi", "Kirjoita komento ennen numeroa, esim. OK 34 tai VALMIS 34."),
        ("ok #abc", "en", '"#abc" is not a callback number. Write e.g. OK 12 or OK #12.'),
        ("OK 12 13", "fi", "Yksi numero viestiä kohden, esim. VALMIS 12. Lähetä muille omat viestit."),
        # The reply follows the language of the command word when it tells one.
        ("klar #x", "fi", '"#x" är inget nummer på en återuppringning. Skriv t.ex. OK 12 eller OK #12.'),
        ("valmis 3b", "en", '"3b" ei ole soittopyynnön numero. Kirjoita esim. OK 12 tai OK #12.'),
    ],
)
def test_a_message_that_is_not_a_command_gets_what_went_wrong_and_how_to_write_it(message, staff_language,
                                                                                    expected):
    assert sms_text.parse_error(parse_command(message), staff_language) == expected


def test_an_unknown_word_is_echoed_only_briefly():
    text = sms_text.parse_error(parse_command("Pitkä" + "a" * 500), "fi")
    assert sms_text.segments(text) == 1


@pytest.mark.parametrize(
    ("error", "language", "expected"),
    [
        (TargetError(TargetProblem.NONE_OPEN), "fi", "Sinulla ei ole avoimia soittopyyntöjä."),
        (TargetError(TargetProblem.AMBIGUOUS, (4, 9)), "en",
         "You have several open: #4, #9. Add the number, e.g. OK 4."),
    ],
)
def test_a_command_without_a_reference_that_fits_no_single_callback_is_explained(error, language, expected):
    assert sms_text.target_error(error, language) == expected


@pytest.mark.parametrize(
    ("text_id", "language", "expected"),
    [
        ("error_not_found", "fi", "Soittopyyntöä #99 ei löydy."),
        ("error_already_closed", "sv", "Återuppringning #99 är redan stängd."),
        ("error_not_yours", "en", "Callback #99 is assigned to someone else."),
    ],
)
def test_a_command_about_a_callback_that_cannot_be_changed_is_refused_in_words(text_id, language, expected):
    assert texts.sms(text_id, language, ref=99) == expected


# --- times and the caller ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("promise", "language", "expected"),
    [
        (CallbackPromise(PromiseKind.TODAY, at("2027-01-11 10:00"), at("2027-01-11 15:00")), "fi",
         "tänään ennen klo 15.00"),
        (CallbackPromise(PromiseKind.TODAY, at("2027-01-11 10:00"), at("2027-01-11 15:00")), "en",
         "today before 15:00"),
        (CallbackPromise(PromiseKind.TOMORROW, at("2027-01-12 09:00"), at("2027-01-12 15:00")), "sv",
         "i morgon efter kl. 9.00"),
        (CallbackPromise(PromiseKind.WEEKDAY, at("2027-01-18 09:00"), at("2027-01-18 15:00")), "fi",
         "maanantaina klo 9.00 jälkeen"),
        (CallbackPromise(PromiseKind.WEEKDAY, at("2027-01-18 09:00"), at("2027-01-18 15:00")), "sv",
         "på måndag efter kl. 9.00"),
        (CallbackPromise(PromiseKind.WEEKDAY, at("2027-01-18 09:00"), at("2027-01-18 15:00")), "en",
         "on Monday after 9:00"),
        (CallbackPromise(PromiseKind.DATE, at("2027-08-02 09:00"), at("2027-08-02 15:00")), "fi",
         "ma 2.8. klo 9.00 jälkeen"),
        (CallbackPromise(PromiseKind.DATE, at("2027-08-02 09:00"), at("2027-08-02 15:00")), "en",
         "on Mon 2 Aug after 9:00"),
        (CallbackPromise(PromiseKind.ASAP), "sv", "så snart vi kan"),
    ],
)
def test_the_callers_promise_reads_naturally_in_each_language(promise, language, expected):
    assert sms_text.promise_text(promise, language) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_caller_is_told_when_to_expect_the_call_and_from_which_number_in_one_sms(language):
    promise = CallbackPromise(PromiseKind.TODAY, at("2027-01-11 10:00"), at("2027-01-11 15:00"))
    text = sms_text.caller_confirmation(promise, language, LINE)
    assert sms_text.promise_text(promise, language) in text and "09 31234567" in text
    assert sms_text.segments(text) == 1 and sms_text.is_gsm7(text)


def test_an_unreachable_caller_gets_the_number_and_the_opening_hours():
    text = sms_text.caller_unreachable(OFFICE, "fi", LINE)
    assert "emme tavoittaneet" in text and "09 31234567" in text and text.endswith("päivystämme ma-pe 9-15.")
    assert sms_text.caller_unreachable(weekly({}), "en", None) == (
        "We tried to call you back but could not reach you. You are welcome to call us again.")


def test_a_command_word_in_swedish_outranks_a_finnish_speakers_profile():
    command = parse_command("KLAR 12")
    assert isinstance(command, Command) and command.kind is CommandKind.DONE
    assert texts.sms("closed", texts.pick_language(command.language, "fi"), ref=12) == "Återuppringning #12 stängd. Tack!"
