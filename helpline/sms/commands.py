"""What a staff member's SMS to the shared number asks for (pure; contract §4).

``parse_command(text)`` turns the body of an incoming SMS into a :class:`Command` or a
:class:`ParseError`; it never raises and never reads anything else. Deciding what the command
does (whose callback, whether the sender may touch it) is the job wiring's, and every reply text
lives in ``helpline.texts``.

The grammar is deliberately forgiving, because it is typed on a phone in a hurry:

    <word> [#]<ref> [note]      OK 12, ok #12., Valmis #12 soitin, kaikki hyvin
    <word> [note]               OK (the sender's only open callback), HELP, ?
    DONE [#]<ref> REF <service> [note]    referred to a service (its code, or a start of its name)
    WRAP <outcome> [<service>] [topic]    how the sender's latest live call ended (no reference)
    REPLY [#]<ref> <text>       VASTAA 12 Hei, soitan sinulle klo 14 :)

A REPLY's text goes to a caller, so it is kept as written (line breaks, a closing smiley, quotes),
only trimmed at both ends. "Vastaa OK 12" (the assignment SMS says "Vastaa OK 12 / VALMIS 12",
and someone may copy it whole) is read as OK 12, never sent to the caller as "OK 12".

Case and accents do not matter (``FARDIG`` is ``FÄRDIG``), nor do smart quotes, extra spaces,
a comma or colon after the word, or a full stop at the end. ``#12 OK`` (reference first) is not
understood: the reply says how to write it.

Opt-out and opt-in follow Twilio's own keyword handling, which blocks (or unblocks) a number
only when the whole message is a single keyword; so ``STOP`` is an opt-out but ``STOP 12`` is an
unknown command. Our record of who opted out then agrees with Twilio's.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Collection


class CommandKind(StrEnum):
    OK = "ok"  # acknowledge: I am on it
    DONE = "done"  # close as handled, with an optional note
    PASS = "pass"  # give it back, to be assigned to someone else
    HELP = "help"  # list the commands
    CALL = "call"  # ring me, then bridge me to the caller from the line's number
    STOP = "stop"  # opt out of SMS from the line (Twilio's keyword)
    START = "start"  # opt back in (Twilio's keyword)
    WRAP = "wrap"  # how a live call the sender answered ended (helpline.directory.wrap_up)
    REPLY = "reply"  # text the caller from the line's number: the note is the text


class ParseProblem(StrEnum):
    EMPTY = "empty"  # nothing but whitespace, punctuation or symbols (an emoji)
    UNKNOWN_COMMAND = "unknown_command"  # the first word is not a command
    MISSING_COMMAND = "missing_command"  # a reference without a command word ("#12")
    BAD_REFERENCE = "bad_reference"  # "#abc", "12b", "0"
    SEVERAL_REFERENCES = "several_references"  # "OK 12 13": one callback per message
    MISSING_SERVICE = "missing_service"  # "DONE 12 REF" with nothing after REF
    BAD_OUTCOME = "bad_outcome"  # "WRAP maybe": neither resolved nor referred


@dataclass(frozen=True)
class Command:
    """A command understood. ``ref`` is None when none was written (the sender's only open
    callback is meant). ``note`` is the text after the reference, kept as typed (DONE stores it,
    PASS may log it as a reason). ``language`` is the language of the command word when the
    word tells ("VALMIS": fi, "KLAR": sv, "DONE": en; "OK": None), for the reply."""

    kind: CommandKind
    ref: int | None = None
    note: str | None = None
    language: str | None = None
    # DONE ... REF <service> [note]: the words after REF (the service, then any note), resolved by
    # the wiring against the directory. WRAP: the outcome; ``note`` holds what follows it.
    referral: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class ParseError:
    """A message that is not a command: what went wrong, the word or reference at fault, and
    the language of the command word if one was recognised."""

    problem: ParseProblem
    text: str
    word: str | None = None
    language: str | None = None
    ref: int | None = None  # the first reference, when it was readable (SEVERAL_REFERENCES)


# (kind, language or None when the word is shared, words). docs/contract-decisions.md lists them.
COMMAND_WORDS: tuple[tuple[CommandKind, str | None, tuple[str, ...]], ...] = (
    (CommandKind.OK, None, ("OK", "OKAY", "OKEI")),
    (CommandKind.OK, "en", ("ACK",)),
    (CommandKind.OK, "fi", ("KUITTAA", "KUITTAUS", "SELVÄ")),
    (CommandKind.OK, "sv", ("KVITTERA", "UPPFATTAT")),
    (CommandKind.DONE, "en", ("DONE", "CLOSE")),
    (CommandKind.DONE, "fi", ("VALMIS", "HOIDETTU", "HOITUI")),
    (CommandKind.DONE, "sv", ("KLAR", "FÄRDIG", "AVKLARAD")),
    (CommandKind.PASS, "en", ("PASS",)),
    (CommandKind.PASS, "fi", ("OHITA", "PALAUTA")),
    (CommandKind.PASS, "sv", ("PASSA", "LÄMNA")),
    (CommandKind.HELP, None, ("HELP", "INFO", "?")),
    (CommandKind.HELP, "fi", ("APUA", "OHJE", "OHJEET")),
    (CommandKind.HELP, "sv", ("HJÄLP",)),
    (CommandKind.CALL, "en", ("CALL",)),
    (CommandKind.CALL, "fi", ("SOITA",)),
    (CommandKind.CALL, "sv", ("RING",)),
    (CommandKind.WRAP, "en", ("WRAP",)),
    (CommandKind.WRAP, "fi", ("KIRJAA",)),
    (CommandKind.WRAP, "sv", ("NOTERA",)),
    (CommandKind.REPLY, "en", ("REPLY",)),
    (CommandKind.REPLY, "fi", ("VASTAA",)),
    (CommandKind.REPLY, "sv", ("SVARA",)),
)
# After DONE <ref>: the service the caller was referred to follows (the outcome is "referred").
REFERRAL_WORDS = ("REF", "OHJAUS", "LÄHETE", "HÄNVISA", "REMISS")
# After WRAP: how the call ended.
WRAP_OUTCOME_WORDS = {
    "resolved": ("RESOLVED", "DONE", "HOIDETTU", "RATKAISTU", "VALMIS", "LÖST", "KLAR"),
    "referred": ("REFERRED", "REF", "OHJATTU", "OHJAUS", "HÄNVISAD", "HÄNVISA", "REMISS"),
}
# Twilio's default opt-out and opt-in keywords; honoured only as the whole message.
OPT_OUT_WORDS = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT")
OPT_IN_WORDS = ("START", "YES", "UNSTOP")

# Commands about one callback; the others take no reference.
REFERENCE_COMMANDS = frozenset({CommandKind.OK, CommandKind.DONE, CommandKind.PASS, CommandKind.CALL,
                                CommandKind.REPLY})
MAX_REFERENCE = 2**31 - 1  # the database's integer key

_QUOTES = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a"
_SEPARATORS = " ,.:;!-\u2013\u2014"
# Leading noise (quotes, brackets, bullets) goes; '#' and '?' mean something.
_LEADING_NOISE = re.compile(r"^(?:[^\w#?]|_)+")
_TRAILING_NOISE = re.compile(r"[\s)\]" + re.escape(_QUOTES) + r"]+$")
_HEAD = re.compile(r"(?P<word>[^\W\d_]+|\?)(?P<after>.*)", re.S)
_REFERENCE = re.compile(r"#\s*(?P<hashed>[^\s,.;:!?]+)|(?P<bare>\d\w*)")
_ONLY_REFERENCES = re.compile(
    r"(?:(?:[\s,.;:&+/-]|ja\b|och\b|and\b)*#?\s*\d+\b)+[\s,.;:&+/-]*", re.IGNORECASE
)


def _fold(word: str) -> str:
    """Case and accents removed: 'Färdig' and 'FARDIG' are the same word."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(part for part in decomposed if not unicodedata.combining(part)).casefold()


