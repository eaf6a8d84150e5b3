"""GET /r/<token>: a staff member opens the listen link from their SMS and hears the message.

Not a Twilio webhook (a phone's browser calls it), so it carries no signature: the unguessable,
expiring token is the key (helpline.callbacks.listen_links). The audio is streamed from Twilio with our
credentials; the answer is never a redirect to a Twilio URL. Refusals are short plain texts in
the line's three languages, since we do not know who is holding the phone.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response

from helpline.services import current_services
from helpline.callbacks.listen_links import LinkProblem, LinkUnavailable, open_link
from helpline.routes import path
from helpline.telephony.errors import NotFound, TwilioError
from helpline.web.recording_audio import recording_response

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
        # A private recording: no caches (recording_response), no search engines, no referrer
        # leaking the token onwards.
        return recording_response(opened.recording_sid, {
            "Content-Disposition": f'inline; filename="callback-{opened.callback_id}.mp3"',
            "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"})
    except NotFound:
        log.warning("listen link to message %s: Twilio no longer has recording %s", opened.voice_message_id,
                    opened.recording_sid)
        return _plain(*_REFUSALS[LinkProblem.GONE])
    except TwilioError as error:
        log.error("listen link to message %s: %s", opened.voice_message_id, error.message)
        return _plain(502, _UNREACHABLE)
