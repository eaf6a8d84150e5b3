"""The OpenAPI description of /api/services and /api/calls (merged in by openapi.py)."""
from __future__ import annotations

from typing import Any, Callable

from helpline.api.calls import MAX_PERIOD, TOPIC_MAX
from helpline.api.openapi_schemas import ID, INTERVALS, LANGUAGES, PHONE_IN, PHONE_OUT, TIME_OUT, nullable, obj, ref
from helpline.api.services import STATUS_FILTERS
from helpline.directory import fields
from helpline.directory.rules import WRAP_UP_OUTCOMES
from helpline.rota.rules import WEEKDAYS

Schema = dict[str, Any]
TEXT = {"type": "string"}
HOURS_OUT = nullable(obj({day: INTERVALS for day in WEEKDAYS}, WEEKDAYS))
HOURS_IN = nullable({"anyOf": [
    obj({day: INTERVALS for day in WEEKDAYS}),
    {"type": "string", "description": "the week in words: ma-pe 9-15, la 10-14 (Finnish, Swedish or English "
                                      "days), 24/7", "examples": ["ma-pe 9-15, la 10-14", "Mon-Fri 9-17", "24/7"]},
]})
SERVICE_FIELDS: dict[str, Schema] = {
    "name": {"type": "string", "minLength": 1, "maxLength": fields.NAME_MAX, "description": "in Finnish"},
    "name_sv": nullable({"type": "string", "maxLength": fields.NAME_MAX}),
    "name_en": nullable({"type": "string", "maxLength": fields.NAME_MAX}),
    "code": {"type": "string", "pattern": "^[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9-]{1,19}$",
             "description": "a short word staff can text after REF (stored in capitals)", "examples": ["KRIISI"]},
    "description": nullable({"type": "string", "maxLength": fields.DESCRIPTION_MAX}),
    "description_sv": nullable({"type": "string", "maxLength": fields.DESCRIPTION_MAX}),
    "description_en": nullable({"type": "string", "maxLength": fields.DESCRIPTION_MAX}),
    "topics": {"type": "array", "items": {"type": "string", "maxLength": fields.TOPIC_MAX},
               "maxItems": fields.TOPICS_MAX},
    "languages": LANGUAGES,
    "phone": nullable(PHONE_IN),
    "url": nullable({"type": "string", "maxLength": fields.URL_MAX, "examples": ["https://evl.fi"]}),
    "address": nullable({"type": "string", "maxLength": fields.ADDRESS_MAX}),
    "area": nullable({"type": "string", "maxLength": fields.AREA_MAX, "description": "the parish or town"}),
    "hours": HOURS_IN,
    "open_on_holidays": {"type": "boolean", "default": False,
                         "description": "false: closed on the public holidays of HOLIDAY_CALENDAR"},
    "active": {"type": "boolean", "description": "false: retired, off the map and the referral choices"},
}
WRAP_UP = obj({"outcome": {"enum": list(WRAP_UP_OUTCOMES)}, "service_id": nullable(ID), "topic": nullable(TEXT),
               "staff_id": nullable({**ID, "description": "who wrapped it up"}),
               "via": {"enum": ["sms", "web", "api"]}, "at": TIME_OUT},
              ("outcome", "service_id", "topic", "staff_id", "via", "at"), closed=False)

