"""Bearer tokens for /api: who is asking, and may they change things.

Every request but the OpenAPI document needs ``Authorization: Bearer <token>``. Reading is open
to every live token; any other method needs a supervisor's token unless its view is marked with
:func:`staff_may_write`, so a new write endpoint is supervisor-only until someone decides
otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from flask import current_app, g, request

from helpline.services import current_services
from helpline.api.errors import Forbidden, Unauthorized
from helpline.models import Role
from helpline.tokens import find_token

View = TypeVar("View", bound=Callable[..., object])
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HOW_TO_GET_ONE = "make one with: helpline create-api-token NAME --role supervisor"


@dataclass(frozen=True)
class Caller:
    """The holder of the token that made this request."""

    token_id: int
    name: str
    role: str
    staff_id: int | None = None  # the person the token was made for, if any

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR.value


def public(view: View) -> View:
    """No token needed: the API's own description, and reading the directory of help services."""
    view.api_public = True  # type: ignore[attr-defined]
    return view


def staff_may_write(view: View) -> View:
    """Staff tokens may use this write endpoint too, not just supervisors."""
    view.api_staff_may_write = True  # type: ignore[attr-defined]
    return view


def current_caller() -> Caller:
    return g.api_caller


def authenticate() -> None:
    """Before every /api request: check the bearer token, then the role for writes."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "api_public", False):
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized(f"send an API token as 'Authorization: Bearer <token>' ({_HOW_TO_GET_ONE})")
    with current_services().db.session() as session:
        row = find_token(session, token)
        if row is None:
            raise Unauthorized(f"that API token is unknown or has been revoked ({_HOW_TO_GET_ONE})")
        g.api_caller = Caller(token_id=row.id, name=row.name, role=row.role, staff_id=row.staff_id)
    if request.method in READ_METHODS or g.api_caller.is_supervisor:
        return
    if not getattr(view, "api_staff_may_write", False):
        raise Forbidden(
            f"the token '{g.api_caller.name}' belongs to staff, who may read; "
            "only a supervisor may change this"
        )
