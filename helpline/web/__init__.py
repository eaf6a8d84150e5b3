"""The web pages for supervisors and staff: server-rendered Flask + Jinja, little JavaScript.

- auth.py: sign-in and out, the session, roles (``login_required``, ``supervisor_required``,
  ``current_user()``), the account page and the language choice
  (the limit on failed sign-ins is helpline.throttle's, held by the Services: ``sign_in_throttle``)
- i18n.py: Flask-Babel (Finnish by default, Swedish, English) and the template helpers
- today.py, staff.py, hours.py, blocks.py (blocked numbers), callbacks.py, calls.py (wrap-ups), directory.py: the pages
- public_map.py: the public map of help (/services), without signing in or cookies
- chat.py: the web chat for visitors (no sign-in; its own CSRF check)
- recording_audio.py: a recorded message's audio, proxied from Twilio (also for the listen links)
- errors.py: every error (403, 404, 405, 413, 500, a failed CSRF check) as one styled page

Every form is CSRF-protected (Flask-WTF), except under the blueprints that are not pages: the
Twilio webhooks (signed by Twilio), /api (bearer tokens, no cookies) and the listen links.
"""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect

# Top-level blueprints that never carry a session cookie's authority, so need no CSRF token.
# The web chat has no session either; its own check is a custom header and the origin
# (helpline.web.chat explains it).
CSRF_EXEMPT_BLUEPRINTS = frozenset({"voice", "voice_queue", "sms", "api", "listen", "feeds", "callbacks_out", "chat"})
SESSION_LIFETIME = timedelta(hours=12)

csrf = CSRFProtect()

# The navigation: (endpoint, label, supervisors only). An entry shows once its endpoint exists.
NAV = (
    ("today.index", _l("Today"), False),
    ("rota.week", _l("Rota"), False),
    ("callbacks.index", _l("Callbacks"), False),
    ("calls.index", _l("Live calls"), False),
    ("directory.index", _l("Directory"), False),
    ("staff.index", _l("Staff"), True),
    ("hours.index", _l("Office hours"), True),
    ("blocks.index", _l("Blocked numbers"), True),
    ("audit.index", _l("Audit log"), True),
    ("figures.index", _l("Figures"), True),
)


def _page_blueprints() -> list:
    """Every blueprint of pages, in the order their routes are registered."""
    from helpline.web import (
        audit, auth, blocks, callbacks, calls, chat, directory, feeds, hours, metrics, public_map, rota, staff, today,
    )

    return [auth.blueprint, today.blueprint, callbacks.blueprint, calls.blueprint, staff.blueprint, hours.blueprint,
            blocks.blueprint, rota.blueprint, directory.blueprint, audit.blueprint, metrics.blueprint,
            feeds.blueprint, public_map.blueprint, chat.blueprint]


def init_app(app: Flask) -> None:
    from helpline.web import dates, errors, i18n

    settings = app.config["HELPLINE_SETTINGS"]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies need https end to end, which PUBLIC_BASE_URL says we have.
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        SESSION_COOKIE_NAME="helpline_session",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # Checked in _protect below, so the exemptions can follow nested blueprints.
        WTF_CSRF_CHECK_DEFAULT=False,
        # A form stays valid as long as the session does: a supervisor interrupted by a call
        # should not lose what they typed to an hour-long token.
        WTF_CSRF_TIME_LIMIT=None,
    )
    csrf.init_app(app)
    i18n.init_app(app)
    dates.init_app(app)

    @app.before_request
    def _protect() -> None:
        if request.endpoint is None:
            return  # no such route (404, 405): nothing runs that a forged form could abuse
        # request.blueprints lists the nested names innermost first; the last is the top one.
        top = request.blueprints[-1] if request.blueprints else None
        if top not in CSRF_EXEMPT_BLUEPRINTS:
            csrf.protect()

    app.context_processor(_navigation)

    errors.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf_refused(error: CSRFError):
        return errors.error_page(400, "csrf")

    @app.after_request
    def _page_headers(response):
        if response.mimetype == "text/html":
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; media-src 'self'; img-src 'self' data:; style-src 'self'; "
                "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            )
        return response

    for blueprint in _page_blueprints():
        app.register_blueprint(blueprint)


def _navigation() -> dict:
    from helpline.web.auth import current_user

    # No routed view (an unknown address) means no navigation, unless it is our error page.
    wanted = request.endpoint is not None or g.get("error_page", False)
    user = current_user() if wanted and not g.get("without_navigation") else None
    items = []
    if user is not None:
        for endpoint, label, supervisors_only in NAV:
            if endpoint in current_app.view_functions and (user.is_supervisor or not supervisors_only):
                section = endpoint.rsplit(".", 1)[0]
                items.append({"endpoint": endpoint, "label": label,
                              "current": request.blueprint == section})
    return {"nav_items": items, "user": user}
