"""Creating sign-in accounts: the CLI (the first supervisor), the demo and the staff page use this."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.models import Role, Staff, WebLogin
from helpline.models.users import USERNAME_MAX_LENGTH, check_password_strength, normalise_username
from helpline.names import UnsafeName, check_name
from helpline.phones import normalise, readable


class AccountError(ValueError):
    """The account cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class CreatedAccount:
    login_id: int
    staff_id: int
    staff_created: bool


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not name:
        raise AccountError("a username is required")
    if len(name) > USERNAME_MAX_LENGTH:
        raise AccountError(f"a username may have at most {USERNAME_MAX_LENGTH} characters")
    if any(character.isspace() for character in name):
        raise AccountError("a username may not contain spaces")
    try:
        return check_name(name, "a username")
    except UnsafeName as error:
        raise AccountError(str(error)) from None


def create_account(session: Session, *, username: str, password: str, phone: str, now: datetime,
                   name: str | None = None, role: str | None = None) -> CreatedAccount:
    """An account for the staff member with ``phone``, who is added first when there is none.

    ``role`` (when given) is set on the staff member: the first supervisor is made this way.
    Raises AccountError, InvalidPhoneNumber or WeakPassword; nothing is written then.
    """
    username = check_username(username)
    check_password_strength(password)
    number = normalise(phone)
    if role is not None and role not in (Role.STAFF.value, Role.SUPERVISOR.value):
        raise AccountError(f"the role must be staff or supervisor, not {role!r}")
    if session.scalar(select(WebLogin).where(WebLogin.username == username)) is not None:
        raise AccountError(f"the username {username!r} is taken")
    staff = session.scalar(select(Staff).where(Staff.phone == number))
    created = staff is None
    if staff is None:
        if not (name or "").strip():
            raise AccountError(f"nobody on the staff has the phone {readable(number)}; give a name to add them")
        try:
            check_name(name.strip())
        except UnsafeName as error:
            raise AccountError(str(error)) from None
        staff = Staff(name=name.strip(), phone=number, languages=["fi"], role=role or Role.STAFF.value,
                      active=True, created_at=now)
        session.add(staff)
        session.flush()
    else:
        if session.scalar(select(WebLogin).where(WebLogin.staff_id == staff.id)) is not None:
            raise AccountError(f"{staff.name} already has an account")
        if role is not None:
            staff.role = role
    login = WebLogin(staff_id=staff.id, username=username, password_hash="", created_at=now,
                     password_changed_at=now)
    login.set_password(password, now)
    session.add(login)
    session.flush()
    return CreatedAccount(login.id, staff.id, created)
