"""Bearer tokens for /api: who is asking, and may they change things.

Every request but the OpenAPI document needs ``Authorization: Bearer <token>``. Reading is open
to every live token; any other method needs a supervisor's token unless its view is marked with
:func:`staff_may_write`, so a new write endpoint is supervisor-only until someone decides
otherwise. Such a view still decides what a staff token may touch: its owner's own things
(:meth:`Caller.may_act_for`), and nothing for a staff token that belongs to no staff member.
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
    staff_id: int | None = None  # whom the token belongs to (None: a token made before tokens had owners)

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR.value

    def may_act_for(self, staff_id: int | None) -> bool:
        """Supervisors for anyone; a staff token only for its own owner."""
        return self.is_supervisor or (self.staff_id is not None and self.staff_id == staff_id)


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
            raise Unauthorized(f"that API token is unknown, has been revoked or belongs to someone no longer "
                               f"active ({_HOW_TO_GET_ONE})")
        g.api_caller = Caller(token_id=row.id, name=row.name, role=row.role, staff_id=row.staff_id)
    if request.method in READ_METHODS or g.api_caller.is_supervisor:
        return
    if not getattr(view, "api_staff_may_write", False):
        raise Forbidden(
            f"the token '{g.api_caller.name}' belongs to staff, who may read; "
            "only a supervisor may change this"
        )
    if g.api_caller.staff_id is None:
        raise Forbidden(
            f"the staff token '{g.api_caller.name}' belongs to no staff member, so it may only read; make one "
            "that does with: helpline create-api-token NAME --role staff --staff-id ID"
        )
