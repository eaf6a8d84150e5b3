"""Every way a page can fail, as one styled page in the reader's language.

``error_page(status)`` renders templates/error.html: a page that refuses (403), finds nothing
(404), an address that takes another method (405), a body larger than the app accepts (413), a
form whose CSRF token failed (400) and a failure of ours (500). ``init_app`` turns every HTTP error
Flask raises outside the API into that page; under /api the API's own handler answers JSON, as
the contract promises (helpline.api.errors decides which requests are the API's).
"""
from __future__ import annotations

import logging

from flask import Flask, g, render_template
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# The page's words for each status (templates/error.html); anything else is "bad_request" or "server".
REASONS = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method", 410: "gone", 413: "too_large",
           500: "server"}


def error_page(status: int, reason: str | None = None, headers: dict[str, str] | None = None):
    """A styled error page: (body, status, headers) for a view or a handler to return."""
    reason = reason or REASONS.get(status) or ("server" if status >= 500 else "bad_request")
    g.error_page = True  # a signed-in reader keeps the navigation, even at an unknown address
    if status >= 500:
        g.without_navigation = True  # the database may be what failed: no signed-in lookups
    try:
        body = render_template("error.html", status=status, reason=reason)
    except Exception:  # noqa: BLE001 - the error page itself must never become a second failure
        log.exception("the error page for %s could not be rendered", status)
        body = _bare_page(status)
    return body, status, headers or {}


def _bare_page(status: int) -> str:
    try:
        words = _("Something went wrong. Nothing was changed; try again in a moment.")
    except Exception:  # noqa: BLE001 - no Babel, no request context: say it in the line's language
        words = "Jokin meni vikaan. Mitään ei muutettu; yritä hetken päästä uudelleen."
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{status}</title>"
            f"<link rel=\"stylesheet\" href=\"/static/helpline.css\"></head>"
            f"<body><main><h1>{status}</h1><p>{escape(words)}</p></main></body></html>")


def init_app(app: Flask) -> None:
    from helpline.api.errors import handle_http_error as api_error

    def handle_http_error(error: HTTPException):
        answer = api_error(error)
        if answer is not error:
            return answer  # a request to the API: its JSON
        headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
        return error_page(error.code or 500, headers=headers)

    # Replaces the API's app-wide handler with one that asks it first, so there is one place
    # that decides between JSON and a page.
    app.register_error_handler(HTTPException, handle_http_error)
