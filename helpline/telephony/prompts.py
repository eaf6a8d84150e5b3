"""What callers and staff hear, in Finnish, Swedish and English, and the voice that says it.

Texts only: which of them a call plays is decided in helpline.inbound and composed into TwiML
in helpline.telephony.twiml. Voices are Amazon Polly neural voices that Twilio offers; each
language's ``language`` attribute is the matching BCP 47 tag.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

log = logging.getLogger(__name__)

# Digits of the language menu. Fixed per language, so a caller who learnt "2 for Swedish" keeps it
# whatever else the line offers.
MENU_DIGITS = {"fi": "1", "sv": "2", "en": "3"}


@dataclass(frozen=True)
class Prompts:
    code: str
    voice: str
    language: str  # BCP 47, the <Say language> attribute
    greeting: str
    emergency: str
    menu: str  # "for Swedish, press 2", said in this language
    connecting: str
    nobody_answered: str
    closed: str
    closed_holiday: str
    closed_closure: str
    next_open: str  # with {when}
    leave_message: str
    callback_soon: str
    thanks_message: str
    thanks_call: str
    withheld: str
    withheld_try_again: str
    apology: str
    screen: str
    screen_language: str  # with {language}: the caller chose a language other than the default
    language_names: dict[str, str]
    spoken_time: Callable[[datetime, datetime], str]  # (when, now), both in the line's zone

    @property
    def menu_digit(self) -> str:
        return MENU_DIGITS[self.code]

    def when(self, moment: datetime, now: datetime) -> str:
        """When the line opens, as a person would say it: "maanantaina kello 9"."""
        return self.spoken_time(moment, now.astimezone(moment.tzinfo))

    def closed_because(self, reason: str) -> str:
        if reason.startswith("public holiday"):
            return self.closed_holiday
        if reason.startswith("closed:"):
            return self.closed_closure
        return self.closed


def _days_ahead(moment: datetime, now: datetime) -> int:
    return (moment.date() - now.date()).days


def _clock(moment: datetime, separator: str) -> str:
    return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}{separator}{moment.minute:02d}"


_FI_WEEKDAYS = ("maanantaina", "tiistaina", "keskiviikkona", "torstaina", "perjantaina", "lauantaina",
                "sunnuntaina")
_FI_MONTHS = ("tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
              "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta")


def _finnish_time(moment: datetime, now: datetime) -> str:
    days = _days_ahead(moment, now)
    clock = f"kello {_clock(moment, '.')}"
    if days == 0:
        return f"tänään {clock}"
    if days == 1:
        return f"huomenna {clock}"
    weekday = _FI_WEEKDAYS[moment.weekday()]
    if days < 7:
        return f"{weekday} {clock}"
    return f"{weekday} {moment.day}. {_FI_MONTHS[moment.month - 1]} {clock}"


_SV_WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_SV_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
              "oktober", "november", "december")


def _swedish_time(moment: datetime, now: datetime) -> str:
    days = _days_ahead(moment, now)
    clock = f"klockan {_clock(moment, '.')}"
    if days == 0:
        return f"i dag {clock}"
    if days == 1:
        return f"i morgon {clock}"
    weekday = _SV_WEEKDAYS[moment.weekday()]
    if days < 7:
        return f"på {weekday} {clock}"
    return f"{weekday} den {moment.day} {_SV_MONTHS[moment.month - 1]} {clock}"


_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


def _english_time(moment: datetime, now: datetime) -> str:
    days = _days_ahead(moment, now)
    hour12 = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    clock = f"at {hour12}" + (f":{moment.minute:02d}" if moment.minute else "") + f" {suffix}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    weekday = _EN_WEEKDAYS[moment.weekday()]
    if days < 7:
        return f"on {weekday} {clock}"
    return f"on {weekday} {moment.day} {_EN_MONTHS[moment.month - 1]} {clock}"


FINNISH = Prompts(
    code="fi",
    voice="Polly.Suvi-Neural",
    language="fi-FI",
    greeting="Tervetuloa kirkon auttavaan puhelimeen.",
    emergency="Jos olet välittömässä vaarassa, soita hätänumeroon 112.",
    menu="Suomeksi, paina 1.",
    connecting="Yhdistämme sinut päivystäjälle. Hetkinen, ole hyvä.",
    nobody_answered="Valitettavasti kukaan ei juuri nyt ehtinyt vastata.",
    closed="Auttava puhelin on nyt suljettu.",
    closed_holiday="Tänään on pyhäpäivä, ja auttava puhelin on suljettu.",
    closed_closure="Auttava puhelin on tänään poikkeuksellisesti suljettu.",
    next_open="Olemme taas avoinna {when}.",
    leave_message=("Jätä äänimerkin jälkeen nimesi ja lyhyesti asiasi, niin soitamme sinulle takaisin. "
                   "Lopuksi paina risuaitaa tai sulje puhelin."),
    callback_soon="Soitamme sinulle takaisin niin pian kuin mahdollista.",
    thanks_message="Kiitos viestistäsi. Soitamme sinulle takaisin. Näkemiin.",
    thanks_call="Kiitos soitostasi. Näkemiin.",
    withheld="Numerosi ei näy meille, joten emme voi soittaa sinulle takaisin.",
    withheld_try_again="Soita meille uudelleen myöhemmin.",
    apology="Pahoittelemme, järjestelmässämme on häiriö.",
    screen="Auttavan puhelimen puhelu. Paina 1 ottaaksesi puhelun vastaan.",
    screen_language="Soittaja valitsi kieleksi {language}.",
    language_names={"fi": "suomen", "sv": "ruotsin", "en": "englannin"},
    spoken_time=_finnish_time,
)

SWEDISH = Prompts(
    code="sv",
    voice="Polly.Elin-Neural",
    language="sv-SE",
    greeting="Välkommen till kyrkans hjälptelefon.",
    emergency="Om du är i akut fara, ring nödnumret 112.",
    menu="För svenska, tryck 2.",
    connecting="Vi kopplar dig till jouren. Ett ögonblick.",
    nobody_answered="Tyvärr kunde ingen svara just nu.",
    closed="Hjälptelefonen är stängd just nu.",
    closed_holiday="I dag är det helgdag och hjälptelefonen är stängd.",
    closed_closure="Hjälptelefonen är undantagsvis stängd i dag.",
    next_open="Vi har öppet igen {when}.",
    leave_message=("Lämna ditt namn och kort vad det gäller efter tonen, så ringer vi upp dig. "
                   "Tryck sedan på fyrkant eller lägg på."),
    callback_soon="Vi ringer upp dig så snart vi kan.",
    thanks_message="Tack för ditt meddelande. Vi ringer upp dig. Hej då.",
    thanks_call="Tack för att du ringde. Hej då.",
    withheld="Ditt nummer är dolt, så vi kan inte ringa upp dig.",
    withheld_try_again="Ring oss gärna igen senare.",
    apology="Vi ber om ursäkt, det är ett fel i vårt system.",
    screen="Samtal till hjälptelefonen. Tryck 1 för att ta emot samtalet.",
    screen_language="Den som ringer valde {language}.",
    language_names={"fi": "finska", "sv": "svenska", "en": "engelska"},
    spoken_time=_swedish_time,
)

ENGLISH = Prompts(
    code="en",
    voice="Polly.Joanna-Neural",
    language="en-US",
    greeting="Welcome to the church help line.",
    emergency="If you are in immediate danger, call the emergency number 112.",
    menu="For English, press 3.",
    connecting="We are connecting you to the person on duty. One moment, please.",
    nobody_answered="Unfortunately nobody could answer right now.",
    closed="The help line is closed right now.",
    closed_holiday="Today is a public holiday and the help line is closed.",
    closed_closure="The help line is closed today by exception.",
    next_open="We are open again {when}.",
    leave_message=("After the tone, please leave your name and a few words about your matter, and we "
                   "will call you back. Then press the pound key or hang up."),
    callback_soon="We will call you back as soon as we can.",
    thanks_message="Thank you for your message. We will call you back. Goodbye.",
    thanks_call="Thank you for calling. Goodbye.",
    withheld="Your number is hidden, so we cannot call you back.",
    withheld_try_again="Please call us again later.",
    apology="We are sorry, something is wrong in our system.",
    screen="A help line call. Press 1 to take the call.",
    screen_language="The caller chose {language}.",
    language_names={"fi": "Finnish", "sv": "Swedish", "en": "English"},
    spoken_time=_english_time,
)

PROMPTS: dict[str, Prompts] = {prompts.code: prompts for prompts in (FINNISH, SWEDISH, ENGLISH)}
SUPPORTED_LANGUAGES = tuple(PROMPTS)


def for_language(code: str | None, default: str = "fi") -> Prompts:
    """The prompts of a language; the default's (then Finnish) for an unknown or missing code."""
    if code in PROMPTS:
        return PROMPTS[code]  # type: ignore[index]
    if code:
        log.warning("no prompts for language %r, using %r", code, default)
    return PROMPTS.get(default, FINNISH)


def language_for_digit(digits: str | None, offered: tuple[str, ...]) -> str | None:
    """The offered language whose menu digit was pressed, or None."""
    for code in offered:
        if MENU_DIGITS.get(code) == (digits or "").strip():
            return code
    return None
