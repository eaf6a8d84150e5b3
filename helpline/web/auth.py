"""Signing in and out, who is signed in, and what their role lets them see.

The session cookie (signed with SECRET_KEY; HttpOnly, SameSite=Lax, Secure behind https) holds
the account id and the account's session generation when it was made. Every request reloads the
account, so a deactivated staff member or a changed role takes effect at once, and a cookie from
an older generation is refused. Signing out, a new password and "sign out everywhere" move the
generation on (WebLogin.end_sessions), so they end the session on the server too: a copy of the
cookie is worthless afterwards. One generation per account, not per device: signing out on one
device signs that account out on all of them. A session lasts 12 hours from its last request.

Roles come from the staff record: supervisors may see and change everything; staff see their own
shifts and the callbacks assigned to them. Pages say which with ``@login_required`` or
``@supervisor_required``.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import wraps
from typing import Callable, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from helpline.services import current_services
from helpline.throttle import SignInThrottle
from helpline.models import WebLogin
from helpline.models.users import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    USERNAME_MAX_LENGTH,
    dummy_password_check,
    normalise_username,
)
from helpline.web.errors import error_page
from helpline.web.i18n import DEFAULT_LANGUAGE, LANGUAGES
from helpline.web.i18n import SESSION_KEY as LANGUAGE_KEY

blueprint = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as the pages need it (no database session attached)."""

    login_id: int
    staff_id: int
    name: str
    username: str
    role: str
    language: str | None

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


def current_user() -> SignedIn | None:
    """The signed-in person for this request, or None."""
    if "current_user" not in g:
        g.current_user = _load_user()
    return g.current_user


def _load_user() -> SignedIn | None:
    login_id = session.get("uid")
    if login_id is None:
        return None
    with current_services().db.session() as db:
        login = db.get(WebLogin, login_id)
        if login is None or not login.staff.active or session.get("gen") != login.session_generation:
            session.pop("uid", None)
            session.pop("gen", None)
            return None
        return SignedIn(login.id, login.staff_id, login.staff.name, login.username, login.staff.role,
                        login.language)


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.sign_in", next=_here()))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def supervisor_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args, **kwargs):
        user = current_user()
        if user is None:
            return redirect(url_for("auth.sign_in", next=_here()))
        if not user.is_supervisor:
            return forbidden()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def forbidden():
    return error_page(403)


def not_found():
    return error_page(404)


def _here() -> str:
    return request.full_path.rstrip("?") if request.query_string else request.path


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never an open redirect to someone else's.

    No control characters either: CR or LF would break the Location header (a 500, or a header
    of the attacker's), and browsers drop tabs and newlines inside URLs, so "/\t/evil.example"
    would become "//evil.example".
    """
    if not target or any(unicodedata.category(character) == "Cc" for character in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def throttle() -> SignInThrottle:
    return current_services().sign_in_throttle


class SignInForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=USERNAME_MAX_LENGTH)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    next_page = safe_next(request.values.get("next"), url_for("today.index"))
    if current_user() is not None and request.method == "GET":
        return redirect(next_page)
    status = 200
    if form.validate_on_submit():
        username = normalise_username(form.username.data)
        address = request.remote_addr or ""
        # Counted before the password is checked, so parallel guesses cannot all slip past the limit.
        wait = throttle().attempt(username, address)
        if wait is not None:
            minutes = max(1, (wait + 59) // 60)
            form.form_errors.append(_("Too many failed sign-ins. Try again in %(minutes)d minutes.",
                                      minutes=minutes))
            status = 429
        elif _sign_in(username, form.password.data):
            throttle().succeeded(username, address)
            return redirect(next_page)
        else:
            form.form_errors.append(_("The username or password is wrong."))
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form, next_page=next_page), status


def _sign_in(username: str, password: str) -> bool:
    line = current_services()
    with line.db.session() as db:
        login = db.scalar(select(WebLogin).where(WebLogin.username == username))
        if login is None or not login.staff.active:
            dummy_password_check(password)
            return False
        if not login.check_password(password):
            return False
        now = line.clock.now()
        if login.password_needs_rehash():
            login.set_password(password, now, end_sessions=False)
        login.last_signed_in_at = now
        # A fresh session: nothing from before the sign-in (a planted id, say) survives it.
        language = session.get(LANGUAGE_KEY)
        session.clear()
        session.permanent = True
        session["uid"] = login.id
        session["gen"] = login.session_generation
        session[LANGUAGE_KEY] = login.language or language or DEFAULT_LANGUAGE
        g.pop("current_user", None)
        return True


@blueprint.post("/sign-out")
def sign_out():
    """Ends this account's sessions on the server (every device), not just this cookie."""
    _end_sessions_and_forget(current_user())
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@blueprint.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    _end_sessions_and_forget(current_user())
    flash(_("You have been signed out on every device."), "info")
    return redirect(url_for("auth.sign_in"))


def _end_sessions_and_forget(user: SignedIn | None) -> None:
    if user is not None:
        with current_services().db.session() as db:
            login = db.get(WebLogin, user.login_id)
            if login is not None:
                login.end_sessions()
    language = session.get(LANGUAGE_KEY)
    session.clear()
    g.pop("current_user", None)
    if language:
        session[LANGUAGE_KEY] = language


@blueprint.post("/language")
def choose_language():
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session[LANGUAGE_KEY] = language
        user = current_user()
        if user is not None:
            with current_services().db.session() as db:
                login = db.get(WebLogin, user.login_id)
                if login is not None:
                    login.language = language
    return redirect(safe_next(request.form.get("next"), url_for("today.index")))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"),
                        validators=[DataRequired(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH)],
                        description=_l("At least %(count)d characters. A few unrelated words make a good one.",
                                       count=PASSWORD_MIN_LENGTH),
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"),
                           validators=[DataRequired(), EqualTo("new", message=_l("The passwords differ."))],
                           render_kw={"autocomplete": "new-password"})


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user()
    assert user is not None
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        line = current_services()
        with line.db.session() as db:
            login = db.get(WebLogin, user.login_id)
            if login is None or not login.check_password(form.current.data):
                form.current.errors = [_("That is not your current password.")]
                status = 422
            else:
                login.set_password(form.new.data, line.clock.now())
                # This session carries on; any other signed-in device is signed out.
                session["gen"] = login.session_generation
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("auth.account"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/account.html", form=form, user=user), status
