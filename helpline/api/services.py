"""/api/services: the directory of help services (contract §9).

Reading needs no token: the map is public, and a parish's own site may show it. Adding,
changing, retiring and deleting need a supervisor's token and are audited. Each service carries
whether it is open now (``open_now``: null when its hours are not known) and when it next closes
or opens, by the line's clock and public holidays.

DELETE removes only a service nothing points at (a typo, say); one that callers were referred
to, that a wrap-up names or that the map has shown is kept, and the answer (409) says to set
``active`` to false instead, which takes it off the map and the referral choices.
``POST /api/services/import`` takes a directory CSV, checked whole like the rota's.
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, request, url_for

from helpline.api import validation as v
from helpline.api.auth import public
from helpline.api.common import audit_actor, created, fetch, no_content, now, when
from helpline.api.errors import BadRequest, Conflict, Unprocessable
from helpline.directory import store
from helpline.directory.csv_import import CHECKS, MAX_BYTES, decode
from helpline.directory import fields
from helpline.directory.fields import FieldProblem
from helpline.directory.rules import Search, matches
from helpline.models import Service
from helpline.services import current_services

blueprint = Blueprint("services", __name__)

FIELDS = store.FIELDS
STATUS_FILTERS = ("active", "retired", "all")
CSV_TYPES = ("text/csv", "text/plain", "application/csv")
# What the OpenAPI document promises of a body's fields (helpline.api.openapi_directory), checked as
# written before the checks shared with the pages and the CSV import, which are more forgiving
# (they collapse spaces, take "fi, sv" for a list): the API refuses what its document does not allow.
TEXT_MAX = {"name": fields.NAME_MAX, "name_sv": fields.NAME_MAX, "name_en": fields.NAME_MAX,
            "description": fields.DESCRIPTION_MAX, "description_sv": fields.DESCRIPTION_MAX,
            "description_en": fields.DESCRIPTION_MAX, "url": fields.URL_MAX, "address": fields.ADDRESS_MAX,
            "area": fields.AREA_MAX, "phone": None, "code": None}
NOT_NULL = ("name", "code", "topics", "languages", "open_on_holidays", "active")
_CODE = re.compile(r"[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9-]{1,19}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_CLOCK = re.compile(r"(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00")


def service_json(service: Service) -> dict[str, Any]:
    line = current_services()
    status = store.status_of(service, now(), line.settings.timezone, line.settings.holiday_calendar)
    return {
        "id": service.id,
        **{name: getattr(service, name) for name in FIELDS if name != "hours"},
        "topics": list(service.topics or []),
        "languages": list(service.languages or []),
        "hours": service.hours,
        "open_now": status.open if status.known else None,
        "closes_at": when(status.closes_at),
        "next_open_at": when(status.next_open_at),
        "created_at": when(service.created_at),
        "updated_at": when(service.updated_at),
    }


@blueprint.get("/services")
@public
def list_services():
    which = v.query_choice("status", STATUS_FILTERS, default="active")
    search = Search(words=request.args.get("q", ""), topic=request.args.get("topic", "").strip(),
                    language=request.args.get("language", "").strip().lower(),
                    area=request.args.get("area", "").strip())
    with current_services().db.session() as session:
        found = [service for service in store.services(session)
                 if (which == "all" or service.active == (which == "active"))
                 and matches(store.facts_of(service), search)]
        return {"services": [service_json(service) for service in found]}


@blueprint.get("/services/<int:service_id>")
@public
def get_service(service_id: int):
    with current_services().db.session() as session:
        return service_json(fetch(session, Service, service_id, "service"))


@blueprint.post("/services")
def add_service():
    body = v.json_object()
    v.check_fields(body, FIELDS, required=("name", "code"))
    values = _values(body)
    with current_services().db.session() as session:
        try:
            service = store.create(session, audit_actor(), values, now())
        except store.CodeTaken as error:
            raise Conflict(str(error)) from None
        return created(service_json(service), url_for(".get_service", service_id=service.id))


@blueprint.patch("/services/<int:service_id>")
def change_service(service_id: int):
    body = v.json_object()
    v.check_fields(body, FIELDS)
    values = _values(body)
    with current_services().db.session() as session:
        service = fetch(session, Service, service_id, "service")
        try:
            store.update(session, audit_actor(), service, values, now())
        except store.CodeTaken as error:
            raise Conflict(str(error)) from None
        return service_json(service)


@blueprint.delete("/services/<int:service_id>")
def remove_service(service_id: int):
    with current_services().db.session() as session:
        service = fetch(session, Service, service_id, "service")
        history = store.history(session, service_id)
        if history:
            raise Conflict(f"{service.name} has history here ({', '.join(history)}), which deleting would lose; "
                           f"to take it off the map, set active to false with PATCH /api/services/{service_id}")
        store.delete(session, audit_actor(), service, now())
    return no_content()


def _as_documented(name: str, value: Any) -> None:
    """422 when a field is not what the OpenAPI document describes (type, length, pattern)."""
    if value is None:
        if name in NOT_NULL:
            raise Unprocessable(f"{name} must not be null")
        return
    if name in TEXT_MAX:
        if not isinstance(value, str):
            raise Unprocessable(f"{name} must be text")
        limit = TEXT_MAX[name]
        if limit is not None and len(value) > limit:
            raise Unprocessable(f"{name}: is too long ({len(value)} characters; at most {limit})")
        if name == "code" and not _CODE.fullmatch(value):
            raise Unprocessable(f"code: {value!r} is not a code: one short word staff can text, 2-20 letters, "
                                "digits or '-' (like KRIISI)")
    elif name in ("topics", "languages"):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise Unprocessable(f"{name} must be a list of text")
        if name == "topics" and len(value) > fields.TOPICS_MAX:
            raise Unprocessable(f"topics: at most {fields.TOPICS_MAX} topics")
        for item in value:
            if name == "topics" and len(item) > fields.TOPIC_MAX:
                raise Unprocessable(f"topics: is too long ({len(item)} characters; at most {fields.TOPIC_MAX})")
            if name == "languages" and not _LANGUAGE.fullmatch(item):
                raise Unprocessable(f"languages: {item!r} is not an ISO 639-1 language code (two small letters, "
                                    "like fi, sv or en)")
    elif name == "hours" and not isinstance(value, str):
        if not isinstance(value, dict):
            raise Unprocessable('hours must be an object like {"monday": [["09:00", "15:00"]]}, text or null')
        for day, intervals in value.items():
            if not isinstance(intervals, list) or not all(
                    isinstance(item, list) and len(item) == 2
                    and all(isinstance(clock, str) and _CLOCK.fullmatch(clock) for clock in item)
                    for item in intervals):
                raise Unprocessable(f'hours: {day} must be a list of intervals like [["09:00", "15:00"]]')


def _values(body: dict[str, Any]) -> dict[str, Any]:
    """Every field given, checked (the CSV import's checks); 422 names the first problem."""
    values: dict[str, Any] = {}
    for name, value in body.items():
        _as_documented(name, value)
        if name in ("open_on_holidays", "active"):
            values[name] = v.boolean(body, name)
            continue
        try:
            values[name] = CHECKS[name](value)
        except FieldProblem as problem:
            raise Unprocessable(str(problem)) from None
    return values


def planned_json(planned, service: Service | None = None) -> dict[str, Any]:
    return {"line": planned.line, "id": service.id if service else planned.existing_id, "code": planned.code,
            "name": planned.values.get("name"), "action": "add" if planned.existing_id is None else "change"}


@blueprint.post("/services/import")
def import_services():
    dry_run = v.query_choice("dry_run", ("true", "false"), "true") == "true"
    if request.mimetype not in CSV_TYPES:
        raise BadRequest("send the directory as the request body with Content-Type: text/csv "
                         "(columns code,name,... ; see docs/operations.md)")
    data = request.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unprocessable(f"the file is larger than {MAX_BYTES // 1024} KiB; split it into several")
    with current_services().db.session() as session:
        plan = store.plan_import(session, decode(data))
        if not plan.valid:
            raise Unprocessable("\n".join(problem.words() for problem in plan.problems))
        if dry_run:
            return {"dry_run": True, "services": [planned_json(planned) for planned in plan.services]}
        try:
            stored = store.apply_import(session, audit_actor(), plan, now())
        except store.CodeTaken as error:  # a code taken between the check and the write
            session.rollback()
            raise Conflict(str(error)) from None
        return {"dry_run": False,
                "services": [planned_json(planned, service) for planned, service in zip(plan.services, stored)]}, 201
