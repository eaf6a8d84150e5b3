"""GET /api/audit: the audit log of changes to the rota, staff, office hours and closures.

Supervisors only, although it is a read: the entries hold staff phone numbers and show who
changed what, which staff tokens have no need to see.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.auth import current_caller
from helpline.api.common import line_timezone, now, when
from helpline.api.errors import BadRequest, Forbidden
from helpline.audit import DEFAULT_LIMIT, audit_entries
from helpline.models import AuditEntity, AuditEntry

blueprint = Blueprint("audit", __name__)

ENTITY_FILTERS = ("all", *(entity.value for entity in AuditEntity))
DEFAULT_WINDOW = timedelta(days=30)
MAX_LIMIT = 1000


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": when(entry.at),
        "actor": entry.actor,
        "actor_kind": entry.actor_kind,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


@blueprint.get("/audit")
def list_audit():
    """Entries in [from, to), newest first; by default the last 30 days."""
    if not current_caller().is_supervisor:
        raise Forbidden(f"the token '{current_caller().name}' belongs to staff; only a supervisor may read "
                        "the audit log")
    tz = line_timezone()
    until = v.query_instant("to", tz)
    since = v.query_instant("from", tz) or (until or now()) - DEFAULT_WINDOW
    if until is not None and until <= since:
        raise BadRequest(f"'to' ({when(until)}) must be after 'from' ({when(since)})")
    entity = v.query_choice("entity", ENTITY_FILTERS, "all")
    entity_id = v.query_integer("entity_id", default=None, minimum=1, maximum=2**31 - 1)
    limit = v.query_integer("limit", default=DEFAULT_LIMIT, minimum=1, maximum=MAX_LIMIT)
    with current_services().db.session() as session:
        entries = audit_entries(session, since=since, until=until, entity=None if entity == "all" else entity,
                                entity_id=entity_id, limit=limit or DEFAULT_LIMIT)
        return {"from": when(since), "to": when(until), "entries": [entry_json(entry) for entry in entries]}
