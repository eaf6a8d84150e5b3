"""The OpenAPI description of /api/metrics and /api/metrics.csv (merged in by openapi.py)."""
from __future__ import annotations

from typing import Any, Callable

from helpline.api.metrics import CSV_KINDS, MAX_PERIOD
from helpline.api.openapi_schemas import TIME_OUT, nullable, obj, ref

Schema = dict[str, Any]
COUNT = {"type": "integer", "minimum": 0}
SECONDS = nullable({"type": "number", "minimum": 0})
SHARE = nullable({"type": "number", "minimum": 0, "maximum": 1})
AVERAGE = nullable({"type": "number", "minimum": 1, "maximum": 5})
GRID = {"type": "array", "minItems": 7, "maxItems": 7, "description": "[weekday 0=Monday][local hour 0-23]",
        "items": {"type": "array", "minItems": 24, "maxItems": 24, "items": COUNT}}


def _counts(*names: str, **more: Schema) -> Schema:
    return obj({**{name: COUNT for name in names}, **more}, tuple(names) + tuple(more), closed=False)


DURATIONS = _counts("count", "total_seconds", median_seconds=SECONDS, p90_seconds=SECONDS)
MESSAGES = nullable({"type": "number", "minimum": 0})
TEXTS = _counts("conversations", "from_caller", "from_line", "automatic", "replied",
                median_messages=MESSAGES, p90_messages=MESSAGES,
                length={**DURATIONS, "description": "from the first message to the last"},
                first_reply_median_seconds={**SECONDS, "description": "from the caller's first text to the first "
                                                                      "reply staff wrote (automatic answers are not "
                                                                      "replies)"},
                first_reply_p90_seconds=SECONDS)
FIGURES = obj({
    "from": TIME_OUT, "to": TIME_OUT,
    "contacts": _counts("calls", "answered", "voicemail", "no_message", "in_progress", "withheld", "inside_hours",
                        "outside_hours", "distinct_callers", "repeat_callers", "repeat_calls", "callback_requests",
                        "callback_requests_with_message", "sms_conversations", "chat_conversations"),
    "response": _counts("requests", "responded", "waiting", "measured", "within_target",
                        median_seconds=SECONDS, p90_seconds=SECONDS, share_within_target=SHARE,
                        target={"type": "string", "examples": ["the same working day", "within 8 h"]}),
    "conversations": obj({"live": DURATIONS, "callbacks": DURATIONS, "texts": TEXTS},
                         ("live", "callbacks", "texts"), closed=False),
    "outcomes": _counts("live_answered", "live_resolved", "live_referred", "live_not_wrapped_up", "resolved",
                        "referred", "unreachable", "handled", "with_outcome", "settled_first_contact", "referred_on",
                        share_settled={**SHARE, "description": "settled_first_contact / with_outcome: live calls "
                                                               "count by their wrap-up only"},
                        share_referred={**SHARE, "description": "referred_on / with_outcome"}),
    "topics": obj({"top": {"type": "array", "items": obj({"topic": {"type": "string"}, "count": COUNT},
                                                         ("topic", "count"))},
                   "other": COUNT, "without_topic": COUNT}, ("top", "other", "without_topic"), closed=False),
    "heat_map": obj({"calls": GRID, "outside_hours": GRID, "busiest": nullable(obj(
        {"weekday": {"type": "string"}, "hour": COUNT, "calls": COUNT}, ("weekday", "hour", "calls")))},
        ("calls", "outside_hours", "busiest"), closed=False),
    "staff_load": obj({"staff": {"type": "array", "items": _counts(
        "callbacks_given", "callbacks_closed", "passed", "reminders", "escalations", "live_answered", "call_backs",
        staff_id={"type": "integer"}, name={"type": "string"})}, "reminders": COUNT, "escalations": COUNT},
        ("staff", "reminders", "escalations"), closed=False),
    "sms": _counts("sent", "delivered", "failed", "suppressed", "pending"),
    "satisfaction": _counts("asked", "answered", average=AVERAGE,
                            scores={"type": "array", "items": COUNT, "minItems": 5, "maxItems": 5,
                                    "description": "how many answered 1, 2, 3, 4, 5"},
                            words={"type": "array", "items": {"type": "string"}, "maxItems": 10,
                                   "description": "what callers wrote with their answers, newest first"}),
    "pulse": {"type": "array", "description": "team averages, only where at least three answered",
              "items": _counts("asked", "answered", survey={"type": "string"}, average=AVERAGE)},
    "referrals": obj({"services": {"type": "array", "description": "referrals per service, most first: live calls "
                                                                   "wrapped up and callbacks closed as referred there",
                                   "items": _counts("calls", "callbacks", "total", service_id={"type": "integer"},
                                                    name={"type": "string"})},
                      "without_service": COUNT}, ("services", "without_service"), closed=False),
    "map_views": obj({"total": COUNT, "services": {"type": "array", "description": "views of each service's page on "
                                                                               "the public map, most first",
                                                   "items": _counts("views", service_id={"type": "integer"},
                                                                    name={"type": "string"})}},
                     ("total", "services"), closed=False),
}, ("from", "to", "contacts", "response", "conversations", "outcomes", "topics", "heat_map", "staff_load", "sms",
    "satisfaction", "pulse", "referrals", "map_views"), closed=False)

QUEUE = _counts("calls", "queued", "hung_up_waiting", "reached_within_60s",
                wait_median_seconds={**SECONDS, "description": "time in the wait queue of those who waited"},
                wait_p90_seconds=SECONDS,
                share_reached_within_60s={**SHARE, "description": "reached_within_60s / calls: answered by a person "
                                                                  "within 60 s of calling"})
QUEUE["description"] = ("callers at the same time, over the whole period: of the calls while the line was open "
                        "(calls), those who waited in the queue (queued), their time there and how many hung up "
                        "while waiting")

SCHEMAS: dict[str, Schema] = {
    "MetricsFigures": FIGURES,
    "MetricsQueue": QUEUE,
    "Metrics": obj({
        "from": TIME_OUT, "to": TIME_OUT, "timezone": {"type": "string", "examples": ["Europe/Helsinki"]},
        "computed_at": TIME_OUT, "target": {"type": "string"}, "figures": ref("MetricsFigures"),
        "queue": ref("MetricsQueue"),
        "weeks": {"type": "array", "items": {"allOf": [ref("MetricsFigures")],
                                             "properties": {"week": {"type": "string", "examples": ["2027-W02"]}},
                                             "required": ["week"]}},
    }, ("from", "to", "timezone", "computed_at", "target", "figures", "queue", "weeks"), closed=False),
}


def paths(op: Callable[..., dict], query: Callable[..., dict]) -> dict[str, Any]:
    period = (query("from", "start of the period (default: the 1st of this month, 00:00 local)"),
              query("to", f"end of the period, exclusive (default: now); at most {MAX_PERIOD.days} days "
                          "after from"))
    csv = op("The figures, or the anonymised rows under them (calls with their wrap-up, callbacks with the "
             "service they were referred to), as CSV (no caller numbers; callers as "
             "pseudonyms numbered afresh in each file)", "metrics", ("200", None),
             params=(*period, query("rows", "figures (one value a line), calls or callbacks",
                                    {"enum": list(CSV_KINDS), "default": "figures"})))
    csv["responses"]["200"]["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "/api/metrics": {
            "get": op("The line's figures for a period and each ISO week in it (no caller numbers)", "metrics",
                      ("200", "Metrics"), params=period),
        },
        "/api/metrics.csv": {"get": csv},
    }
