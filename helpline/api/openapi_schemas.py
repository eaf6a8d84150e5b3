"""The JSON Schemas of the API's bodies and answers, for the OpenAPI document (openapi.py)."""
from __future__ import annotations

from typing import Any

from helpline.api.callbacks import OUTCOMES, STATUS_FILTERS
from helpline.api.staff import ROLES
from helpline.blocks.rules import MAX_DAYS, MIN_DAYS, REASON_MAX
from helpline.models import ActorKind, AuditAction, AuditEntity, CallbackStatus, Channel, Sender
from helpline.rota.rules import WEEKDAYS

Schema = dict[str, Any]

TIME_IN = {
    "type": "string",
    "description": "ISO 8601. With an offset or Z it is that instant; without, local time in "
    "HELPLINE_TIMEZONE (a local time skipped or repeated by a DST change is refused with 422).",
    "examples": ["2027-01-11T09:00", "2027-01-11T09:00:00+02:00", "2027-01-11T07:00Z"],
}
TIME_OUT = {"type": "string", "format": "date-time", "description": "ISO 8601 with the line's offset",
            "examples": ["2027-01-11T09:00:00+02:00"]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Schema], required: tuple[str, ...] = (), *, closed: bool = True) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def _list_of(name: str, key: str) -> Schema:
    return obj({key: {"type": "array", "items": ref(name)}}, (key,), closed=False)


# Record ids: what the API reads in a body or a query (32-bit, as PostgreSQL's integer keys).
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
PHONE_IN = {"type": "string", "description": "E.164, or a Finnish national form such as 040 123 4567",
            "examples": ["040 123 4567", "+358401234567"]}
PHONE_OUT = {"type": "string", "description": "E.164", "examples": ["+358401234567"]}
LANGUAGES = {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}$"},
             "description": "ISO 639-1 codes", "examples": [["fi", "sv"]]}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$", "examples": ["09:00"]}
# [opens, closes]: both are clock times, so `items` with exactly two says it without a tuple
# (`prefixItems`, which Schemathesis 4 mishandles when it validates answers: its issues #3842, #4099).
INTERVALS = {"type": "array", "items": {"type": "array", "items": CLOCK, "minItems": 2, "maxItems": 2}}
STAFF_FIELDS: dict[str, Schema] = {
    "name": {"type": "string", "minLength": 1, "maxLength": 120},
    "phone": PHONE_IN,
    "languages": {**nullable(LANGUAGES), "description": "ISO 639-1 codes; null: none"},
    "role": {"enum": list(ROLES)},
    "active": {"type": "boolean"},
}
SHIFT_FIELDS: dict[str, Schema] = {
    "staff_id": ID,
    "starts_at": TIME_IN,
    "ends_at": {**TIME_IN, "description": "after starts_at, at most 24 hours later"},
    "priority": {**nullable({"type": "integer", "minimum": 0, "maximum": 10000}), "default": 100,
                 "description": "lower rings first; null: as if not given (100, or unchanged)"},
}
CALLBACK_FIELDS: dict[str, Schema] = {
    "id": ID,
    "caller": PHONE_OUT,
    "channel": {"enum": [channel.value for channel in Channel],
                "description": "how it began: a call (voicemail or hang-up), a text, or the web chat"},
    "status": {"enum": [status.value for status in CallbackStatus]},
    "has_message": {"type": "boolean"},
    "assignee_id": nullable(ID),
    "created_at": TIME_OUT,
    "acknowledged_at": nullable(TIME_OUT),
    "closed_at": nullable(TIME_OUT),
    "outcome": nullable({"enum": list(OUTCOMES)}),
    "topic": nullable({"type": "string"}),
    "service_id": nullable({**ID, "description": "referred: the service the caller was sent to"}),
    "note": nullable({"type": "string"}),
    "language": nullable({"type": "string"}),
    "call_count": {"type": "integer"},
    "last_call_at": TIME_OUT,
    "assigned_at": nullable(TIME_OUT),
    "reminders_sent": {"type": "integer"},
}

