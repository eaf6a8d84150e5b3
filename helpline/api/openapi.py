"""GET /api/openapi.json: an OpenAPI 3.1 description of the supervisor API.

Built in code from the same constants the views use (roles, outcomes, weekdays), so the two
cannot drift apart quietly; a test checks that every /api route and method is described here
and nothing else is. Reading it needs no token.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint

from helpline.api import openapi_directory, openapi_metrics
from helpline.api.auth import public
from helpline.api.openapi_schemas import AUDIT_ENTITY_FILTER, CALLBACK_STATUS_FILTER, ID, TIME_IN, ref

blueprint = Blueprint("openapi", __name__)

Operation = dict[str, Any]
ERRORS = {
    "400": ("BadRequest", "the body is not a JSON object, or a query parameter cannot be read"),
    "401": ("Unauthorized", "no API token, or an unknown or revoked one"),
    "403": ("Forbidden", "a staff token tried to change (or, for the audit log and blocked numbers, read) "
                         "something only a supervisor may"),
    "404": ("NotFound", "no such record"),
    "409": ("Conflict", "clashes with what is stored (a duplicate phone or service code, an overlapping shift, "
                        "a callback already closed, a staff member or service with history, a call past its "
                        "wrap-up window, a caller who said STOP)"),
    "422": ("Unprocessable", "the JSON is well-formed but its content cannot be accepted"),
}


def _op(summary: str, tag: str, ok: tuple[str, str | None], *, body: str | None = None,
        params: tuple[dict[str, Any], ...] = (), errors: tuple[str, ...] = ()) -> Operation:
    status, schema = ok
    success: dict[str, Any] = {"description": {"200": "OK", "201": "Created", "204": "Done"}[status]}
    if schema is not None:
        success["content"] = {"application/json": {"schema": ref(schema)}}
    if status == "201":
        success["headers"] = {"Location": {"schema": {"type": "string"}, "description": "the new record's URL"}}
    responses = {status: success, "401": _error("401")}
    if body is not None:
        errors = ("400", *errors)
    if params:
        errors = ("400", *errors)
    responses.update({code: _error(code) for code in sorted(set(errors))})
    operation: Operation = {"summary": summary, "tags": [tag], "responses": responses}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": ref(body)}}}
    if params:
        operation["parameters"] = list(params)
    return operation


def _error(code: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{ERRORS[code][0]}"}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    # `?staff_id=` (a form's empty field) is read as if the parameter were not given.
    return {"name": name, "in": "query", "required": False, "description": f"{description}; empty: not given",
            "allowEmptyValue": True, "schema": schema or TIME_IN}


def _path_id(name: str, noun: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": f"the {noun}'s id", "schema": ID}


WRITE = ("403", "422")


def _csv_import() -> Operation:
    operation = _op("Import a rota CSV (date,start,end,person,priority in local time): check it (dry_run=true, "
                    "the default) or store every row in one transaction (dry_run=false). A 422 lists every "
                    "problem, one per line, each naming its line in the file", "rota", ("200", "ImportResult"),
                    params=(_query("dry_run", "true: only check; false: store", {"enum": ["true", "false"],
                                                                                   "default": "true"}),),
                    errors=(*WRITE, "409"))
    operation["responses"]["201"] = {"description": "Stored (dry_run=false)",
                                     "content": {"application/json": {"schema": ref("ImportResult")}}}
    operation["requestBody"] = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    return operation


def paths() -> dict[str, Any]:
    staff_id, shift_id = _path_id("staff_id", "staff member"), _path_id("shift_id", "shift")
    closure_id, callback_id = _path_id("closure_id", "closure"), _path_id("callback_id", "callback")
    block_id = _path_id("block_id", "block")
    limit = {"type": "integer", "minimum": 1, "maximum": 1000}
    return {
        "/api/staff": {
            "get": _op("List staff (active and inactive)", "staff", ("200", "StaffList")),
            "post": _op("Add a staff member", "staff", ("201", "Staff"), body="NewStaff", errors=(*WRITE, "409")),
        },
        "/api/staff/{staff_id}": {
            "parameters": [staff_id],
            "get": _op("A staff member", "staff", ("200", "Staff"), errors=("404",)),
            "patch": _op("Change a staff member (set active=false to take them off the line)", "staff",
                         ("200", "Staff"), body="StaffChange", errors=(*WRITE, "404", "409")),
            "delete": _op("Remove a staff member who has no history (otherwise 409: deactivate instead)",
                          "staff", ("204", None), errors=("403", "404", "409")),
        },
        "/api/shifts": {
            "get": _op("Shifts overlapping [from, to); default the current local week", "rota",
                       ("200", "ShiftList"),
                       params=(_query("from", "start (default: this Monday 00:00, or to minus 7 days)"),
                               _query("to", "end (default: from plus 7 days)"),
                               _query("staff_id", "only this person's shifts", ID))),
            "post": _op("Add a shift", "rota", ("201", "Shift"), body="NewShift", errors=(*WRITE, "409")),
        },
        "/api/shifts/{shift_id}": {
            "parameters": [shift_id],
            "get": _op("A shift", "rota", ("200", "Shift"), errors=("404",)),
            "patch": _op("Change a shift", "rota", ("200", "Shift"), body="ShiftChange",
                         errors=(*WRITE, "404", "409")),
            "delete": _op("Remove a shift", "rota", ("204", None), errors=("403", "404")),
        },
        "/api/shifts/import": {
            "post": _csv_import(),
        },
        "/api/office-hours": {
            "get": _op("The weekly office hours (local time)", "calendar", ("200", "OfficeHours")),
            "put": _op("Replace the whole week's office hours (all seven days)", "calendar",
                       ("200", "OfficeHours"), body="OfficeHours", errors=WRITE),
        },
        "/api/closures": {
            "get": _op("Closures not over by `from` (default now)", "calendar", ("200", "ClosureList"),
                       params=(_query("from", "list closures ending after this (default: now)"),)),
            "post": _op("Close the line for a whole local day (date) or a span", "calendar",
                        ("201", "Closure"), body="NewClosure", errors=WRITE),
        },
        "/api/closures/{closure_id}": {
            "parameters": [closure_id],
            "get": _op("A closure", "calendar", ("200", "Closure"), errors=("404",)),
            "delete": _op("Remove a closure", "calendar", ("204", None), errors=("403", "404")),
        },
        "/api/on-duty": {
            "get": _op("Is the line open at `at`, and who is on the rota then, in ringing order", "rota",
                       ("200", "OnDuty"), params=(_query("at", "the moment (default: now)"),)),
        },
        "/api/callbacks": {
            "get": _op("Callback requests: open ones oldest first (all); closed/all newest first", "callbacks",
                       ("200", "CallbackList"),
                       params=(_query("status", "which ones", CALLBACK_STATUS_FILTER),
                               _query("limit", "at most this many (closed/all default 100)", limit))),
        },
        "/api/callbacks/{callback_id}": {
            "parameters": [callback_id],
            "get": _op("A callback request with its messages, its conversation by text and its history", "callbacks",
                       ("200", "CallbackDetail"), errors=("404",)),
        },
        "/api/callbacks/{callback_id}/close": {
            "parameters": [callback_id],
            "post": _op("Close a callback (supervisors any; staff tokens only the callbacks assigned to "
                        "their owner)", "callbacks", ("200", "CallbackDetail"),
                        body="CloseCallback", errors=("403", "404", "409", "422")),
        },
        "/api/callbacks/{callback_id}/reply": {
            "parameters": [callback_id],
            "post": _op("Text the caller from the line's number (staff and supervisors); the first reply is the "
                        "first response. 409: the callback is closed, or the caller said STOP or cannot get an SMS; "
                        "422: the text is empty or longer than 3 SMS segments", "callbacks",
                        ("201", "ConversationMessage"), body="Reply", errors=("404", "409", "422")),
        },
        "/api/blocked-numbers": {
            "get": _op("Blocked numbers in force, the one ending soonest first (supervisors only)", "blocks",
                       ("200", "BlockedNumberList"), errors=("403",)),
            "post": _op("Block a number for some days, with a reason (supervisors only). 409: it is blocked "
                        "already, or it is an active staff member's phone", "blocks", ("201", "BlockedNumber"),
                        body="NewBlockedNumber", errors=(*WRITE, "409")),
        },
        "/api/blocked-numbers/{block_id}": {
            "parameters": [block_id],
            "get": _op("A block, in force or ended (supervisors only)", "blocks", ("200", "BlockedNumber"),
                       errors=("403", "404")),
            "delete": _op("Lift a block (supervisors only)", "blocks", ("204", None), errors=("403", "404")),
        },
        "/api/audit": {
            "get": _op("The audit log: changes to staff, the rota, office hours, closures and blocked numbers, newest "
                       "first "
                       "(supervisors only)", "audit", ("200", "AuditList"),
                       params=(_query("from", "entries at or after this (default: `to` or now, minus 30 days)"),
                               _query("to", "entries before this (default: no end)"),
                               _query("entity", "only changes to this kind of thing", AUDIT_ENTITY_FILTER),
                               _query("entity_id", "only changes to this record", ID),
                               _query("limit", "at most this many (default 500)", limit)),
                       errors=("403",)),
        },
        **openapi_directory.paths(_op, _query, _path_id),
        **openapi_metrics.paths(_op, _query),
        "/api/openapi.json": {
            "get": {"summary": "This document", "tags": ["meta"], "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1",
                                          "content": {"application/json": {"schema": {"type": "object"}}}}}},
        },
        "/api/docs": {
            "get": {"summary": "This document as a page to read (HTML)", "tags": ["meta"], "security": [],
                    "responses": {"200": {"description": "the API reference",
                                          "content": {"text/html": {"schema": {"type": "string"}}}}}},
        },
    }


def build_document() -> dict[str, Any]:
    from helpline.api.openapi_schemas import SCHEMAS

    SCHEMAS = {**SCHEMAS, **openapi_directory.SCHEMAS, **openapi_metrics.SCHEMAS}

    error_content = {"application/json": {"schema": ref("Error")}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Helpline supervisor API",
            "version": "1.0.0",
            "description": "The rota, office hours, closures, callback queue, calls and directory of help "
                           "services of the help line. "
                           "Send `Authorization: Bearer <token>` (`helpline create-api-token NAME "
                           "--role supervisor|staff --staff-id ID`). Reading the directory of services needs "
                           "no token. Staff tokens read, and close the callbacks assigned to the staff member "
                           "they belong to and wrap up that person's own calls (a staff token made without "
                           "--staff-id only reads); everything else that changes something "
                           "needs a supervisor's token, and so do the audit log and blocked numbers, "
                           "reading included. "
                           "Every error answers `{\"error\": \"...\"}`.",
        },
        "security": [{"bearer": []}],
        "tags": [{"name": name} for name in ("staff", "rota", "calendar", "callbacks", "calls", "directory", "blocks",
                                             "audit", "metrics", "meta")],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {name: {"description": words, "content": error_content}
                          for name, words in ERRORS.values()},
        },
    }


@blueprint.get("/openapi.json")
@public
def openapi_document():
    return build_document()