def _build_lookup() -> dict[str, tuple[CommandKind, str | None]]:
    lookup: dict[str, tuple[CommandKind, str | None]] = {}
    for kind, language, words in COMMAND_WORDS:
        for word in words:
            lookup[_fold(word)] = (kind, language)
    return lookup


_WORDS = _build_lookup()
_OPT_OUT = frozenset(_fold(word) for word in OPT_OUT_WORDS)
_OPT_IN = frozenset(_fold(word) for word in OPT_IN_WORDS)
_REFERRAL = frozenset(_fold(word) for word in REFERRAL_WORDS)
_OUTCOMES = {_fold(word): outcome for outcome, words in WRAP_OUTCOME_WORDS.items() for word in words}


def _clean(raw: str | None) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    text = " ".join(text.split())  # any run of whitespace, newlines included, is one space
    return _TRAILING_NOISE.sub("", _LEADING_NOISE.sub("", text))


def _parse_reference(token: str) -> int | None:
    if not token.isdigit() or not token.isascii():
        return None
    value = int(token)
    return value if 0 < value <= MAX_REFERENCE else None


def parse_command(text: str | None) -> Command | ParseError:
    """The command in an SMS body, or what is wrong with it. Never raises."""
    cleaned = _clean(text)
    if not cleaned:
        return ParseError(ParseProblem.EMPTY, cleaned)

    folded = _fold(cleaned.rstrip(_SEPARATORS + "?" + _QUOTES))
    if folded in _OPT_OUT:
        return Command(CommandKind.STOP)
    if folded in _OPT_IN:
        return Command(CommandKind.START)

    head = _HEAD.match(cleaned)
    if head is None:
        first = cleaned.split()[0]
        # After cleaning, only '#' or a digit can start a message that has no word first.
        return ParseError(ParseProblem.MISSING_COMMAND, cleaned, first)

    word = head.group("word")
    found = _WORDS.get(_fold(word))
    if found is None:
        return ParseError(ParseProblem.UNKNOWN_COMMAND, cleaned, word)
    kind, language = found
    if kind is CommandKind.WRAP:
        return _wrap(cleaned, head.group("after"), language)
    if kind not in REFERENCE_COMMANDS:
        return Command(kind, language=language)
    if kind is CommandKind.REPLY:
        return _parse_reply(text or "", cleaned, word, head.group("after"), language)

    after = head.group("after").lstrip(_SEPARATORS)
    read = _read_reference(after, cleaned, language)
    if isinstance(read, ParseError):
        return read
    ref, after = read
    rest = after.lstrip(_SEPARATORS)
    if not any(character.isalnum() for character in rest):
        rest = ""  # "ok #12." or "OK?" carry no note
    if ref is not None and rest and _ONLY_REFERENCES.fullmatch(rest):
        return ParseError(ParseProblem.SEVERAL_REFERENCES, cleaned, rest.rstrip(_SEPARATORS), language,
                          ref)
    if kind is CommandKind.DONE and rest and _fold(rest.split()[0].rstrip(_SEPARATORS)) in _REFERRAL:
        service = rest.split(None, 1)[1].strip().rstrip(_SEPARATORS) if len(rest.split(None, 1)) > 1 else ""
        if not service:
            return ParseError(ParseProblem.MISSING_SERVICE, cleaned, None, language, ref)
        return Command(kind, ref=ref, language=language, referral=service)
    return Command(kind, ref=ref, note=rest or None, language=language)


