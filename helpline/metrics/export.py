"""The figures as JSON (the API) and CSV (spreadsheets), and the underlying rows, anonymised.

Pure: Metrics or rows in, text or plain data out. No caller number is ever written: calls name
their caller by a pseudonym ("caller-1", "caller-2", ...) numbered afresh in each export, so
repeat calls show within one file but nothing links two files, or a file to the keyed hash.

Every CSV is written through :func:`csv_writer`, which keeps a spreadsheet from running anyone's
words (a caller's feedback, a topic, a name) as a formula; a test checks that nothing in the
package calls ``csv.writer`` anywhere else.
"""
from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from helpline.metrics.compute import Figures, Metrics
from helpline.metrics.queue_figures import QueueFigures
from helpline.metrics.rows import CallbackRow, CallRow, FeedbackRow
from helpline.rota.rules import WEEKDAYS

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
# A spreadsheet reads a cell that starts with one of these as a formula (=, +, -, @), or skips a
# leading tab or carriage return and then does (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell that would start a formula gets a leading apostrophe, which spreadsheets show
    as text; anything else is written as it is.

    Only text is touched: ints and floats stay numbers, so a negative figure is still a negative
    number in the spreadsheet. Text that merely looks like a number ("-3" as a topic) is text and
    is neutralised like any other.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer's writerow and writerows, with every cell passed through :func:`safe_cell`."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: io.StringIO) -> _SafeWriter:
    """The one way Helpline writes CSV."""
    return _SafeWriter(out)


