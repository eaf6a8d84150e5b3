"""The one catalogue: every text in Finnish, Swedish and English alike, every SMS within GSM-7."""
from __future__ import annotations

from datetime import datetime
from string import Formatter
from zoneinfo import ZoneInfo

import pytest

from helpline import texts
from helpline.directory.fields import NAME_MAX
from helpline.callbacks.conversation_rules import FORWARD_MAX_SEGMENTS, REPLY_MAX_SEGMENTS, room_for_reply
from helpline.queue.callback_sms import MAX_BUNDLE
from helpline.rota.rules import OpeningInterval, WeeklySchedule
from helpline.sms.gsm7 import is_gsm7, measure
from helpline.texts import times

HELSINKI = ZoneInfo("Europe/Helsinki")
LATE_THURSDAY = datetime(2027, 12, 30, 23, 59, tzinfo=HELSINKI)  # 'tors 30.12.': the longest short date
# Mornings and afternoons apart, and the weekend different: the longest opening hours in words.
SPLIT_WEEK = WeeklySchedule({**{day: (OpeningInterval(570, 720), OpeningInterval(780, 930)) for day in range(5)},
                             5: (OpeningInterval(600, 840),), 6: (OpeningInterval(720, 960),)})
FOREIGN = "+4915112345678"  # written '+49 1511 2345678': longer than any Finnish number
# Whole messages that may take two segments; every other SMS text fits one.
TWO_SEGMENTS = {"assignment", "reminder_many", "escalation", "unreachable"}
# A conversation's words travel in these; their composers cut the words to FORWARD_MAX_SEGMENTS.
CARRIES_WORDS = {"conversation_assignment", "forwarded"}
# The map of help's SMS that carry a service's name (up to NAME_MAX characters, which are not cut:
# a name cut short is no use to a caller, and staff must recognise it).
SERVICE_NAME_SEGMENTS = {
    # To a referred caller: a service's name, phone, web address and weekly hours in one SMS, so
    # that it can be kept and found again; at worst three segments (a 120-character name, a long
    # address and split opening hours), still far from the outbox's limit.
    "referral": 3,
    # Replies to staff naming the service (WRAP ... REFERRED, DONE ... REF) with a long name.
    "wrapped_up": 2, "closed_referred": 2,
    # The reply to DONE ... REF <start of a name> that fits several services: the written words
    # and up to five codes of up to 20 characters each.
    "ambiguous_service": 2,
}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(template) if field is not None}