SCHEMAS: dict[str, Schema] = {
    "Error": obj({"error": {"type": "string", "description": "what is wrong, in words"}}, ("error",)),
    "Staff": obj({"id": ID, **STAFF_FIELDS, "phone": PHONE_OUT, "languages": LANGUAGES,
                  "sms_opted_out_at": nullable(TIME_OUT), "created_at": TIME_OUT},
                 ("id", "name", "phone", "languages", "role", "active", "created_at"), closed=False),
    "NewStaff": obj(STAFF_FIELDS, ("name", "phone")),
    "StaffChange": obj(STAFF_FIELDS),
    "StaffList": _list_of("Staff", "staff"),
    "Shift": obj({"id": ID, **SHIFT_FIELDS, "starts_at": TIME_OUT, "ends_at": TIME_OUT,
                  "priority": {"type": "integer"}, "staff_name": nullable({"type": "string"}), "created_at": TIME_OUT},
                 ("id", "staff_id", "starts_at", "ends_at", "priority"), closed=False),
    "NewShift": obj(SHIFT_FIELDS, ("staff_id", "starts_at", "ends_at")),
    "ShiftChange": obj(SHIFT_FIELDS),
    "ShiftList": obj({"from": TIME_OUT, "to": TIME_OUT, "shifts": {"type": "array", "items": ref("Shift")}},
                     ("from", "to", "shifts"), closed=False),
    "OfficeHours": obj({day: INTERVALS for day in WEEKDAYS}, WEEKDAYS),
    "Closure": obj({"id": ID, "date": nullable({"type": "string", "format": "date"}), "starts_at": TIME_OUT,
                    "ends_at": TIME_OUT, "reason": {"type": "string"}, "created_at": TIME_OUT},
                   ("id", "date", "starts_at", "ends_at", "reason"), closed=False),
    # A whole day or a span, never both; a null field is as if it were not given.
    "NewClosure": {
        **obj({"date": nullable({"type": "string", "format": "date", "description": "a whole local day"}),
               "starts_at": nullable(TIME_IN), "ends_at": nullable(TIME_IN),
               "reason": {"type": "string", "minLength": 1, "maxLength": 200}}, ("reason",)),
        "oneOf": [
            {"required": ["date"], "properties": {"date": {"type": "string"}, "starts_at": {"type": "null"},
                                                  "ends_at": {"type": "null"}}},
            {"required": ["starts_at", "ends_at"], "properties": {"starts_at": {"type": "string"},
                                                                   "ends_at": {"type": "string"},
                                                                   "date": {"type": "null"}}},
        ],
    },
    "ClosureList": _list_of("Closure", "closures"),
    "OnDuty": obj(
        {
            "at": TIME_OUT,
            "open": {"type": "boolean"},
            "reason": {"type": "string", "examples": ["open", "outside office hours", "public holiday: Epiphany"]},
            "next_open_at": nullable(TIME_OUT),
            "closes_at": nullable(TIME_OUT),
            "staff": {
                "type": "array",
                "description": "on the rota at `at`, in ringing order, whether or not the line is open",
                "items": obj({"id": ID, "name": {"type": "string"}, "phone": PHONE_OUT,
                              "priority": {"type": "integer"}, "role": {"enum": list(ROLES)},
                              "languages": LANGUAGES, "shift_id": ID, "shift_ends_at": TIME_OUT},
                             ("id", "name", "phone", "priority"), closed=False),
            },
        },
        ("at", "open", "reason", "next_open_at", "staff"),
        closed=False,
    ),
    "Callback": obj(CALLBACK_FIELDS, ("id", "caller", "channel", "status", "has_message", "assignee_id",
                                      "created_at", "acknowledged_at", "closed_at", "outcome", "topic"),
                    closed=False),
    "ConversationMessage": obj(
        {"at": TIME_OUT, "from": {"enum": [sender.value for sender in Sender]},
         "text": {"type": "string", "description": "empty once retention has removed it"},
         "staff_id": nullable({**ID, "description": "who wrote the line's message (null: the caller, the "
                                                    "line's automatic answer, or a reply through the API)"}),
         "automatic": {"type": "boolean", "description": "the line's own answer while it is closed"}},
        ("at", "from", "text", "staff_id"), closed=False),
    "Reply": obj({"text": {"type": "string", "minLength": 1, "maxLength": 2000,
                           "description": "sent as written (typographic quotes and dashes made GSM-7); at most "
                                          "3 SMS segments: 459 GSM-7 characters, or 201 UCS-2 units with emoji"}},
                 ("text",)),
    "CallbackDetail": {
        "allOf": [ref("Callback")],
        "properties": {
            "messages": {"type": "array", "items": obj(
                {"id": ID, "created_at": TIME_OUT, "duration_seconds": nullable({"type": "integer"}),
                 "usable": {"type": "boolean"}}, closed=False)},
            "events": {"type": "array", "items": obj(
                {"at": TIME_OUT, "kind": {"type": "string"}, "staff_id": nullable(ID),
                 "detail": {"type": "object"}}, closed=False)},
            "conversation": {"type": "array", "description": "texts from the caller and the line, oldest first",
                             "items": ref("ConversationMessage")},
        },
        "required": ["conversation"],
    },
    "CallbackList": _list_of("Callback", "callbacks"),
    "CloseCallback": obj({"outcome": {"enum": list(OUTCOMES)},
                          "note": nullable({"type": "string", "maxLength": 2000}),
                          "topic": nullable({"type": "string", "maxLength": 80}),
                          "service_id": nullable({**ID, "description": "outcome referred only: the service (in "
                                                  "use) the caller was sent to; the caller is texted its details"})},
                         ("outcome",)),
}

