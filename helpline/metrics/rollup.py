"""Per-local-day summaries of the rows (rollups), and the figures of a period read from its days.

Stored per day by helpline.metrics.rollup_store and read by helpline.metrics.period (the pages,
the API, the reports); how they are kept fresh: docs/architecture.md, "Figures from day rollups".

A day is a local calendar day of the line's time zone, so a period of whole local days (a
week from Monday 00:00, a month, a year) is the sum of its days, DST days included: a day is
23 or 25 hours long, and each row belongs to the day its anchor falls in.

Each figure family is one :class:`Part`: ``fold`` turns one day's rows into a small value that
can be stored as JSON (counts, sums, value -> count histograms, sorted value lists, the few
newest words), and ``add`` adds the values of several days, or of several periods: a value adds
alike whether it is a day's or a period's, so a year may be added from its weeks.
The value of a period is enough to rebuild that family's figure exactly as
helpline.metrics.figures computes it from rows: medians and nearest-rank percentiles come from
exact histograms of whole seconds (a few thousand distinct values however many calls there
are) and from the sorted seconds to a response, repeat callers from each day's caller keys.
Adding a figure: one more Part (its fold, its add, its figure), see docs/architecture.md.
"""
from __future__ import annotations

import base64
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate, chain
from operator import add, attrgetter, mul
from typing import Any, Callable, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from helpline.metrics import figures as f
from helpline.metrics import map_figures
from helpline.metrics.compute import Figures
from helpline.metrics.response import Deadlines, ResponseTarget, ResponseTimes
from helpline.metrics.rows import (AttemptRow, CallbackRow, CallRow, ConversationRow, EventRow, FeedbackRow,
                                   MapViewRow, MetricRows, PulseRow, ServiceRow, SmsRow, StaffRow)


@dataclass(frozen=True)
class Context:
    """What a fold may need besides the rows: the line's time zone, and the response deadlines
    (helpline.metrics.response.Deadlines: the calendar and the target)."""

    tz: ZoneInfo
    deadlines: Deadlines
    # Holder events (assigned, handed over, taken, passed), at any earlier time, of the callbacks
    # escalated in the rows: an escalation is put on whoever held the callback then.
    history: tuple[EventRow, ...] = ()


@dataclass(frozen=True)
class Part:
    """One figure family's summary of a day: which rows it reads, by which anchor (the field
    that puts a row in a day), how a day's rows fold into a value, and how values add up."""

    name: str
    source: str  # the MetricRows list it reads
    anchor: str  # the row field that puts a row in a day
    fold: Callable[[Sequence[Any], Context], Any]
    add: Callable[[Sequence[Any]], Any]


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


# --- the values and how they add up ----------------------------------------------------------

# Medians and percentiles need every value. Values that mostly occur once (seconds to a response
# or to a reply, which carry microseconds) are kept as a sorted list of the values themselves,
# each as often as it occurs; whole seconds and counts, which repeat, as a histogram: two
# parallel lists [sorted distinct values, counts]. Both hold numbers, so that reading needs no
# parsing, and both stay sorted when added, so that a median is an index away.

def _add_sorted_values(values: Sequence[list[float]]) -> list[float]:
    """The values of several days (or periods) in one sorted list: sorting runs that are
    each sorted already merges them (the sort finds the runs)."""
    total: list[float] = []
    for numbers in values:
        total += numbers
    total.sort()
    return total


def _histogram(values: Iterable[int]) -> list[list[int]]:
    """The exact value -> count histogram of ``values``, as [sorted distinct values, counts]."""
    counts = Counter(values)
    ordered = sorted(counts)
    return [ordered, [counts[value] for value in ordered]]


def _add_histograms(values: Sequence[Sequence[list[int]]]) -> list[list[int]]:
    """Histograms added: their distinct values stay as many as the values that occur, however
    many days or calls (a year of calls takes at most a few thousand distinct seconds)."""
    total: dict[int, int] = {}
    get = total.get
    for numbers, counts in values:
        for number, n in zip(numbers, counts):
            total[number] = get(number, 0) + n
    ordered = sorted(total)
    return [ordered, [total[value] for value in ordered]]


