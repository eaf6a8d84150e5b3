"""GET /r/<token>: a staff member opens the listen link from their SMS and hears the message.

Not a Twilio webhook (a phone's browser calls it), so it carries no signature: the unguessable,
expiring token is the key (helpline.callbacks.listen_links). The audio is streamed from Twilio with our
credentials; the answer is never a redirect to a Twilio URL. Refusals are short plain texts in
the line's three languages, since we do not know who is holding the phone.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request

from helpline.services import current_services
from helpline.callbacks.listen_links import LinkProblem, LinkUnavailable, open_link
from helpline.routes import path
from helpline.telephony.errors import NotFound, TwilioError

log = logging.getLogger(__name__)
blueprint = Blueprint("listen", __name__)

_REFUSALS = {
    LinkProblem.UNKNOWN: (404, "Linkkiä ei löydy. / Länken finns inte. / This link does not exist."),
    LinkProblem.EXPIRED: (410, "Linkki on vanhentunut. / Länken har gått ut. / This link has expired."),
    LinkProblem.REVOKED: (410, "Linkki ei ole enää käytössä. / Länken gäller inte längre. / "
                               "This link is no longer valid."),
    LinkProblem.GONE: (410, "Viestiä ei ole enää tallessa. / Meddelandet finns inte längre. / "
                            "The message is no longer stored."),
}
_UNREACHABLE = ("Viestiä ei juuri nyt saatu haettua, yritä hetken päästä. / Meddelandet kunde inte hämtas just "
                "nu, försök igen om en stund. / The message could not be fetched just now; try again shortly.")


def _plain(status: int, text: str) -> Response:
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get(path("listen.listen"))
def listen(token: str) -> Response:
    line = current_services()
    try:
        with line.db.session() as session:
            opened = open_link(session, token, line.clock.now())
    except LinkUnavailable as refusal:
        status, text = _REFUSALS[refusal.problem]
        log.info("listen link refused: %s", refusal.problem.value)
        return _plain(status, text)
    try:
        stream = line.twilio.open_recording(opened.recording_sid, range_header=request.headers.get("Range"))
    except NotFound:
        log.warning("listen link to message %s: Twilio no longer has recording %s", opened.voice_message_id,
                    opened.recording_sid)
        return _plain(*_REFUSALS[LinkProblem.GONE])
    except TwilioError as error:
        log.error("listen link to message %s: %s", opened.voice_message_id, error.message)
        return _plain(502, _UNREACHABLE)
    response = Response(stream.chunks(), status=stream.status, mimetype=stream.content_type, direct_passthrough=True)
    response.headers.update(stream.headers)
    response.headers["Content-Disposition"] = f'inline; filename="callback-{opened.callback_id}.mp3"'
    # A private recording: no caches, no search engines, no referrer leaking the token onwards.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.call_on_close(stream.close)
    return response
