"""GET /calendar/<secret>.ics: a private calendar feed of the rota (helpline.rota.feeds).

No session is needed: the secret in the URL is the key, so calendar apps can subscribe. An
unknown or revoked secret gets the same plain 404 as a URL that never existed.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from helpline.services import current_services
from helpline.rota.feeds import build_calendar, feed_shifts, find_feed, revisions
from helpline.models import FeedScope, Shift, WebLogin
from helpline.phones import readable
from helpline.web.i18n import DEFAULT_LANGUAGE

blueprint = Blueprint("feeds", __name__)


@blueprint.get("/calendar/<token>.ics")
def feed(token: str):
    line = current_services()
    with line.db.session() as session:
        found = find_feed(session, token)
        if found is None:
            return Response("Not found\n", status=404, mimetype="text/plain")
        shifts = feed_shifts(session, found, line.clock.now())
        language = session.scalar(select(WebLogin.language).where(WebLogin.staff_id == found.staff_id))
        whole_rota = found.scope == FeedScope.ROTA
        with force_locale(language or DEFAULT_LANGUAGE):
            helpline = _("Helpline")
            name = _("%(line)s: rota", line=helpline) if whole_rota else f"{helpline}: {found.staff.name}"

            def summary(shift: Shift) -> str:
                if whole_rota:
                    return _("%(name)s: %(line)s, ringing order %(order)s", name=shift.staff.name, line=helpline,
                             order=shift.priority)
                return _("%(line)s duty, ringing order %(order)s", line=helpline, order=shift.priority)

            number = readable(line.settings.twilio_phone_number) if line.settings.twilio_phone_number else ""
            description = _("On duty for the help line %(number)s. Ringing order 1 rings first.", number=number)
            body = build_calendar(shifts, revisions(session, shifts), tz=line.settings.timezone, name=name,
                                  uid_domain=_uid_domain(), summary=summary, description=description)
    response = Response(body, mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="helpline.ics"'
    # The URL is the secret: keep it out of caches shared with others and out of Referer headers.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _uid_domain() -> str:
    """The host in every event's UID: PUBLIC_BASE_URL's, so UIDs stay the same whoever asks."""
    return urlsplit(current_services().settings.public_base_url).hostname or "helpline.invalid"
