"""Every Twilio webhook is signed; an unsigned or wrongly signed request gets 403 and changes nothing.

Twilio signs the exact URL it requested. We rebuild it from PUBLIC_BASE_URL (when set) plus the
*raw* path and query string as they arrived: Werkzeug's ``request.url`` un-escapes the query
(``%2B`` becomes ``+``), which would break the signature of any URL with an escaped character.
"""
from __future__ import annotations

import logging
from functools import wraps
from typing import Callable, TypeVar
from urllib.parse import quote, urlsplit

from flask import Response, request

from helpline.services import current_services

log = logging.getLogger(__name__)
View = TypeVar("View", bound=Callable[..., object])


def signed_url_of_request() -> str:
    """The URL Twilio requested, as Twilio saw it: what its signature covers."""
    settings = current_services().settings
    base = settings.public_base_url or f"{request.scheme}://{request.host}"
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw:
        if raw.startswith(("http://", "https://")):
            parts = urlsplit(raw)
            raw = parts.path + (f"?{parts.query}" if parts.query else "")
        return base + raw
    query = request.query_string.decode("latin-1")
    return base + quote(request.script_root + request.path) + (f"?{query}" if query else "")


def twilio_signed(view: View) -> View:
    """Reject, with 403 and no side effects, any request not signed with our auth token."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        url = signed_url_of_request()
        signature = request.headers.get("X-Twilio-Signature")
        if not current_services().signature_checker.is_valid(url, request.form.to_dict(flat=True), signature):
            log.warning("rejected unsigned or forged Twilio request to %s", url)
            return Response("Forbidden: missing or invalid X-Twilio-Signature\n", status=403,
                            mimetype="text/plain")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
