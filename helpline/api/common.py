"""Small helpers the API's resource modules share."""
from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Response, jsonify
from sqlalchemy.orm import Session

from helpline.services import current_services
from helpline.audit import Actor
from helpline.api.errors import NotFound
from helpline.rota.localtime import format_instant

Row = TypeVar("Row")


def line_timezone() -> ZoneInfo:
    return current_services().settings.timezone


def now() -> datetime:
    return current_services().clock.now()


def audit_actor() -> Actor:
    """Who the audit log names for this request: the API token, by its name."""
    from helpline.api.auth import current_caller
    from helpline.models import ActorKind

    return Actor(current_caller().name, ActorKind.API_TOKEN.value)


def when(moment: datetime | None) -> str | None:
    """An instant as the API shows it: ISO 8601 with the line's offset."""
    return format_instant(moment, line_timezone())


def fetch(session: Session, model: type[Row], row_id: int, noun: str) -> Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"there is no {noun} with id {row_id}")
    return row


def created(payload: dict[str, Any], location: str) -> Response:
    response = jsonify(payload)
    response.status_code = 201
    response.headers["Location"] = location
    return response


def no_content() -> Response:
    return Response(status=204)