CALLBACK_STATUS_FILTER = {"enum": list(STATUS_FILTERS), "default": "open"}
AUDIT_ENTITY_FILTER = {"enum": ["all", *(entity.value for entity in AuditEntity)], "default": "all"}

SNAPSHOT = nullable({"type": "object", "description": "the record as it was (before) or became (after): "
                     "a shift's staff_id, staff_name, starts_at, ends_at, priority; a staff member's name, "
                     "phone, languages, role, active; a closure's date, starts_at, ends_at, reason; a "
                     "blocked number's number (its last digits), days, reason, ends_at; the office hours' "
                     "week; a service's fields"})
SCHEMAS["AuditEntry"] = obj(
    {"id": ID, "at": TIME_OUT, "actor": {"type": "string", "description": "a user's name or an API token's name"},
     "actor_kind": {"enum": [kind.value for kind in ActorKind]},
     "entity": {"enum": [entity.value for entity in AuditEntity]},
     "entity_id": nullable({**ID, "description": "null for the office hours (one weekly schedule)"}),
     "action": {"enum": [action.value for action in AuditAction]},
     "before": SNAPSHOT, "after": SNAPSHOT},
    ("id", "at", "actor", "actor_kind", "entity", "entity_id", "action", "before", "after"), closed=False)
SCHEMAS["ImportResult"] = obj(
    {"dry_run": {"type": "boolean"},
     "shifts": {"type": "array", "items": obj(
         {"line": {"type": "integer", "description": "the row's line in the file"},
          "id": nullable({**ID, "description": "the stored shift's id (null in a dry run)"}),
          "staff_id": ID, "staff_name": {"type": "string"}, "starts_at": TIME_OUT, "ends_at": TIME_OUT,
          "priority": {"type": "integer"}},
         ("line", "id", "staff_id", "starts_at", "ends_at", "priority"), closed=False)}},
    ("dry_run", "shifts"), closed=False)
SCHEMAS["BlockedNumber"] = obj(
    {"id": ID,
     "number": {"type": "string", "description": "the number's last digits only: no block keeps the number",
                "examples": ["…567"]},
     "days": {"type": "integer", "minimum": MIN_DAYS, "maximum": MAX_DAYS},
     "reason": {"type": "string"},
     "created_at": TIME_OUT,
     "ends_at": {**TIME_OUT, "description": "the same local time, `days` days after created_at"},
     "created_by": {"type": "string", "description": "the API token's or the page user's name"},
     "in_force": {"type": "boolean", "description": "false once ends_at has passed"}},
    ("id", "number", "days", "reason", "created_at", "ends_at", "created_by", "in_force"), closed=False)
SCHEMAS["NewBlockedNumber"] = obj(
    {"number": PHONE_IN,
     "days": {"type": "integer", "minimum": MIN_DAYS, "maximum": MAX_DAYS,
              "description": "how long the block lasts, from now"},
     "reason": {"type": "string", "minLength": 1, "maxLength": REASON_MAX,
                "description": "why (one line); supervisors see it on the page and in the audit log"}},
    ("number", "days", "reason"))
SCHEMAS["BlockedNumberList"] = _list_of("BlockedNumber", "blocked_numbers")
SCHEMAS["AuditList"] = obj({"from": TIME_OUT, "to": nullable(TIME_OUT),
                            "entries": {"type": "array", "items": ref("AuditEntry")}},
                           ("from", "to", "entries"), closed=False)
