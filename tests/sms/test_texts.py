"""What the line's SMS say to staff, supervisors and callers, and what they cost to send."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from helpline.sms import texts as sms_text
from helpline.callbacks.promise import CallbackPromise, PromiseKind
from helpline.rota.rules import OpeningInterval, WeeklySchedule
from helpline.sms.catalogue import TEXTS
from helpline.sms.commands import Command, CommandKind, TargetError, TargetProblem, parse_command
from helpline.sms.texts import CallbackFacts, Refusal

HELSINKI = ZoneInfo("Europe/Helsinki")
LINE = "+358931234567"
LINK = "https://helpline.example.org/r/Zq3v9XkP2mLw8RtY4bNc6HdJ1sFg7AeU"  # our link, as long as a real one
LANGUAGES = ("fi", "sv", "en")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


TYPICAL = CallbackFacts(ref=12, caller="+358401234567", called_at=at("2027-01-11 10:05"), has_message=True,
                        listen_url=LINK)


def weekly(days: dict[int, list[tuple[int, int]]]) -> WeeklySchedule:
    return WeeklySchedule({day: tuple(OpeningInterval(*span) for span in spans) for day, spans in days.items()})


OFFICE = weekly({day: [(540, 900)] for day in range(5)})


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
    ("compose", "language", "expected"),
    [
        (sms_text.acknowledged, "fi", "Kuitattu #12. Kun asia on hoidettu, vastaa VALMIS 12."),
        (sms_text.acknowledged, "sv", "Kvitterad #12. När den är klar, svara KLAR 12."),
        (sms_text.closed, "en", "Callback #12 closed. Thank you!"),
        (sms_text.closed, "fi", "Soittopyyntö #12 suljettu. Kiitos!"),
        (sms_text.passed, "sv", "Återuppringning #12 lämnad tillbaka, den går till någon annan i tjänst."),
        (sms_text.calling, "en", "The line is calling you now to connect you to #12. They see the line's number."),
    ],
)
def test_each_command_gets_a_short_confirmation(compose, language, expected):
    assert compose(12, language) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_lists_every_command_in_one_segment(language):
    text = sms_text.help_text(language)
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
    ("reason", "language", "expected"),
    [
        (Refusal.NOT_FOUND, "fi", "Soittopyyntöä #99 ei löydy."),
        (Refusal.ALREADY_CLOSED, "sv", "Återuppringning #99 är redan stängd."),
        (Refusal.NOT_YOURS, "en", "Callback #99 is assigned to someone else."),
    ],
)
def test_a_command_about_a_callback_that_cannot_be_changed_is_refused_in_words(reason, language, expected):
    assert sms_text.refusal(reason, 99, language) == expected


# --- times and the caller ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        ("2027-01-11 10:05", "fi", "ma 11.1. klo 10.05"),
        ("2027-01-11 09:00", "sv", "mån 11.1. kl. 9.00"),
        ("2027-01-17 23:59", "en", "Sun 17 Jan 23:59"),
        ("2027-03-28 04:30", "fi", "su 28.3. klo 4.30"),  # the morning the clocks went forward
        ("2027-12-06 12:00", "de", "ma 6.12. klo 12.00"),  # an unknown language falls back to Finnish
    ],
)
def test_a_calls_time_is_written_the_local_way(moment, language, expected):
    assert sms_text.call_time(at(moment), HELSINKI, language) == expected


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


@pytest.mark.parametrize(
    ("schedule", "language", "expected"),
    [
        (OFFICE, "fi", "ma-pe 9-15"),
        (weekly({**{day: [(540, 900)] for day in range(5)}, 5: [(600, 840)]}), "sv", "mån-fre 9-15, lör 10-14"),
        (weekly({day: [(540, 720), (780, 900)] for day in range(5)}), "fi", "ma-pe 9-12 ja 13-15"),
        (weekly({0: [(570, 900)], 2: [(570, 900)]}), "en", "Mon 9:30-15, Wed 9:30-15"),
        (weekly({0: [(540, 900)], 1: [(540, 900)], 2: [(540, 960)], 3: [(540, 900)]}), "fi",
         "ma-ti 9-15, ke 9-16, to 9-15"),
        (weekly({}), "fi", ""),
    ],
)
def test_opening_hours_are_summarised_in_a_few_words(schedule, language, expected):
    assert sms_text.opening_hours(schedule, language) == expected


def test_an_unreachable_caller_gets_the_number_and_the_opening_hours():
    text = sms_text.caller_unreachable(OFFICE, "fi", LINE)
    assert "emme tavoittaneet" in text and "09 31234567" in text and text.endswith("päivystämme ma-pe 9-15.")
    assert sms_text.caller_unreachable(weekly({}), "en", None) == (
        "We tried to call you back but could not reach you. You are welcome to call us again.")


# --- the catalogue ---------------------------------------------------------------------------------


def test_every_text_exists_in_finnish_swedish_and_english_and_is_gsm7():
    for key, translations in TEXTS.items():
        assert set(translations) == set(LANGUAGES), key
        for language, template in translations.items():
            assert sms_text.is_gsm7(template), (key, language, template)


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [((None, "sv"), "sv"), (("en", "fi"), "en"), (("de",), "fi"), ((), "fi"), ((None, None), "fi")],
)
def test_a_message_goes_out_in_the_first_language_the_line_speaks(preferences, expected):
    assert sms_text.pick_language(*preferences) == expected


def test_a_command_word_in_swedish_outranks_a_finnish_speakers_profile():
    command = parse_command("KLAR 12")
    assert isinstance(command, Command) and command.kind is CommandKind.DONE
    assert sms_text.closed(12, sms_text.pick_language(command.language, "fi")) == "Återuppringning #12 stängd. Tack!"