def worst_case(language: str) -> dict[str, object]:
    """The longest value each placeholder of an SMS text carries in ``language``. A placeholder
    that another text fills ({when}, {message}, {hours}, ...) gets that text's longest rendering."""
    leaves: dict[str, object] = {
        "ref": 99999, "refs": ", ".join(f"#{99990 + i}" for i in range(6)), "count": 12,  # six open at once
        "number": "+49 1511 2345678", "e164": FOREIGN, "line": "+49 1511 2345678",
        "name": "Anna-Kaisa “Kaisu” Björklund-Äijälä",  # typographic quotes: made GSM-7 on the way out
        "url": "https://auttavapuhelin.seurakunta.example.fi/r/Zq3v9XkP2mLw8RtY4bNc6H",
        "word": "x" * 20,  # an unknown command word is echoed cut to 20 characters
        "when": times.call_time(LATE_THURSDAY, HELSINKI, language), "day": times.WEEKDAYS_SHORT[language][3],
        "date": times.short_date(LATE_THURSDAY, language), "clock": "23.59", "closes": "23.59", "opens": "23.59",
        "weekday": max(times.WEEKDAYS_ON[language], key=len), "hours": times.opening_hours(SPLIT_WEEK, language),
        "words": '"' + "x" * 160 + '"',  # one SMS's worth of a caller's words, quoted
        "max": REPLY_MAX_SEGMENTS, "room": room_for_reply("GSM-7"), "room_ucs2": room_for_reply("UCS-2"),
        # The map of help: a service's name at its longest, its codes (20 characters at most; an
        # unknown one is echoed cut to 20), a topic cut to 40 and a call of an hour.
        "service": "Kirkon perheasiain neuvottelukeskus ja kriisipäivystys – Espoon, Kauniaisten ja "
                   "Vantaan seurakuntayhtymät ry"[:NAME_MAX].ljust(NAME_MAX, "x"),
        "code": "X" * 20, "first": "X" * 20, "codes": ", ".join(["X" * 20] * 5), "topic": "x" * 40,
        "minutes": 600, "week": times.opening_hours(SPLIT_WEEK, language),
    }

    def piece(text_id: str) -> str:
        return texts.render("sms", text_id, language, **leaves)

    def longest(*text_ids: str) -> str:
        return max((piece(text_id) for text_id in text_ids), key=len)

    return {**leaves, "when": piece("called_times"), "previous": piece("previous"),
            "message": longest("message_link", "message_no_link", "no_message"),
            "ack": longest("acknowledged_state", "unacknowledged_state"),
            "promise": longest("promise_today", "promise_tomorrow", "promise_weekday", "promise_date", "promise_asap"),
            "from_line": piece("from_line"), "to_line": piece("to_line"), "hours": piece("hours"),
            "sms": longest("caller_texted", "caller_not_texted"),
            "channel": longest("channel_sms", "channel_chat", "channel_voice"),
            "items": ", ".join(f"#{99990 + i} (+49 1511 2345678)" for i in range(MAX_BUNDLE)),
            # The map of help's pieces, at their longest.
            "service_phone": piece("referral_phone"), "service_url": piece("referral_url"),
            "service_hours": piece("referral_hours"), "length": piece("length"),
            "outcome": longest("wrap_resolved", "wrap_referred"), "to_service": piece("to_service"),
            "with_topic": piece("with_topic"), "more": piece("more_to_wrap"),
            "details": longest("caller_got_details", "caller_no_details")}


@pytest.mark.parametrize(("channel", "text_id"),
                         [(channel, text_id) for channel, table in texts.CATALOGUE.items() for text_id in table],
                         ids=lambda value: value)
def test_every_text_is_in_finnish_swedish_and_english_and_every_sms_fits_gsm7(channel, text_id):
    translations = texts.CATALOGUE[channel][text_id]
    assert tuple(translations) == texts.LANGUAGES
    assert {language: placeholders(template) for language, template in translations.items()} == {
        language: placeholders(translations["fi"]) for language in texts.LANGUAGES}
    if channel != "sms":
        return
    for language, template in translations.items():
        assert is_gsm7(template), (language, template)  # our own words never lean on gsm7_safe
        size = measure(texts.sms(text_id, language, **worst_case(language)))
        limit = FORWARD_MAX_SEGMENTS if text_id in CARRIES_WORDS else 2 if text_id in TWO_SEGMENTS else \
            SERVICE_NAME_SEGMENTS.get(text_id, 1)
        assert size.encoding == "GSM-7" and size.segments <= limit, (language, size)


def test_the_weekday_and_month_names_are_there_once_for_each_language():
    for names, count in ((times.WEEKDAYS_SHORT, 7), (times.WEEKDAYS_ON, 7), (times.MONTHS, 12)):
        assert tuple(names) == texts.LANGUAGES and all(len(set(names[code])) == count for code in names)


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [((None, "sv"), "sv"), (("en", "fi"), "en"), (("de",), "fi"), ((), "fi"), ((None, None), "fi")],
)
def test_a_message_goes_out_in_the_first_language_the_line_speaks(preferences, expected):
    assert texts.pick_language(*preferences) == expected


def test_an_sms_text_id_stands_in_one_table_only():
    from helpline.texts.conversation_table import CONVERSATION_SMS
    from helpline.texts.directory_table import DIRECTORY_SMS
    from helpline.texts.sms_table import SMS

    assert not SMS.keys() & CONVERSATION_SMS.keys()
    assert not SMS.keys() & DIRECTORY_SMS.keys()
    assert not CONVERSATION_SMS.keys() & DIRECTORY_SMS.keys()
    assert len(texts.CATALOGUE["sms"]) == len(SMS) + len(CONVERSATION_SMS) + len(DIRECTORY_SMS)