SCHEMAS: dict[str, Schema] = {
    "Service": obj({
        "id": ID, **SERVICE_FIELDS, "phone": nullable(PHONE_OUT), "hours": HOURS_OUT,
        "description": TEXT, "url": nullable(TEXT),
        "open_now": nullable({"type": "boolean", "description": "null when the hours are not known"}),
        "closes_at": nullable(TIME_OUT), "next_open_at": nullable(TIME_OUT),
        "created_at": TIME_OUT, "updated_at": TIME_OUT,
    }, ("id", "name", "code", "description", "topics", "languages", "phone", "url", "address", "area", "hours",
        "active", "open_now"), closed=False),
    "NewService": obj(SERVICE_FIELDS, ("name", "code")),
    "ServiceChange": obj(SERVICE_FIELDS),
    "ServiceList": obj({"services": {"type": "array", "items": ref("Service")}}, ("services",), closed=False),
    "ServiceImportResult": obj(
        {"dry_run": {"type": "boolean"},
         "services": {"type": "array", "items": obj(
             {"line": {"type": "integer"}, "id": nullable(ID), "code": TEXT, "name": TEXT,
              "action": {"enum": ["add", "change"]}}, ("line", "id", "code", "action"), closed=False)}},
        ("dry_run", "services"), closed=False),
    "Call": obj({
        "id": ID, "caller": nullable(PHONE_OUT), "started_at": TIME_OUT, "ended_at": nullable(TIME_OUT),
        "outcome": {"enum": ["in_progress", "answered", "voicemail", "no_message"]},
        "line_open": {"type": "boolean"}, "language": nullable(TEXT), "answered_by_id": nullable(ID),
        "answered_at": nullable(TIME_OUT), "conversation_seconds": nullable({"type": "integer"}),
        "callback_id": nullable(ID), "wrap_up": nullable(WRAP_UP),
        "wrap_up_until": nullable({**TIME_OUT, "description": "answered calls: the end of the wrap-up window"}),
    }, ("id", "started_at", "outcome", "answered_by_id", "answered_at", "wrap_up"), closed=False),
    "CallList": obj({"from": TIME_OUT, "to": TIME_OUT, "calls": {"type": "array", "items": ref("Call")}},
                    ("from", "to", "calls"), closed=False),
    "WrapUp": obj({"outcome": {"enum": list(WRAP_UP_OUTCOMES)},
                   "service_id": nullable({**ID, "description": "referred only: a service in use"}),
                   "topic": nullable({"type": "string", "maxLength": TOPIC_MAX})}, ("outcome",)),
}


def paths(op: Callable[..., dict], query: Callable[..., dict], path_id: Callable[..., dict]) -> dict[str, Any]:
    service_id, call_id = path_id("service_id", "service"), path_id("call_id", "call")
    write = ("403", "422")

    def public(operation: dict) -> dict:
        operation["security"] = []
        operation["responses"].pop("401", None)
        return operation

    search = (query("status", "which ones", {"enum": list(STATUS_FILTERS), "default": "active"}),
              query("q", "words that must all appear in a name, description, topic, area or code", TEXT),
              query("topic", "only services with this topic", TEXT),
              query("language", "only services in this language (ISO 639-1)", TEXT),
              query("area", "only services in this area (parish)", TEXT))
    importing = op("Import a directory CSV (code,name,... ; see docs/operations.md): check it (dry_run=true, the "
                   "default) or store every row in one transaction (dry_run=false); a row whose code exists "
                   "changes that service. A 422 lists every problem by line", "directory",
                   ("200", "ServiceImportResult"),
                   params=(query("dry_run", "true: only check; false: store", {"enum": ["true", "false"],
                                                                               "default": "true"}),),
                   errors=(*write, "409"))
    importing["responses"]["201"] = {"description": "Stored (dry_run=false)",
                                     "content": {"application/json": {"schema": ref("ServiceImportResult")}}}
    importing["requestBody"] = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    return {
        "/api/services": {
            "get": public(op("The directory of help services (no token needed), by name; each says whether it "
                             "is open now", "directory", ("200", "ServiceList"), params=search)),
            "post": op("Add a service (supervisors; audited)", "directory", ("201", "Service"), body="NewService",
                       errors=(*write, "409")),
        },
        "/api/services/{service_id}": {
            "parameters": [service_id],
            "get": public(op("A service (no token needed)", "directory", ("200", "Service"), errors=("404",))),
            "patch": op("Change a service; active=false retires it (supervisors; audited)", "directory",
                        ("200", "Service"), body="ServiceChange", errors=(*write, "404", "409")),
            "delete": op("Remove a service nothing points at (otherwise 409: retire it instead; supervisors; "
                         "audited)", "directory", ("204", None), errors=("403", "404", "409")),
        },
        "/api/services/import": {"post": importing},
        "/api/calls": {
            "get": op("Calls that started in [from, to), oldest first, each with its wrap-up", "calls",
                      ("200", "CallList"),
                      params=(query("from", "start (default: to minus 7 days)"),
                              query("to", f"end (default: now); at most {MAX_PERIOD.days} days after from"))),
        },
        "/api/calls/{call_id}": {
            "parameters": [call_id],
            "get": op("A call with its wrap-up", "calls", ("200", "Call"), errors=("404",)),
        },
        "/api/calls/{call_id}/wrap-up": {
            "parameters": [call_id],
            "post": op("Wrap up an answered live call (or correct its wrap-up) within 24 hours: whoever answered "
                       "it (a staff token made for them) or a supervisor", "calls", ("200", "Call"), body="WrapUp",
                       errors=("403", "404", "409", "422")),
        },
    }
