"""What every TwiML webhook does the same way: answer text/xml, read numbers from Twilio's
form, write absolute callback URLs, and fall back to a document the caller (or staff member)
can live with when anything inside fails: never silence, never Twilio's own error message.
"""
from __future__ import annotations

import logging
from functools import wraps
from typing import Callable

from flask import Response, request

from helpline.routes import public_url
from helpline.services import current_services
from helpline.telephony.twiml import Twiml

log = logging.getLogger(__name__)

MakeTwiml = Callable[[], Twiml]


def xml(document: Twiml | str) -> Response:
    return Response(str(document), status=200, mimetype="text/xml")


def to_int(value: str | None) -> int | None:
    """A number Twilio sent (a duration, an error code, an attempt in our own URL); None when absent,
    not a number, or more than an INTEGER column holds (it would overflow in SQL)."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is None or -2**31 <= number < 2**31 else None


def url(endpoint: str, **values: object) -> str:
    """An absolute callback URL (helpline.routes) on PUBLIC_BASE_URL when set, else on the host
    Twilio called."""
    base = current_services().settings.public_base_url or request.host_url.rstrip("/")
    return public_url(base, endpoint, **values)


class Fallbacks:
    """The TwiML a blueprint's views answer when they raise: the one given to
    ``@fallbacks.on_failure(make)``, else ``default``. When even that fails, ``last_resort`` (a
    static document) if there is one; without one the error goes on to Flask.

    ``what`` names the webhooks in the log ("voice webhook").
    """

    def __init__(self, what: str, default: MakeTwiml, *, last_resort: str | None = None) -> None:
        self.what = what
        self.default = default
        self.last_resort = last_resort
        self._by_view: dict[str, MakeTwiml] = {}

    def on_failure(self, make: MakeTwiml | None = None):
        """Decorate a view: answer ``make()`` (or the default) when it raises, after logging the
        error with its traceback."""

        def decorate(view):
            if make is not None:
                self._by_view[view.__name__] = make

            @wraps(view)
            def wrapper(*args, **kwargs):
                try:
                    return view(*args, **kwargs)
                except Exception:
                    log.exception("%s %s failed; answering its fallback TwiML", self.what, request.full_path)
                    return self.response()

            return wrapper

        return decorate

    def response(self) -> Response:
        """The fallback of the view this request was for."""
        view = (request.endpoint or "").rpartition(".")[2]
        if self.last_resort is None:
            return xml(self._by_view.get(view, self.default)())
        try:
            return xml(self._by_view.get(view, self.default)())
        except Exception:  # the last resort must not fail: a static document
            log.exception("the fallback TwiML of %s failed too", view)
            return xml(self.last_resort)
