"""The web chat for visitors, without sign-in (contract section 8; the domain is helpline.inbound.chat).

- ``GET /chat``: the page, in Finnish, Swedish or English (``?lang=``, else a choice made with
  the site's language buttons, else the browser's Accept-Language), with the 112 notice and a quick-exit button; outside office hours it says
  when the line opens and offers a phone number field for a call back. ``GET /chat/embed.js``:
  the script a parish pastes into its own site (README).
- ``GET /chat/messages?v=<version>``: the page's poll, every few seconds. The cookie names the
  conversation and holds its secret; one Redis HMGET (helpline.chat_board) answers an unchanged
  conversation without reading a table row. ``POST /chat/messages`` ``{"text", "phone"?}``:
  a message (the first opens the conversation and sets the cookie). ``POST /chat/end``: the
  visitor ends the chat; the cookie is cleared.

**The cookie** ``helpline_chat`` = ``<callback id>.<secret>``: HttpOnly, SameSite=Strict, Secure
behind https, path /chat, kept 7 days from the last message. Only the secret's SHA-256 is stored.

**CSRF without a sign-in.** The page has no session to bind a form token to, so the chat's
blueprint is left out of Flask-WTF's session token and every POST must instead (1) carry the
header ``X-Helpline-Chat: 1`` with a JSON body, which a form or a link on another site cannot
send and a cross-site script cannot send without a CORS preflight that we never grant; (2) come
from our own origin when the browser says where it came from (``Origin``, ``Sec-Fetch-Site``);
and (3) the cookie is SameSite=Strict, so a cross-site request does not carry it at all.

**Limits**: CHAT_TEXT_MAX characters a message; CHAT_PER_CONVERSATION_PER_MINUTE messages a
minute per conversation and CHAT_PER_ADDRESS_PER_MINUTE per address (helpline.chat_board).
Words always reach the page as JSON strings, which chat.js puts in with textContent.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from helpline.blocks.store import is_blocked
from helpline.callbacks.conversation_rules import (
    CHAT_PER_ADDRESS_PER_MINUTE, CHAT_PER_CONVERSATION_PER_MINUTE, CHAT_TEXT_MAX, check_chat_text,
)
from helpline.inbound.chat import ChatGone, line_closed, messages, open_chat, secret_matches, visitor, \
    visitor_ends, visitor_writes
from helpline.ids import parse_id
from helpline.models import ChatVisitor
from helpline.phones import InvalidPhoneNumber, normalise
from helpline.services import current_services
from helpline.web.i18n import LANGUAGES, choose_public_page_language, clock

log = logging.getLogger(__name__)

blueprint = Blueprint("chat", __name__, url_prefix="/chat")

COOKIE = "helpline_chat"
COOKIE_AGE = timedelta(days=7)
HEADER = "X-Helpline-Chat"
# Where the quick-exit button goes: a page that says nothing of help lines.
EXIT_URL = "https://www.google.com/"
POLL_SECONDS = 3


@blueprint.before_request
def _language() -> None:
    choose_public_page_language()


@blueprint.get("")
def page():
    line = current_services()
    now = line.clock.now()
    with line.db.session() as db:
        closed = line_closed(db, line.settings, now)
    links = {code: url_for(".page", lang=code) for code in LANGUAGES}
    return render_template("chat/page.html", closed=closed, language_links=links, language=g.page_language,
                           text_max=CHAT_TEXT_MAX, exit_url=EXIT_URL, poll_seconds=POLL_SECONDS)


@blueprint.get("/embed.js")
def embed():
    script = (Path(current_app.static_folder) / "chat-embed.js").read_bytes()
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"  # other sites load it
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the page's JSON -----------------------------------------------------------------------------------

def _cookie() -> tuple[int, str] | None:
    raw = request.cookies.get(COOKIE, "")
    ref, _, secret = raw.partition(".")
    callback_id = parse_id(ref)
    if callback_id is None or not secret or len(secret) > 100:
        return None
    return callback_id, secret


def _gone(had_cookie: bool) -> Response:
    response = jsonify(state="gone" if had_cookie else "none")
    if had_cookie:
        _clear_cookie(response)
    return response


def _clear_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/chat", samesite="Strict", httponly=True, secure=_secure())


def _secure() -> bool:
    return current_services().settings.public_base_url.startswith("https://")


def _set_cookie(response: Response, callback_id: int, secret: str) -> None:
    response.set_cookie(COOKIE, f"{callback_id}.{secret}", max_age=int(COOKIE_AGE.total_seconds()), path="/chat",
                        httponly=True, samesite="Strict", secure=_secure())


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/messages")
def poll():
    """One HMGET when nothing changed; the conversation from the database when it did."""
    held = _cookie()
    if held is None:
        return _no_store(_gone(COOKIE in request.cookies))
    callback_id, secret = held
    board = current_services().chat_board
    secret_hash, version = board.read(callback_id)
    if secret_hash is not None and version is not None:
        if not secret_matches(secret, secret_hash):
            return _no_store(_gone(True))
        if request.args.get("v") == version:
            return _no_store(jsonify(v=version, changed=False))
    return _no_store(_conversation(callback_id, secret, version if secret_hash else None))


def _conversation(callback_id: int, secret: str, version: str | None) -> Response:
    line = current_services()
    with line.db.session() as db:
        stored_hash = db.scalar(select(ChatVisitor.secret_hash).where(ChatVisitor.callback_id == callback_id))
        if stored_hash is None or not secret_matches(secret, stored_hash):
            return _gone(True)
        if version is None:
            version = line.chat_board.seed(callback_id, stored_hash)  # before the read: a later change raises it
        try:
            visitor(db, callback_id, secret)
        except ChatGone:
            line.chat_board.forget(callback_id)
            return _gone(True)
        said = [{"id": m.id, "at": m.at.isoformat(), "clock": clock(m.at),
                 "from": "visitor" if m.sender == "caller" else "line", "text": m.text}
                for m in messages(db, callback_id)]
    return jsonify(v=version, changed=True, state="open", messages=said)


def _refuse(status: int, error: str) -> Response:
    response = jsonify(error=error)
    response.status_code = status
    return _no_store(response)


def _same_origin() -> bool:
    if request.headers.get(HEADER) != "1":
        return False
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/") == request.host_url.rstrip("/")


@blueprint.post("/messages")
def send():
    if not _same_origin():
        return _refuse(403, "forbidden")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _refuse(400, "json")
    text, problem = check_chat_text(body.get("text"))
    if problem is not None:
        return _refuse(422, problem.value)
    phone = body.get("phone")
    number = None
    if isinstance(phone, str) and phone.strip():
        try:
            number = normalise(phone[:40])
        except InvalidPhoneNumber:
            return _refuse(422, "phone")
    held = _cookie()
    line = current_services()
    counted = [(f"address:{request.remote_addr or 'unknown'}", CHAT_PER_ADDRESS_PER_MINUTE)]
    if held is not None:
        counted.append((f"conversation:{held[0]}", CHAT_PER_CONVERSATION_PER_MINUTE))
    if not line.chat_board.within_limits(counted):
        return _refuse(429, "slow_down")
    now = line.clock.now()
    if held is not None:
        try:
            with line.db.session() as db:
                visitor_writes(db, held[0], held[1], text, now)
        except ChatGone:
            pass  # an ended or closed chat: this message begins a new one
        else:
            return _no_store(_created({"state": "open"}))
    try:
        with line.db.session() as db:
            if number is not None and is_blocked(db, line.settings.secret_key, number, now):
                # As with their SMS: nothing is kept, and the answer is the one any left message gets.
                log.info("a chat message naming a blocked number: dropped")
                return _no_store(_created({"state": "left"}))
            opened = open_chat(db, text=text, language=g.page_language, now=now, phone=number)
    except IntegrityError:  # two first messages with one number at once: the other won
        return _refuse(409, "try_again")
    if opened.secret is None:
        return _no_store(_created({"state": "left"}))  # the number's own callback has it; not this browser's to read
    response = _created({"state": "open"})
    _set_cookie(response, opened.callback_id, opened.secret)
    return _no_store(response)


def _created(payload: dict) -> Response:
    response = jsonify(payload)
    response.status_code = 201
    return response


@blueprint.post("/end")
def end():
    if not _same_origin():
        return _refuse(403, "forbidden")
    held = _cookie()
    if held is not None:
        line = current_services()
        try:
            with line.db.session() as db:
                visitor_ends(db, held[0], held[1], line.clock.now())
        except ChatGone:
            pass
        line.chat_board.forget(held[0])
    return _no_store(_gone(COOKIE in request.cookies))
