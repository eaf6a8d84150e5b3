"""The figures the parishes asked for, each a pure function of plain rows (helpline.metrics.rows).

Nothing here reads the clock, the database or Flask: give it rows, the line's time zone (and
calendar, for the response target) and ``now``. Each figure says which instant of a row puts it
in a period (its *anchor*); helpline.metrics.compute splits rows into periods and weeks by
those anchors.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from operator import attrgetter
from typing import Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from helpline.metrics.response import median, percentile
from helpline.metrics.rows import (
    AttemptRow, CallbackRow, CallRow, ConversationRow, EventRow, FeedbackRow, PulseRow, SmsRow, StaffRow,
)

ANSWERED, VOICEMAIL, NO_MESSAGE = "answered", "voicemail", "no_message"
# Events that make a staff member the holder of a callback. "taken" is an OK (or CALL) by someone
# on a callback that nobody held (the loader names acknowledgements with detail.taken so).
HOLDER_EVENTS = frozenset({"assigned", "handed_over", "taken"})
# How many of callers' own words a period shows (the newest); the CSV of feedback rows has them all.
WORDS_SHOWN = 10
# The fewest answers before a pulse round's team average is shown, so no answer can be singled out.
MIN_PULSE_ANSWERS = 3
TOP_TOPICS = 10


# --- 1. contacts (anchor: Call.started_at, CallbackRequest.created_at) ------------------------------
# By channel: calls are the voice contacts; conversations by text and by chat are counted by the
# callback each one opened (a caller who texts within an open voicemail callback joins it).

@dataclass(frozen=True)
class Contacts:
    calls: int
    answered: int  # answered live by staff
    voicemail: int  # left a message
    no_message: int  # hung up without a message (still a callback request when the number was shown)
    in_progress: int  # still going on at the time of the figures
    withheld: int  # number withheld (any outcome)
    inside_hours: int
    outside_hours: int
    distinct_callers: int  # different known numbers
    repeat_callers: int  # known numbers that called two or more times in the period
    repeat_calls: int  # calls after a caller's first one in the period
    callback_requests: int
    callback_requests_with_message: int
    sms_conversations: int = 0  # callback requests opened by a text
    chat_conversations: int = 0  # ... by the web chat


_OUTCOME, _CALLER_KEY = attrgetter("outcome"), attrgetter("caller_key")
_WITHHELD, _LINE_OPEN = attrgetter("withheld"), attrgetter("line_open")


def contacts(calls: Sequence[CallRow], created: Sequence[CallbackRow]) -> Contacts:
    # map(attrgetter) keeps the passes over a year's calls in C.
    outcomes = Counter(map(_OUTCOME, calls))
    per_caller = Counter(map(_CALLER_KEY, calls))
    per_caller.pop(None, None)  # withheld numbers
    withheld = sum(map(_WITHHELD, calls))
    inside = sum(map(_LINE_OPEN, calls))
    return Contacts(
        calls=len(calls),
        answered=outcomes[ANSWERED],
        voicemail=outcomes[VOICEMAIL],
        no_message=outcomes[NO_MESSAGE],
        in_progress=len(calls) - outcomes[ANSWERED] - outcomes[VOICEMAIL] - outcomes[NO_MESSAGE],
        withheld=withheld,
        inside_hours=inside,
        outside_hours=len(calls) - inside,
        distinct_callers=len(per_caller),
        repeat_callers=sum(1 for count in per_caller.values() if count >= 2),
        repeat_calls=sum(count - 1 for count in per_caller.values()),
        callback_requests=len(created),
        callback_requests_with_message=sum(callback.has_message for callback in created),
        sms_conversations=sum(callback.channel == "sms" for callback in created),
        chat_conversations=sum(callback.channel == "chat" for callback in created),
    )


# --- 3. length of conversations (anchor: Call.started_at, CallbackCall.requested_at) --------------

@dataclass(frozen=True)
class Durations:
    count: int
    total_seconds: int
    median_seconds: float | None
    p90_seconds: float | None


def durations(seconds: Iterable[int]) -> Durations:
    values = [value for value in seconds if value > 0]
    return Durations(len(values), sum(values), median(values), percentile(values, 0.9))


@dataclass(frozen=True)
class TextConversations:
    """Conversations by text (anchor: the callback's created_at): callbacks with any message."""

    conversations: int
    from_caller: int  # messages the callers wrote
    from_line: int  # messages staff wrote back
    automatic: int  # the line's automatic answers while closed
    median_messages: float | None  # messages in a conversation, every kind counted
    p90_messages: float | None
    length: Durations  # from the first message to the last (conversations of two or more moments)
    replied: int  # conversations in which staff replied after the caller wrote
    first_reply_median_seconds: float | None  # from the caller's first text to the first reply
    first_reply_p90_seconds: float | None


NO_TEXTS = TextConversations(0, 0, 0, 0, None, None, Durations(0, 0, None, None), 0, None, None)


def text_conversations(rows: Sequence[ConversationRow]) -> TextConversations:
    if not rows:
        return NO_TEXTS
    sizes = [row.from_caller + row.from_line + row.automatic for row in rows]
    waits = [(row.first_reply_at - row.first_caller_at).total_seconds() for row in rows
             if row.first_caller_at is not None and row.first_reply_at is not None
             and row.first_reply_at >= row.first_caller_at]
    return TextConversations(
        conversations=len(rows),
        from_caller=sum(row.from_caller for row in rows),
        from_line=sum(row.from_line for row in rows),
        automatic=sum(row.automatic for row in rows),
        median_messages=median(sizes),
        p90_messages=percentile(sizes, 0.9),
        length=durations(int((row.last_at - row.first_at).total_seconds()) for row in rows),
        replied=len(waits),
        first_reply_median_seconds=median(waits),
        first_reply_p90_seconds=percentile(waits, 0.9),
    )


@dataclass(frozen=True)
class Conversations:
    live: Durations  # answered live calls (Call.conversation_seconds)
    callbacks: Durations  # calls back through the line that reached the caller
    texts: TextConversations = NO_TEXTS  # conversations by text (SMS, chat)


def conversations(calls: Sequence[CallRow], attempts: Sequence[AttemptRow],
                  texts: Sequence[ConversationRow] = ()) -> Conversations:
    return Conversations(
        live=durations(call.conversation_seconds or 0 for call in calls if call.outcome == ANSWERED),
        callbacks=durations(attempt.conversation_seconds or 0 for attempt in attempts if attempt.result == ANSWERED),
        texts=text_conversations(texts),
    )


# --- 4. settled on first contact or referred on (anchor: started_at; closed_at) --------------------

@dataclass(frozen=True)
class Outcomes:
    """How contacts ended. A live call counts by its wrap-up only (helpline.directory.wrap_up);
    one never wrapped up is its own group, left out of the shares rather than guessed."""

    live_answered: int  # answered live calls
    live_resolved: int  # ... wrapped up as resolved
    live_referred: int  # ... wrapped up as referred on
    live_not_wrapped_up: int  # ... whose outcome nobody gave
    resolved: int  # callbacks closed as resolved
    referred: int  # callbacks closed as referred on
    unreachable: int  # callbacks closed because the caller could not be reached
    handled: int  # live_answered + every callback closed
    with_outcome: int  # handled - live_not_wrapped_up: the contacts whose ending is known
    settled_first_contact: int  # live_resolved + resolved
    referred_on: int  # live_referred + referred
    share_settled: float | None  # settled_first_contact / with_outcome
    share_referred: float | None  # referred_on / with_outcome


def outcomes(calls: Sequence[CallRow], closed: Sequence[CallbackRow]) -> Outcomes:
    live = Counter(call.wrap_up for call in calls if call.outcome == ANSWERED)
    answered = sum(live.values())
    counted = Counter(callback.outcome for callback in closed)
    handled = answered + len(closed)
    known = handled - live[None]
    settled = live["resolved"] + counted["resolved"]
    referred = live["referred"] + counted["referred"]
    return Outcomes(
        live_answered=answered, live_resolved=live["resolved"], live_referred=live["referred"],
        live_not_wrapped_up=live[None], resolved=counted["resolved"], referred=counted["referred"],
        unreachable=counted["unreachable"], handled=handled, with_outcome=known, settled_first_contact=settled,
        referred_on=referred, share_settled=settled / known if known else None,
        share_referred=referred / known if known else None,
    )


# --- 5. top topics (anchor: closed_at; a live call's started_at) ------------------------------------

@dataclass(frozen=True)
class Topics:
    top: tuple[tuple[str, int], ...]  # (topic, contacts), most first
    other: int  # contacts with a topic outside the top
    without_topic: int  # closed callbacks and wrapped-up live calls with no topic given


def topics(closed: Sequence[CallbackRow], calls: Sequence[CallRow] = (), limit: int = TOP_TOPICS) -> Topics:
    """Topics as staff typed them when closing a callback or wrapping up a live call, grouped
    regardless of case and spacing; each group is shown in its most used spelling."""
    given = Counter(callback.topic for callback in closed)
    given.update(call.wrap_up_topic for call in calls if call.wrap_up is not None)
    return topics_from_counts(given, limit)


def topics_from_counts(counts: Mapping[str | None, int], limit: int = TOP_TOPICS) -> Topics:
    """topics() from how many contacts had each spelling (None or "": no topic)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    without = 0
    # Each spelling is tidied once, however many contacts share it.
    for topic, count in counts.items():
        text = " ".join((topic or "").split())
        if not text:
            without += count
            continue
        spellings[text.casefold()][text] += count
    groups = sorted(
        ((min(s.items(), key=lambda item: (-item[1], item[0]))[0], sum(s.values())) for s in spellings.values()),
        key=lambda item: (-item[1], item[0].casefold()),
    )
    return Topics(tuple(groups[:limit]), sum(count for _, count in groups[limit:]), without)


# --- 6. when callers call (anchor: started_at) ----------------------------------------------------

@dataclass(frozen=True)
class HeatMap:
    """Calls by local weekday (0 Monday) and hour (0-23): ``calls[weekday][hour]``, and of those
    the ones that came while the line was closed. On the autumn DST night both 03:xx hours fall
    in hour 3; in spring hour 3 stays empty."""

    calls: tuple[tuple[int, ...], ...]
    outside_hours: tuple[tuple[int, ...], ...]

    @property
    def busiest(self) -> tuple[int, int, int] | None:
        """(weekday, hour, calls) of the busiest cell, or None when there were no calls."""
        cells = [(count, -day, -hour) for day, row in enumerate(self.calls) for hour, count in enumerate(row)]
        count, day, hour = max(cells)
        return (-day, -hour, count) if count else None


def heat_map(calls: Iterable[CallRow], tz: ZoneInfo) -> HeatMap:
    total = [[0] * 24 for _ in range(7)]
    outside = [[0] * 24 for _ in range(7)]
    for call in calls:
        local = call.started_at.astimezone(tz)
        total[local.weekday()][local.hour] += 1
        if not call.line_open:
            outside[local.weekday()][local.hour] += 1
    return HeatMap(tuple(map(tuple, total)), tuple(map(tuple, outside)))


def add_heat_maps(maps: Sequence[HeatMap]) -> HeatMap:
    """The heat map of consecutive periods together (the weeks of a month, say)."""
    def total(grids):
        return tuple(tuple(sum(cells) for cells in zip(*rows)) for rows in zip(*grids))

    if not maps:
        return heat_map((), ZoneInfo("UTC"))
    return HeatMap(total([m.calls for m in maps]), total([m.outside_hours for m in maps]))


# --- 7. staff load (anchor: each event's, call's and attempt's own time) ---------------------------

@dataclass(frozen=True)
class StaffLoadRow:
    staff_id: int
    name: str
    callbacks_given: int  # times a callback became theirs (assigned, handed over, taken)
    callbacks_closed: int
    passed: int  # PASS: given back
    reminders: int  # reminder SMS they needed
    escalations: int  # escalations to supervisors of callbacks they held
    live_answered: int
    call_backs: int  # calls back through the line they made


@dataclass(frozen=True)
class StaffLoad:
    staff: tuple[StaffLoadRow, ...]  # most callbacks first
    reminders: int
    escalations: int


def staff_load(events: Sequence[EventRow], calls: Sequence[CallRow], attempts: Sequence[AttemptRow],
               staff: Sequence[StaffRow], history: Sequence[EventRow] = ()) -> StaffLoad:
    """Per staff member, from the callback history in the period.

    An escalation belongs to whoever held the callback then: the last holder event before it
    (a PASS leaves nobody), looked up in ``events`` and ``history`` (the holder events, one by
    one, of the callbacks escalated in the period, from before it too).
    """
    names = {row.id: row.name for row in staff}
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    escalated: list[EventRow] = []
    for event in events:
        kind = event.kind
        if kind == "escalated":
            escalated.append(event)
        elif event.staff_id is not None:
            counts["given" if kind in HOLDER_EVENTS else kind][event.staff_id] += event.count
    for person in holders_at(escalated, [*history, *events]):
        if person is not None:
            counts["escalations"][person] += 1
    for call in calls:
        if call.outcome == ANSWERED and call.answered_by is not None:
            counts["live"][call.answered_by] += 1
    for attempt in attempts:
        if attempt.staff_id is not None:
            counts["attempts"][attempt.staff_id] += 1
    tracked = ("given", "closed", "passed", "reminded", "escalations", "live", "attempts")
    people = set().union(*(counts[name] for name in tracked))
    rows = [
        StaffLoadRow(
            staff_id=person, name=names.get(person, f"staff #{person}"), callbacks_given=counts["given"][person],
            callbacks_closed=counts["closed"][person], passed=counts["passed"][person],
            reminders=counts["reminded"][person], escalations=counts["escalations"][person],
            live_answered=counts["live"][person], call_backs=counts["attempts"][person],
        )
        for person in people
    ]
    rows.sort(key=lambda row: (-row.callbacks_given, -row.live_answered, row.name, row.staff_id))
    return StaffLoad(tuple(rows), sum(counts["reminded"].values()), len(escalated))


def holders_at(moments: Sequence[EventRow], history: Iterable[EventRow]) -> list[int | None]:
    """Who held each callback at each of ``moments``: replays only those callbacks' events."""
    changes: dict[int, list[EventRow]] = {event.callback_id: [] for event in moments}
    for event in history:
        if event.callback_id in changes and (event.kind in HOLDER_EVENTS or event.kind == "passed"):
            changes[event.callback_id].append(event)
    holders = []
    for moment in moments:
        holder = None
        for event in sorted(changes[moment.callback_id], key=lambda e: (e.at, e.event_id)):
            if (event.at, event.event_id) > (moment.at, moment.event_id):
                break
            holder = None if event.kind == "passed" else event.staff_id
        holders.append(holder)
    return holders


# --- SMS (anchor: created_at) ---------------------------------------------------------------------

@dataclass(frozen=True)
class SmsFigures:
    sent: int  # accepted by Twilio (sent or delivered)
    delivered: int
    failed: int  # failed or undelivered
    suppressed: int  # never sent: opted out, or over the per-recipient limit
    pending: int  # queued or sending


def sms(rows: Iterable[SmsRow]) -> SmsFigures:
    by_status: Counter[str] = Counter()
    for row in rows:
        by_status[row.status] += row.count
    return SmsFigures(
        sent=by_status["sent"] + by_status["delivered"], delivered=by_status["delivered"],
        failed=by_status["failed"] + by_status["undelivered"], suppressed=by_status["suppressed"],
        pending=by_status["queued"] + by_status["sending"],
    )


# --- satisfaction and pulse (anchor: asked_at) ----------------------------------------------------

@dataclass(frozen=True)
class Satisfaction:
    asked: int
    answered: int
    average: float | None  # 1-5
    scores: tuple[int, int, int, int, int]  # how many gave 1, 2, 3, 4, 5
    # What callers wrote with (or instead of) a score, newest question first, at most WORDS_SHOWN.
    words: tuple[str, ...] = ()


def satisfaction(rows: Iterable[FeedbackRow]) -> Satisfaction:
    rows = list(rows)
    scores = [row.score for row in rows if row.score is not None and 1 <= row.score <= 5]
    counted = Counter(scores)
    words = tuple(row.comment for row in sorted(rows, key=lambda row: (row.asked_at, row.callback_id), reverse=True)
                  if row.comment)[:WORDS_SHOWN]
    return Satisfaction(len(rows), len(scores), round(sum(scores) / len(scores), 2) if scores else None,
                        (counted[1], counted[2], counted[3], counted[4], counted[5]), words)


@dataclass(frozen=True)
class PulseRound:
    survey: str
    asked: int
    answered: int
    average: float | None  # None when fewer than MIN_PULSE_ANSWERS answered: never shown then


def pulse(rows: Iterable[PulseRow]) -> tuple[PulseRound, ...]:
    """The team average per round; no individual answer, and no average from fewer than three."""
    rounds: dict[str, list[PulseRow]] = defaultdict(list)
    for row in rows:
        rounds[row.survey].append(row)
    result = []
    for survey in sorted(rounds):
        scores = [row.score for row in rounds[survey] if row.score is not None and 1 <= row.score <= 5]
        shown = len(scores) >= MIN_PULSE_ANSWERS
        result.append(PulseRound(survey, len(rounds[survey]), len(scores),
                                 round(sum(scores) / len(scores), 2) if shown else None))
    return tuple(result)