def _wrap(cleaned: str, after: str, language: str | None) -> Command | ParseError:
    """WRAP <outcome> [rest]: the outcome word read here; the service and topic by the wiring."""
    words = after.strip(_SEPARATORS).split(None, 1)
    outcome = _OUTCOMES.get(_fold(words[0].rstrip(_SEPARATORS))) if words else None
    if outcome is None:
        return ParseError(ParseProblem.BAD_OUTCOME, cleaned, words[0] if words else None, language)
    rest = words[1].strip(_SEPARATORS + " ") if len(words) > 1 else ""
    return Command(CommandKind.WRAP, note=rest or None, language=language, outcome=outcome)


def _parse_reply(raw: str, cleaned: str, word: str, after: str, language: str | None) -> Command | ParseError:
    """REPLY [#]<ref> <text>: the text as the sender wrote it (``raw``), from after the reference."""
    after = after.lstrip(_SEPARATORS)
    read = _read_reference(after, cleaned, language)
    if isinstance(read, ParseError):
        return read
    ref, _ = read
    if ref is None:
        inner = parse_command(after)
        if isinstance(inner, Command) and inner.kind in REFERENCE_COMMANDS and inner.ref is not None \
                and inner.kind is not CommandKind.REPLY:
            return inner  # "Vastaa OK 12", copied from an SMS of ours: OK 12
    return Command(CommandKind.REPLY, ref=ref, note=_verbatim_text(raw, word, ref), language=language)


def _read_reference(after: str, cleaned: str, language: str | None) -> tuple[int | None, str] | ParseError:
    """The reference at the start of ``after`` (``#12`` or ``12``), if any, and what follows it;
    a ParseError when something there looks like a reference but is not one."""
    reference = _REFERENCE.match(after)
    if reference is None:
        return None, after
    token = (reference.group("hashed") or reference.group("bare")).rstrip(_SEPARATORS + _QUOTES)
    ref = _parse_reference(token)
    if ref is None:
        written = "#" + token if reference.group("hashed") else token
        return ParseError(ParseProblem.BAD_REFERENCE, cleaned, written, language)
    return ref, after[reference.end():]


def _verbatim_text(raw: str, word: str, ref: int | None) -> str | None:
    """What follows the command word (and the reference) in the message as it arrived."""
    text = unicodedata.normalize("NFKC", raw)
    reference = r"[\s,.:;!\-\u2013\u2014]*(?:#\s*)?0*" + str(ref) + r"(?!\d)" if ref is not None else ""
    found = re.match(r"(?:[^\w#?]|_)*" + re.escape(word) + reference + r"[\s,.:;!\-\u2013\u2014]*(?P<text>.*)\Z",
                     text, re.S)
    rest = found.group("text").strip() if found is not None else ""
    return rest or None


class TargetProblem(StrEnum):
    NONE_OPEN = "none_open"  # no reference, and the sender has no open callback
    AMBIGUOUS = "ambiguous"  # no reference, and the sender has several


@dataclass(frozen=True)
class TargetError:
    problem: TargetProblem
    open_refs: tuple[int, ...] = ()  # the sender's open callbacks, oldest first, for the reply


def resolve_reference(command: Command, sender_open_refs: Collection[int]) -> int | TargetError:
    """The callback a reference command is about: the written reference, or else the sender's
    only open callback. Whether a written reference exists and is the sender's to change is for
    the caller to check against the database."""
    if command.ref is not None:
        return command.ref
    refs = tuple(sorted(sender_open_refs))
    if not refs:
        return TargetError(TargetProblem.NONE_OPEN)
    if len(refs) > 1:
        return TargetError(TargetProblem.AMBIGUOUS, refs)
    return refs[0]
