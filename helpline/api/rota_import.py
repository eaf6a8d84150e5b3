"""POST /api/shifts/import: a rota CSV (the README's format) as the body, checked and, when asked, stored.

``?dry_run=true`` (the default) checks the file against the staff list and the stored shifts and
answers with the shifts it would add; ``?dry_run=false`` stores them, all in one transaction. Any
problem answers 422 with every problem, one per line, each naming its line in the file; nothing
is stored then.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from helpline.services import current_services
from helpline.api import validation as v
from helpline.api.common import audit_actor, line_timezone, now, when
from helpline.api.errors import BadRequest, Conflict, Unprocessable
from helpline.rota.changes import ShiftRefused, apply_import, plan_import
from helpline.rota.csv_import import MAX_BYTES, PlannedShift, decode

blueprint = Blueprint("rota_import", __name__)

CSV_TYPES = ("text/csv", "text/plain", "application/csv")


def planned_json(planned: PlannedShift, shift_id: int | None = None) -> dict[str, Any]:
    return {
        "line": planned.line,
        "id": shift_id,
        "staff_id": planned.staff_id,
        "staff_name": planned.staff_name,
        "starts_at": when(planned.starts_at),
        "ends_at": when(planned.ends_at),
        "priority": planned.priority,
    }


@blueprint.post("/shifts/import")
def import_shifts():
    dry_run = v.query_choice("dry_run", ("true", "false"), "true") == "true"
    if request.mimetype not in CSV_TYPES:
        raise BadRequest("send the rota as the request body with Content-Type: text/csv "
                         "(columns date,start,end,person,priority; see docs/operations.md)")
    data = request.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Unprocessable(f"the file is larger than {MAX_BYTES // 1024} KiB; split it into several")
    text = decode(data)
    with current_services().db.session() as session:
        plan = plan_import(session, text, line_timezone())
        if not plan.valid:
            raise Unprocessable("\n".join(problem.words() for problem in plan.problems))
        if dry_run:
            return {"dry_run": True, "shifts": [planned_json(planned) for planned in plan.shifts]}
        try:
            stored = apply_import(session, audit_actor(), plan, now=now(), tz=line_timezone())
        except ShiftRefused as error:  # a clash that appeared between the check and the write
            session.rollback()
            raise Conflict(str(error)) from None
        body = {"dry_run": False,
                "shifts": [planned_json(planned, shift.id) for planned, shift in zip(plan.shifts, stored)]}
        return body, 201
