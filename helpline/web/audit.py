"""The Audit log page (supervisors): who changed staff, the rota, office hours, closures, the
directory of services or blocked numbers, and how."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from helpline.services import current_services
from helpline.audit import audit_entries, changed_fields
from helpline.models import AuditEntity
from helpline.rota.localtime import day_bounds
from helpline.web.auth import supervisor_required
from helpline.web.dates import DateInputError, parse_day
from helpline.web.service_words import COLUMN_NAMES, hours_in_words

blueprint = Blueprint("audit", __name__, url_prefix="/audit")

DEFAULT_DAYS = 30
LIMIT = 500
ENTITIES = {
    AuditEntity.SHIFT.value: _l("Rota"),
    AuditEntity.STAFF.value: _l("Staff"),
    AuditEntity.OFFICE_HOURS.value: _l("Office hours"),
    AuditEntity.CLOSURE.value: _l("Closures"),
    AuditEntity.SERVICE.value: _l("Directory"),
    AuditEntity.BLOCKED_NUMBER.value: _l("Blocked numbers"),
}
ACTIONS = {"create": _l("added"), "update": _l("changed"), "delete": _l("removed")}
FIELDS = {
    "staff_id": None,  # the name says it better
    "staff_name": _l("person"), "starts_at": _l("starts"), "ends_at": _l("ends"), "priority": _l("ringing order"),
    "name": _l("name"), "phone": _l("phone"), "languages": _l("languages"), "role": _l("role"),
    "active": _l("active"), "date": _l("date"), "reason": _l("reason"), "number": _l("number"), "days": _l("days"),
    "monday": _l("Monday"), "tuesday": _l("Tuesday"), "wednesday": _l("Wednesday"), "thursday": _l("Thursday"),
    "friday": _l("Friday"), "saturday": _l("Saturday"), "sunday": _l("Sunday"),
    **{name: label for name, label in COLUMN_NAMES.items() if name not in ("name", "phone", "languages", "active")},
}


@blueprint.get("/")
@supervisor_required
def index():
    line = current_services()
    tz = line.settings.timezone
    today = line.clock.now().astimezone(tz).date()
    until_day = _date(request.args.get("to")) or today
    since_day = _date(request.args.get("from")) or until_day - timedelta(days=DEFAULT_DAYS)
    if since_day > until_day:
        since_day, until_day = until_day, since_day
    entity = request.args.get("entity", "")
    entity = entity if entity in ENTITIES else ""
    with line.db.session() as session:
        entries = audit_entries(session, since=day_bounds(since_day, tz)[0], until=day_bounds(until_day, tz)[1],
                                entity=entity or None, limit=LIMIT)
        rows = [(entry, _changes(entry)) for entry in entries]
    return render_template("audit/index.html", rows=rows, entities=ENTITIES, actions=ACTIONS, entity=entity,
                           since=since_day, until=until_day, limit=LIMIT)


def _changes(entry) -> list[tuple[str, object, object]]:
    """(label, before, after) for the fields that changed (all fields of an addition or removal)."""
    return [(str(FIELDS.get(name) or name), _shown(before), _shown(after))
            for name, before, after in changed_fields(entry) if FIELDS.get(name, name) is not None]


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict):  # a service's week
        from helpline.directory.hours import schedule_from_json

        return hours_in_words(schedule_from_json(value)) or "–"
    if isinstance(value, list):
        return ", ".join("–".join(item) if isinstance(item, list) else str(item) for item in value) or "–"
    if isinstance(value, str) and len(value) >= 16 and value[10] == "T":
        # An ISO time from a snapshot: shown as the pages show times, "12.1.2027 09:00".
        return f"{int(value[8:10])}.{int(value[5:7])}.{value[:4]} {value[11:16]}"
    return str(value)


def _date(raw: str | None) -> date | None:
    try:
        return parse_day(raw or "")
    except DateInputError:
        return None
