"""What the Rota pages share: the line's zone and clock, who is acting, which week is asked for."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import request

from helpline.services import current_services
from helpline.audit import Actor
from helpline.models import ActorKind
from helpline.web.auth import current_user
from helpline.web.dates import DateInputError, parse_day
from helpline.web.rota.view import monday_of


def line_tz() -> ZoneInfo:
    return current_services().settings.timezone


def now() -> datetime:
    return current_services().clock.now()


def page_actor() -> Actor:
    """The audit log's name for whoever is signed in: their name and username."""
    user = current_user()
    assert user is not None, "only signed-in pages change the rota"
    return Actor(f"{user.name} ({user.username})", ActorKind.USER.value)


def asked_monday(value: str | None = None) -> date:
    """The Monday of the week asked for (?week=any date of it), else of this week."""
    raw = value if value is not None else request.args.get("week", "")
    try:
        return monday_of(parse_day(raw))
    except DateInputError:
        return monday_of(now().astimezone(line_tz()).date())
