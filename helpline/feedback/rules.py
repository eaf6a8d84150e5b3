"""The pure rules of caller feedback and the staff pulse: when to ask, and how to read a reply.

No database, no clock: every function takes the instant it reasons about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpline.rota.rules import LineCalendar, local_datetime, next_opening

# The question follows the close by a little: the caller may still be thinking about the call,
# and a staff member who closed by mistake-then-reopens in the page has a moment.
FEEDBACK_DELAY = timedelta(minutes=30)
# Callers are texted in the daytime only (local wall clock): from 09:00 until 20:00.
DAYTIME_STARTS_MINUTE = 9 * 60
DAYTIME_ENDS_MINUTE = 20 * 60
# A caller helped several times in a month is asked once in it: a help line that texts "how did
# we do?" after every call stops being one people want to call.
FEEDBACK_QUIET_PERIOD = timedelta(days=30)
# A reply counts towards the question it answers for this long after the question went out.
FEEDBACK_REPLY_WINDOW = timedelta(days=14)
# The pulse goes out this long after the line first opens in the month (staff are at work,
# not in the morning rush), and its answers count for this long.
PULSE_AFTER_OPENING = timedelta(hours=1)
# A round goes out in its first week (a sweeper that was down, someone who joined meanwhile);
# after that the question waits for the next month rather than arrive on the 25th.
PULSE_SENDING_DAYS = timedelta(days=7)
PULSE_REPLY_WINDOW = timedelta(days=21)
COMMENT_MAX_CHARACTERS = 300

# "4", "4/5", "4 / 5", "4.", "4, kiitos", "5 Tack!" ; not "10", "45", "4.5", "1234".
_SCORE = re.compile(r"^\s*([1-5])(?![0-9]|[.,][0-9])(?:\s*/\s*5(?![0-9]))?[\s.,:;!)\-]*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class ScoreReply:
    """A reply read: the score (None when the message gave none) and any words."""

    score: int | None
    comment: str | None


def read_score_reply(body: str) -> ScoreReply:
    """A reply to "how well were you helped, 1-5": the leading score and the words after it.

    A message without a leading 1-5 has no score; its words are the comment. Whitespace is
    collapsed and the comment cut at COMMENT_MAX_CHARACTERS.
    """
    match = _SCORE.match(body or "")
    score, rest = (int(match.group(1)), match.group(2)) if match else (None, body or "")
    words = " ".join(rest.split())[:COMMENT_MAX_CHARACTERS].rstrip()
    return ScoreReply(score, words or None)


def reads_as_answer(reply: ScoreReply, has_score: bool, has_comment: bool) -> bool:
    """Whether a caller's SMS within the reply window is the answer to the feedback question.

    Only a message that begins with a score, and brings something the answer lacks (the first
    score, or the first words after a score), is read as the answer. Anything else the caller
    writes is a message to the line (a conversation by text, contract section 7): a caller who
    writes "I am not well" after the question must reach a person, not the figures.
    """
    return reply.score is not None and (not has_score or (reply.comment is not None and not has_comment))


def feedback_send_time(closed_at: datetime, tz: ZoneInfo) -> datetime:
    """When the feedback question for a callback closed at ``closed_at`` goes out: FEEDBACK_DELAY
    later, moved into the caller's daytime (09:00-20:00 local) when that falls at night."""
    if closed_at.tzinfo is None:
        raise ValueError("feedback_send_time needs an aware instant")
    moment = (closed_at + FEEDBACK_DELAY).astimezone(tz)
    minute = moment.hour * 60 + moment.minute
    if minute < DAYTIME_STARTS_MINUTE:
        return local_datetime(moment.date(), DAYTIME_STARTS_MINUTE, tz)
    if minute >= DAYTIME_ENDS_MINUTE:
        return local_datetime(moment.date() + timedelta(days=1), DAYTIME_STARTS_MINUTE, tz)
    return moment


def pulse_survey(now: datetime, tz: ZoneInfo) -> str:
    """The round ``now`` belongs to: its local month, "2027-01"."""
    return now.astimezone(tz).strftime("%Y-%m")


def pulse_send_time(survey: str, calendar: LineCalendar) -> datetime:
    """When the round ``survey`` ("2027-01") goes out: PULSE_AFTER_OPENING after the line first
    opens in that month (holidays and closures skipped), or the 1st at 10:00 when the line has
    no opening that month at all."""
    year, month = (int(part) for part in survey.split("-"))
    first_day = date(year, month, 1)
    tz = calendar.timezone
    month_start = local_datetime(first_day, 0, tz)
    opens = next_opening(month_start, calendar)
    if opens is not None and pulse_survey(opens, tz) == survey:
        return opens + PULSE_AFTER_OPENING
    return local_datetime(first_day, 10 * 60, tz)