def _add_counts(values: Sequence[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    get = total.get
    for value in values:
        for key, n in value.items():
            total[key] = get(key, 0) + n
    return total


def _add_grids(values: Sequence[Mapping[str, list[int]]]) -> dict[str, list[int]]:
    """Heat-map rows by weekday ("0" Monday) added up, still by weekday (heat_map() makes the grid)."""
    total: dict[str, list[int]] = {}
    for rows in values:
        for weekday, hours in rows.items():
            have = total.get(weekday)
            total[weekday] = list(hours) if have is None else list(map(add, have, hours))
    return total


def _add_by_key(values: Sequence[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    total: dict[str, dict[str, int]] = {}
    for value in values:
        for key, counts in value.items():
            into = total.get(key)
            if into is None:
                total[key] = dict(counts)
                continue
            get = into.get
            for name, n in counts.items():
                into[name] = get(name, 0) + n
    return total


def _compact(key: str) -> str:
    """A caller key (64 hex digits of an HMAC) in 43 characters of base64: the same key, a third
    less JSON to read for every day of a period."""
    if len(key) == 64:
        try:
            return base64.b64encode(bytes.fromhex(key)).decode()[:43]  # 32 bytes: 43 characters and "="
        except ValueError:
            pass
    return "~" + key  # any other key, kept distinct: "~" is not in base64's alphabet


def _callers(per_caller: Mapping[str, int]) -> dict[str, Any]:
    """A day's known callers: their keys (as the one day's list), those who called twice or
    more that day, and their calls."""
    return {"keys_by_day": [[_compact(key) for key in per_caller]] if per_caller else [],
            "multi": [_compact(key) for key, n in per_caller.items() if n >= 2], "known": sum(per_caller.values())}


def _add_callers(values: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Callers of several days (or periods): still each day's keys apart (contacts() counts the
    distinct and repeat callers over them at C speed), lists of lists joined, not copied."""
    return {"keys_by_day": [keys for value in values for keys in value["keys_by_day"]],
            "multi": [key for value in values for key in value["multi"]],
            "known": sum(value["known"] for value in values)}


# --- calls (anchor: started_at) --------------------------------------------------------------

def _fold_calls(calls: Sequence[CallRow], context: Context) -> dict[str, Any]:
    """What contacts, outcomes and the heat map need of one day's calls."""
    per_caller = Counter(call.caller_key for call in calls if call.caller_key is not None)
    # One weekday's row of the heat map: every call of a local day falls on that day's weekday.
    heat, outside, weekday = [0] * 24, [0] * 24, None
    for call in calls:
        local = call.started_at.astimezone(context.tz)
        weekday = local.weekday()
        heat[local.hour] += 1
        if not call.line_open:
            outside[local.hour] += 1
    return {
        "counts": dict(Counter(call.outcome for call in calls)
                       + Counter(withheld=sum(call.withheld for call in calls),
                                 inside_hours=sum(call.line_open for call in calls), calls=len(calls))),
        "callers": _callers(per_caller),
        "heat": {str(weekday): heat} if calls else {}, "outside": {str(weekday): outside} if calls else {},
        # Live conversations: seconds -> calls (exact; a median needs no more).
        "answered_by": {str(staff): count for staff, count in Counter(
            call.answered_by for call in calls if call.outcome == f.ANSWERED and call.answered_by is not None).items()},
        "live_seconds": _histogram(call.conversation_seconds for call in calls
                                   if call.outcome == f.ANSWERED and (call.conversation_seconds or 0) > 0),
        # Wrap-ups of answered calls: how each ended ("" never wrapped up), the service of each
        # referral ("" none named), and the topics given.
        "wrap_ups": _keyed(Counter(call.wrap_up for call in calls if call.outcome == f.ANSWERED)),
        "referred_to": _keyed(Counter(call.wrap_up_service_id for call in calls
                                      if call.outcome == f.ANSWERED and call.wrap_up == "referred")),
        "wrap_topics": _topic_keys(Counter(call.wrap_up_topic for call in calls if call.wrap_up is not None)),
    }


def _keyed(counts: Mapping[Any, int]) -> dict[str, int]:
    """A Counter whose keys may be None, as JSON: None as ""."""
    return {"" if key is None else str(key): n for key, n in counts.items()}


def _unkeyed_ids(counts: Mapping[str, int]) -> dict[int | None, int]:
    return {None if key == "" else int(key): n for key, n in counts.items()}


def _topic_keys(counts: Mapping[str | None, int]) -> dict[str, int]:
    """Topics as JSON keys: None as "" (topics() counts both as without a topic)."""
    total: Counter[str] = Counter()
    for topic, n in counts.items():
        total[topic or ""] += n
    return dict(total)


def _add_calls(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"counts": _add_counts([value["counts"] for value in values]),
            "callers": _add_callers([value["callers"] for value in values]),
            "heat": _add_grids([value["heat"] for value in values]),
            "outside": _add_grids([value["outside"] for value in values]),
            "answered_by": _add_counts([value["answered_by"] for value in values]),
            "live_seconds": _add_histograms([value["live_seconds"] for value in values]),
            **{name: _add_counts([value[name] for value in values])
               for name in ("wrap_ups", "referred_to", "wrap_topics")}}


# --- response times (anchor: created_at) -----------------------------------------------------

def _fold_response(created: Sequence[CallbackRow], context: Context) -> dict[str, Any]:
    """response.response_tally of one day, with the seconds as an exact value -> count histogram
    and, for requests still waiting, their deadlines (whether one is missed depends on ``now``)."""
    seconds: list[float] = []
    measured = within = 0
    waiting: list[str] = []
    due_by = context.deadlines.due_by
    for callback in created:
        responded_at, deadline = callback.first_response_at, due_by(callback.created_at)
        if responded_at is not None:
            seconds.append(max(0.0, (responded_at - callback.created_at).total_seconds()))
        if deadline is None:
            continue
        if responded_at is not None:
            measured += 1
            within += responded_at <= deadline
        else:
            waiting.append(deadline.isoformat())
    return {"requests": len(created), "seconds": sorted(seconds), "measured": measured, "within": within,
            "waiting_deadlines": waiting}


def _add_response(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"requests": sum(value["requests"] for value in values),
            "seconds": _add_sorted_values([value["seconds"] for value in values]),
            "measured": sum(value["measured"] for value in values),
            "within": sum(value["within"] for value in values),
            "waiting_deadlines": [deadline for value in values for deadline in value["waiting_deadlines"]]}


# --- callback requests taken (anchor: created_at) and closed (anchor: closed_at) --------------

def _fold_created(created: Sequence[CallbackRow], context: Context) -> dict[str, int]:
    return dict(Counter(requests=len(created), with_message=sum(callback.has_message for callback in created),
                        sms=sum(callback.channel == "sms" for callback in created),
                        chat=sum(callback.channel == "chat" for callback in created)))


def _fold_closed(closed: Sequence[CallbackRow], context: Context) -> dict[str, dict[str, int]]:
    return {"outcomes": dict(Counter(callback.outcome or "" for callback in closed)),
            "topics": _topic_keys(Counter(callback.topic for callback in closed)),
            "referred_to": _keyed(Counter(callback.service_id for callback in closed
                                          if callback.outcome == "referred"))}


# --- staff load: callback history (anchor: at) and calls back (anchor: requested_at) ---------

def _fold_events(events: Sequence[EventRow], context: Context) -> dict[str, Any]:
    """Per kind (holder events as "given") and staff member, and each escalation on its holder."""
    counts: dict[str, Counter[str]] = {}
    escalated = []
    for event in events:
        if event.kind == "escalated":
            escalated.append(event)
        elif event.staff_id is not None:
            kind = "given" if event.kind in f.HOLDER_EVENTS else event.kind
            counts.setdefault(kind, Counter())[str(event.staff_id)] += event.count
    holders = f.holders_at(escalated, [*context.history, *events])
    counts["escalations"] = Counter(str(person) for person in holders if person is not None)
    return {"by_staff": {kind: dict(people) for kind, people in counts.items()}, "escalated": len(escalated)}


def _add_events(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"by_staff": _add_by_key([value["by_staff"] for value in values]),
            "escalated": sum(value["escalated"] for value in values)}


def _fold_attempts(attempts: Sequence[AttemptRow], context: Context) -> dict[str, Any]:
    return {"by_staff": {str(staff): n for staff, n in Counter(
                attempt.staff_id for attempt in attempts if attempt.staff_id is not None).items()},
            "answered_seconds": _histogram(attempt.conversation_seconds for attempt in attempts
                                           if attempt.result == f.ANSWERED and (attempt.conversation_seconds or 0) > 0)}


def _add_attempts(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"by_staff": _add_counts([value["by_staff"] for value in values]),
            "answered_seconds": _add_histograms([value["answered_seconds"] for value in values])}


# --- conversations by text (anchor: the callback's created_at) ---------------------------------

def _fold_texts(rows: Sequence[ConversationRow], context: Context) -> dict[str, Any]:
    waits = [(row.first_reply_at - row.first_caller_at).total_seconds() for row in rows
             if row.first_caller_at is not None and row.first_reply_at is not None
             and row.first_reply_at >= row.first_caller_at]
    lengths = [int((row.last_at - row.first_at).total_seconds()) for row in rows]
    return {"counts": dict(Counter(conversations=len(rows), from_caller=sum(row.from_caller for row in rows),
                                   from_line=sum(row.from_line for row in rows),
                                   automatic=sum(row.automatic for row in rows))),
            "sizes": _histogram(row.from_caller + row.from_line + row.automatic for row in rows),
            "lengths": _histogram(value for value in lengths if value > 0),
            "waits": sorted(waits)}


def _add_texts(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"counts": _add_counts([value["counts"] for value in values]),
            **{name: _add_histograms([value[name] for value in values]) for name in ("sizes", "lengths")},
            "waits": _add_sorted_values([value["waits"] for value in values])}


# --- SMS (anchor: created_at), feedback and pulse (anchor: asked_at) ----------------------------

def _fold_sms(rows: Sequence[SmsRow], context: Context) -> dict[str, int]:
    total: Counter[str] = Counter()
    for row in rows:
        total[row.status] += row.count
    return dict(total)


def _fold_feedback(rows: Sequence[FeedbackRow], context: Context) -> dict[str, Any]:
    newest = sorted((row for row in rows if row.comment), key=lambda row: (row.asked_at, row.callback_id),
                    reverse=True)[:f.WORDS_SHOWN]
    return {"asked": len(rows),
            "scores": {str(score): count for score, count in Counter(
                row.score for row in rows if row.score is not None and 1 <= row.score <= 5).items()},
            # The newest words of the day, enough for any period's newest WORDS_SHOWN.
            "words": [[row.asked_at.isoformat(), row.callback_id, row.comment] for row in newest]}


def _add_feedback(values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    words = sorted((tuple(word) for value in values for word in value["words"]),
                   key=lambda word: (datetime.fromisoformat(word[0]), word[1]), reverse=True)
    return {"asked": sum(value["asked"] for value in values),
            "scores": _add_counts([value["scores"] for value in values]),
            "words": [list(word) for word in words[:f.WORDS_SHOWN]]}


def _fold_pulse(rows: Sequence[PulseRow], context: Context) -> dict[str, dict[str, int]]:
    rounds: dict[str, Counter[str]] = {}
    for row in rows:
        counts = rounds.setdefault(row.survey, Counter())
        counts["asked"] += 1
        if row.score is not None and 1 <= row.score <= 5:
            counts["answered"] += 1
            counts["score_sum"] += row.score
    return {survey: dict(counts) for survey, counts in rounds.items()}


def _fold_views(rows: Sequence[MapViewRow], context: Context) -> dict[str, int]:
    total: Counter[str] = Counter()
    for row in rows:
        total[str(row.service_id)] += row.views
    return dict(total)


# Bump when a Part is added or a fold changes: stored days of an older layout are folded again.
LAYOUT = 10

PARTS: tuple[Part, ...] = (
    Part("calls", "calls", "started_at", _fold_calls, _add_calls),
    Part("created", "callbacks", "created_at", _fold_created, _add_counts),
    Part("response", "callbacks", "created_at", _fold_response, _add_response),
    Part("closed", "callbacks", "closed_at", _fold_closed, _add_by_key),
    Part("events", "events", "at", _fold_events, _add_events),
    Part("attempts", "attempts", "requested_at", _fold_attempts, _add_attempts),
    Part("texts", "conversations", "created_at", _fold_texts, _add_texts),
    Part("sms", "sms", "created_at", _fold_sms, _add_counts),
    Part("feedback", "feedback", "asked_at", _fold_feedback, _add_feedback),
    Part("pulse", "pulse", "asked_at", _fold_pulse, _add_by_key),
    Part("views", "map_views", "day_start", _fold_views, _add_counts),
)


# --- days from rows, and a period from days ---------------------------------------------------

def fold_days(rows: MetricRows, context: Context, start: datetime | None = None,
              end: datetime | None = None) -> dict[date, dict[str, Any]]:
    """Every local day that has rows -> {part name: folded value} (what the store would hold).

    With ``start`` and ``end``, only the rows each Part anchors in [start, end): a callback
    closed in the span but taken before it counts there as closed, not as taken."""
    by_day: dict[date, dict[str, list]] = {}
    for part in PARTS:
        anchor = attrgetter(part.anchor)
        for row in getattr(rows, part.source):
            moment = anchor(row)
            if moment is not None and (start is None or start <= moment < end):
                by_day.setdefault(local_day(moment, context.tz), {}).setdefault(part.name, []).append(row)
    return {day: {part.name: part.fold(lists.get(part.name, ()), context) for part in PARTS}
            for day, lists in by_day.items()}


def empty_day(context: Context) -> dict[str, Any]:
    """The value of a day without rows."""
    return {part.name: part.fold((), context) for part in PARTS}


def add_days(days: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    days = list(days)
    return {part.name: part.add([day[part.name] for day in days]) for part in PARTS}


def days_of(start: date, end: date) -> list[date]:
    """[start, end) as dates."""
    return [start + timedelta(days=n) for n in range((end - start).days)]


# --- the figures, from a period's added value ---------------------------------------------------

def contacts(total: Mapping[str, Any]) -> f.Contacts:
    counts, created = total["calls"]["counts"], total["created"]
    callers = total["calls"]["callers"]
    on_days = Counter(chain.from_iterable(callers["keys_by_day"]))  # caller key -> days with calls
    distinct = len(on_days)
    # A repeat caller called on two days or more, or twice on one day.
    repeat = distinct - list(on_days.values()).count(1) + sum(on_days[key] == 1 for key in set(callers["multi"]))
    calls = counts.get("calls", 0)
    answered, voicemail, no_message = (counts.get(name, 0) for name in (f.ANSWERED, f.VOICEMAIL, f.NO_MESSAGE))
    inside = counts.get("inside_hours", 0)
    return f.Contacts(
        calls=calls, answered=answered, voicemail=voicemail, no_message=no_message,
        in_progress=calls - answered - voicemail - no_message, withheld=counts.get("withheld", 0),
        inside_hours=inside, outside_hours=calls - inside, distinct_callers=distinct,
        repeat_callers=repeat, repeat_calls=callers["known"] - distinct,
        callback_requests=created.get("requests", 0), callback_requests_with_message=created.get("with_message", 0),
        sms_conversations=created.get("sms", 0), chat_conversations=created.get("chat", 0),
    )


def heat_map(total: Mapping[str, Any]) -> f.HeatMap:
    calls = total["calls"]
    return f.HeatMap(*(tuple(tuple(calls[name].get(str(weekday)) or (0,) * 24) for weekday in range(7))
                       for name in ("heat", "outside")))


def _median_and_p90(histogram: Sequence[list[int]]) -> tuple[int, int, float | None, float | None]:
    """(count, sum, median, nearest-rank 90th percentile) of the values of a histogram
    ([sorted distinct values, counts], see _histogram), exactly as response.median and
    response.percentile give them of the values."""
    values, counts = histogram
    ranks = list(accumulate(counts))  # how many values are at most each distinct value
    if not ranks:
        return 0, 0, None, None
    median, p90 = _median_and_p90_of(ranks[-1], lambda index: values[bisect_right(ranks, index)])
    return ranks[-1], sum(map(mul, values, counts)), median, p90


def _median_and_p90_of(count: int, nth: Callable[[int], float]) -> tuple[float | None, float | None]:
    """The median and the nearest-rank 90th percentile of ``count`` values, given the index-th
    smallest of them (0-based) by ``nth``."""
    if not count:
        return None, None
    middle = count // 2
    median = float(nth(middle)) if count % 2 else float(statistics.median([nth(middle - 1), nth(middle)]))
    return median, float(nth(max(0, -(-9 * count // 10) - 1)))  # nearest rank: ceil(0.9 n) - 1


def live_durations(total: Mapping[str, Any]) -> f.Durations:
    count, seconds, median, p90 = _median_and_p90(total["calls"]["live_seconds"])
    return f.Durations(count, int(seconds), median, p90)


def call_back_durations(total: Mapping[str, Any]) -> f.Durations:
    count, seconds, median, p90 = _median_and_p90(total["attempts"]["answered_seconds"])
    return f.Durations(count, int(seconds), median, p90)


def text_conversations(total: Mapping[str, Any]) -> f.TextConversations:
    value = total["texts"]
    counts = value["counts"]
    if not counts.get("conversations"):
        return f.NO_TEXTS
    _, _, median_messages, p90_messages = _median_and_p90(value["sizes"])
    length_count, length_seconds, length_median, length_p90 = _median_and_p90(value["lengths"])
    waits = value["waits"]
    replied = len(waits)
    reply_median, reply_p90 = _median_and_p90_of(replied, waits.__getitem__)
    return f.TextConversations(
        conversations=counts["conversations"], from_caller=counts.get("from_caller", 0),
        from_line=counts.get("from_line", 0), automatic=counts.get("automatic", 0),
        median_messages=median_messages, p90_messages=p90_messages,
        length=f.Durations(length_count, int(length_seconds), length_median, length_p90),
        replied=replied, first_reply_median_seconds=reply_median, first_reply_p90_seconds=reply_p90)


def conversations(total: Mapping[str, Any]) -> f.Conversations:
    return f.Conversations(live_durations(total), call_back_durations(total), text_conversations(total))


def staff_load(total: Mapping[str, Any], staff: Sequence[StaffRow]) -> f.StaffLoad:
    names = {row.id: row.name for row in staff}
    by_kind = total["events"]["by_staff"]
    counts = {name: Counter({int(person): n for person, n in by_kind.get(kind, {}).items()})
              for name, kind in (("given", "given"), ("closed", "closed"), ("passed", "passed"),
                                 ("reminded", "reminded"), ("escalations", "escalations"))}
    counts["live"] = Counter({int(person): n for person, n in total["calls"]["answered_by"].items()})
    counts["attempts"] = Counter({int(person): n for person, n in total["attempts"]["by_staff"].items()})
    people = set().union(*counts.values())
    rows = [f.StaffLoadRow(
        staff_id=person, name=names.get(person, f"staff #{person}"), callbacks_given=counts["given"][person],
        callbacks_closed=counts["closed"][person], passed=counts["passed"][person],
        reminders=counts["reminded"][person], escalations=counts["escalations"][person],
        live_answered=counts["live"][person], call_backs=counts["attempts"][person]) for person in people]
    rows.sort(key=lambda row: (-row.callbacks_given, -row.live_answered, row.name, row.staff_id))
    return f.StaffLoad(tuple(rows), sum(counts["reminded"].values()), total["events"]["escalated"])


def response_times(total: Mapping[str, Any], target: ResponseTarget, now: datetime) -> ResponseTimes:
    value = total["response"]
    seconds = value["seconds"]
    responded = len(seconds)
    median, p90 = _median_and_p90_of(responded, seconds.__getitem__)
    measured = value["measured"] + sum(datetime.fromisoformat(deadline) <= now
                                       for deadline in value["waiting_deadlines"])
    return ResponseTimes(requests=value["requests"], responded=responded, waiting=value["requests"] - responded,
                         median_seconds=median, p90_seconds=p90, target=target.label, measured=measured,
                         within_target=value["within"],
                         share_within_target=value["within"] / measured if measured else None)


def outcomes(total: Mapping[str, Any]) -> f.Outcomes:
    live = total["calls"]["wrap_ups"]
    answered = sum(live.values())
    not_wrapped_up = live.get("", 0)
    counted = total["closed"].get("outcomes", {})
    handled = answered + sum(counted.values())
    known = handled - not_wrapped_up
    settled = live.get("resolved", 0) + counted.get("resolved", 0)
    referred = live.get("referred", 0) + counted.get("referred", 0)
    return f.Outcomes(
        live_answered=answered, live_resolved=live.get("resolved", 0), live_referred=live.get("referred", 0),
        live_not_wrapped_up=not_wrapped_up, resolved=counted.get("resolved", 0), referred=counted.get("referred", 0),
        unreachable=counted.get("unreachable", 0), handled=handled, with_outcome=known,
        settled_first_contact=settled, referred_on=referred, share_settled=settled / known if known else None,
        share_referred=referred / known if known else None,
    )


def topics(total: Mapping[str, Any]) -> f.Topics:
    given = Counter(total["closed"].get("topics", {}))
    given.update(total["calls"]["wrap_topics"])
    return f.topics_from_counts(given)


def referrals(total: Mapping[str, Any], services: Sequence[ServiceRow]) -> map_figures.Referrals:
    return map_figures.referrals_from_counts(_unkeyed_ids(total["calls"]["referred_to"]),
                                             _unkeyed_ids(total["closed"].get("referred_to", {})), services)


def map_views(total: Mapping[str, Any], services: Sequence[ServiceRow]) -> map_figures.MapViews:
    return map_figures.map_views_from_counts({int(key): n for key, n in total["views"].items()}, services)


def sms(total: Mapping[str, Any]) -> f.SmsFigures:
    return f.sms(SmsRow(datetime.min, status, count) for status, count in total["sms"].items())


def satisfaction(total: Mapping[str, Any]) -> f.Satisfaction:
    value = total["feedback"]
    scores = {int(score): count for score, count in value["scores"].items()}
    answered = sum(scores.values())
    return f.Satisfaction(value["asked"], answered,
                          round(sum(score * n for score, n in scores.items()) / answered, 2) if answered else None,
                          tuple(scores.get(score, 0) for score in range(1, 6)),
                          tuple(word[2] for word in value["words"]))


def pulse(total: Mapping[str, Any]) -> tuple[f.PulseRound, ...]:
    rounds = total["pulse"]
    return tuple(
        f.PulseRound(survey, counts.get("asked", 0), counts.get("answered", 0),
                     round(counts["score_sum"] / counts["answered"], 2)
                     if counts.get("answered", 0) >= f.MIN_PULSE_ANSWERS else None)
        for survey, counts in sorted(rounds.items()))


def figures(total: Mapping[str, Any], start: datetime, end: datetime, *, staff: Sequence[StaffRow],
            services: Sequence[ServiceRow] = (), target: ResponseTarget, now: datetime) -> Figures:
    """Every figure of a period of whole local days [start, end), from its days' added value:
    equal to what helpline.metrics.compute gives from the rows."""
    return Figures(
        start=start, end=end, contacts=contacts(total), response=response_times(total, target, now),
        conversations=conversations(total), outcomes=outcomes(total), topics=topics(total), heat_map=heat_map(total),
        staff_load=staff_load(total, staff), sms=sms(total), satisfaction=satisfaction(total), pulse=pulse(total),
        referrals=referrals(total, services), map_views=map_views(total, services))