def _plain(value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    if dataclasses.is_dataclass(value):
        return {field.name: _plain(getattr(value, field.name), tz) for field in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item, tz) for item in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def figures_json(figures: Figures, tz: ZoneInfo) -> dict[str, Any]:
    plain = _plain(figures, tz)
    plain["from"], plain["to"] = plain.pop("start"), plain.pop("end")
    plain["topics"]["top"] = [{"topic": topic, "count": count} for topic, count in figures.topics.top]
    busiest = figures.heat_map.busiest
    plain["heat_map"]["busiest"] = (None if busiest is None else
                                    {"weekday": WEEKDAYS[busiest[0]], "hour": busiest[1], "calls": busiest[2]})
    return plain


def metrics_json(metrics: Metrics, queue: QueueFigures) -> dict[str, Any]:
    """The API's answer: the period's figures and each week's, times in the line's zone, and the
    queue's figures of the whole period (:mod:`helpline.metrics.queue_figures`)."""
    tz = ZoneInfo(metrics.timezone)
    whole = figures_json(metrics.period, tz)
    return {
        "from": whole["from"], "to": whole["to"], "timezone": metrics.timezone,
        "computed_at": _plain(metrics.computed_at, tz),
        "target": metrics.period.response.target,
        "figures": whole,
        "queue": _plain(queue, tz),
        "weeks": [{"week": week.label, **figures_json(week.figures, tz)} for week in metrics.weeks],
    }


# --- CSV ------------------------------------------------------------------------------------------

FIGURE_COLUMNS = ("period", "from", "to", "figure", "item", "measure", "value")


def _figure_lines(label: str, figures: Figures, tz: ZoneInfo) -> Iterable[tuple]:
    start, end = _plain(figures.start, tz), _plain(figures.end, tz)

    def line(figure: str, measure: str, value: Any, item: str = "") -> tuple:
        return (label, start, end, figure, item, measure, "" if value is None else _plain(value, tz))

    for figure in ("contacts", "response", "outcomes", "sms", "satisfaction"):
        for field in dataclasses.fields(getattr(figures, figure)):
            value = getattr(getattr(figures, figure), field.name)
            if field.name == "scores":
                yield from (line(figure, "score", count, str(score)) for score, count in enumerate(value, start=1))
            elif field.name == "words":
                yield from (line(figure, "word", word) for word in value)
            else:
                yield line(figure, field.name, value)
    for kind in ("live", "callbacks"):
        for field in dataclasses.fields(figures.conversations.live):
            yield line("conversations", field.name, getattr(getattr(figures.conversations, kind), field.name), kind)
    texts = figures.conversations.texts
    for field in dataclasses.fields(texts):
        if field.name == "length":
            yield from (line("conversations", f"length_{part.name}", getattr(texts.length, part.name), "texts")
                        for part in dataclasses.fields(texts.length))
        else:
            yield line("conversations", field.name, getattr(texts, field.name), "texts")
    yield from (line("topics", "callbacks", count, topic) for topic, count in figures.topics.top)
    yield line("topics", "other", figures.topics.other)
    yield line("topics", "without_topic", figures.topics.without_topic)
    for day, hours in enumerate(figures.heat_map.calls):
        for hour, calls in enumerate(hours):
            if calls:
                item = f"{WEEKDAYS[day]} {hour:02d}"
                yield line("when_callers_call", "calls", calls, item)
                yield line("when_callers_call", "outside_hours", figures.heat_map.outside_hours[day][hour], item)
    for row in figures.staff_load.staff:
        for field in dataclasses.fields(row):
            if field.name not in ("staff_id", "name"):
                yield line("staff_load", field.name, getattr(row, field.name), row.name)
    yield line("staff_load", "reminders", figures.staff_load.reminders)
    yield line("staff_load", "escalations", figures.staff_load.escalations)
    for round_ in figures.pulse:
        yield from (line("pulse", name, getattr(round_, name), round_.survey) for name in ("asked", "answered", "average"))
    for row in figures.referrals.services:
        yield from (line("referrals", name, getattr(row, name), row.name) for name in ("calls", "callbacks", "total"))
    yield line("referrals", "without_service", figures.referrals.without_service)
    yield from (line("map_views", "views", row.views, row.name) for row in figures.map_views.services)
    yield line("map_views", "total", figures.map_views.total)


def _queue_lines(figures: Figures, queue: QueueFigures, tz: ZoneInfo) -> Iterable[tuple]:
    start, end = _plain(figures.start, tz), _plain(figures.end, tz)
    for field in dataclasses.fields(queue):
        value = getattr(queue, field.name)
        yield ("period", start, end, "queue", "", field.name, "" if value is None else _plain(value, tz))


def figures_csv(metrics: Metrics, queue: QueueFigures) -> str:
    """Every figure of the period and of each week, one value a line (long format); the queue's
    figures for the whole period only (figure "queue")."""
    tz = ZoneInfo(metrics.timezone)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(FIGURE_COLUMNS)
    writer.writerows(_figure_lines("period", metrics.period, tz))
    writer.writerows(_queue_lines(metrics.period, queue, tz))
    for week in metrics.weeks:
        writer.writerows(_figure_lines(week.label, week.figures, tz))
    return out.getvalue()


CALL_COLUMNS = ("call", "started_at", "weekday", "hour", "caller", "withheld", "inside_hours", "outcome",
                "conversation_seconds", "answered_by_staff_id", "callback", "wrap_up", "wrap_up_service", "wrap_up_topic")
CALLBACK_COLUMNS = ("callback", "created_at", "has_message", "first_response_at", "response_seconds", "status",
                    "closed_at", "outcome", "topic", "assignee_staff_id", "reminders_sent", "escalated_at",
                    "service", "channel")


def calls_csv(calls: Sequence[CallRow], tz: ZoneInfo) -> str:
    """One line per call; the caller as a pseudonym numbered in this file only."""
    pseudonyms: dict[str, str] = {}
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CALL_COLUMNS)
    for call in sorted(calls, key=lambda row: row.started_at):
        local = call.started_at.astimezone(tz)
        caller = "" if call.caller_key is None else pseudonyms.setdefault(call.caller_key, f"caller-{len(pseudonyms) + 1}")
        writer.writerow((call.id, local.isoformat(timespec="seconds"), WEEKDAYS[local.weekday()], local.hour, caller,
                         int(call.withheld), int(call.line_open), call.outcome, _blank(call.conversation_seconds),
                         _blank(call.answered_by), _blank(call.callback_id), _blank(call.wrap_up),
                         _blank(call.wrap_up_service_id), _blank(call.wrap_up_topic)))
    return out.getvalue()


def callbacks_csv(callbacks: Sequence[CallbackRow], tz: ZoneInfo) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(CALLBACK_COLUMNS)
    for row in sorted(callbacks, key=lambda item: item.created_at):
        responded = row.first_response_at
        writer.writerow((row.id, _plain(row.created_at, tz), int(row.has_message), _blank(_plain(responded, tz)),
                         "" if responded is None else int((responded - row.created_at).total_seconds()), row.status,
                         _blank(_plain(row.closed_at, tz)), _blank(row.outcome), _blank(row.topic),
                         _blank(row.assignee_id), row.reminders_sent, _blank(_plain(row.escalated_at, tz)),
                         _blank(row.service_id), row.channel))
    return out.getvalue()


FEEDBACK_COLUMNS = ("callback", "asked_at", "answered_at", "score", "words")


def feedback_csv(feedback: Sequence[FeedbackRow], tz: ZoneInfo) -> str:
    """One line per caller asked: when, the score and the words they gave (never their number)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(FEEDBACK_COLUMNS)
    for row in sorted(feedback, key=lambda item: (item.asked_at, item.callback_id)):
        writer.writerow((row.callback_id, _plain(row.asked_at, tz), _blank(_plain(row.answered_at, tz)),
                         _blank(row.score), _blank(row.comment)))
    return out.getvalue()


def _blank(value: Any) -> Any:
    return "" if value is None else value
