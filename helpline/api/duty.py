"""/api/on-duty: is the line open at a moment, and who would be rung, in order.

``staff`` lists who is on the rota then whether or not the line is open, so a supervisor can see
who will be texted about callbacks on a holiday too. The decisions are helpline.rota.rules's; this only
asks them (through helpline.rota.load) and shows the answer.
"""
from __future__ import annotations

from flask import Blueprint

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import line_timezone, now, when
from helpline.rota.load import staff_on_duty, status_at

blueprint = Blueprint("duty", __name__)


@blueprint.get("/on-duty")
def on_duty():
    at = v.query_instant("at", line_timezone()) or now()
    line = current_services()
    with line.db.session() as session:
        status = status_at(session, line.settings, at)
        people = staff_on_duty(session, at)
    return {
        "at": when(at),
        "open": status.open,
        "reason": status.reason,
        "next_open_at": when(status.next_open_at),
        "closes_at": when(status.closes_at),
        "staff": [
            {
                "id": person.staff_id,
                "name": person.staff_name,
                "phone": person.phone,
                "priority": person.priority,
                "role": person.role,
                "languages": list(person.languages),
                "shift_id": person.shift_id,
                "shift_ends_at": when(person.ends_at),
            }
            for person in people
        ],
    }
