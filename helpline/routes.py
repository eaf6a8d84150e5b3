"""The URLs the outside world calls us on, and :func:`public_url`, which writes one absolute.

Twilio needs absolute URLs it can reach: a <Dial> action, a <Record> callback, an SMS's
StatusCallback, the bridge of a call back; staff phones get listen links by SMS. Webhooks write
them while answering a request, and jobs and domain code write them too, in a worker that has
neither a request nor a Flask app. So the endpoint -> path table lives here, below both: the
webhook blueprints mount their views on these very paths (``@blueprint.post(path("voice.incoming"))``),
and :func:`public_url` builds from them with werkzeug's URL map, bound to the public base URL,
just as ``url_for(..., _external=True)`` would.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from werkzeug.routing import Map, MapAdapter, Rule

# Endpoint (blueprint.view) -> path. Every URL we hand to Twilio or put in an SMS is one of these.
PUBLIC_PATHS: dict[str, str] = {
    # helpline.webhooks.voice: the caller's leg, the staff legs of a hunt, messages
    "voice.incoming": "/voice/incoming",  # on the number
    "voice.language": "/voice/language",
    "voice.dial_result": "/voice/dial-result",
    "voice.screen": "/voice/screen",
    "voice.screen_choice": "/voice/screen-choice",
    "voice.recorded": "/voice/recorded",
    "voice.recording_status": "/voice/recording-status",
    "voice.status": "/voice/status",  # on the number
    # helpline.webhooks.voice_queue: a caller waiting in the queue, and the free staff member's offer
    "voice_queue.wait": "/voice/queue/wait",  # the <Enqueue> waitUrl
    "voice_queue.key": "/voice/queue/key",
    "voice_queue.result": "/voice/queue/result",  # the <Enqueue> action
    "voice_queue.bridge": "/voice/queue/bridge",  # the <Queue url>, on the caller's leg
    "voice_queue.offer": "/voice/queue/offer",  # the staff leg answered
    "voice_queue.offer_choice": "/voice/queue/offer-choice",
    "voice_queue.offer_result": "/voice/queue/offer-result",  # the staff leg's <Dial> action
    "voice_queue.offer_status": "/voice/queue/offer-status",  # the staff leg's status callback
    # helpline.webhooks.sms
    "sms.incoming": "/sms/incoming",  # on the number
    "sms.message_status": "/sms/status",
    # helpline.webhooks.callbacks_out: the staff leg of CALL <ref>
    "callbacks_out.bridge_answered": "/callbacks-out/bridge",
    "callbacks_out.bridge_choice": "/callbacks-out/bridge-choice",
    "callbacks_out.result": "/callbacks-out/result",
    "callbacks_out.staff_leg_status": "/callbacks-out/status",
    # helpline.webhooks.listen: the listen links in staff SMS
    "listen.listen": "/r/<token>",
}


def path(endpoint: str) -> str:
    """The rule an endpoint is served at, e.g. path("listen.listen") == "/r/<token>"."""
    return PUBLIC_PATHS[endpoint]


def public_url(base_url: str, endpoint: str, **values: object) -> str:
    """``endpoint``'s absolute URL on ``base_url`` (PUBLIC_BASE_URL): the rule's variables from
    ``values``, any other value in the query string in the order given (None ones left out).

        public_url("https://helpline.example.org", "sms.message_status", outbound=7)
        == "https://helpline.example.org/sms/status?outbound=7"
    """
    if not base_url:
        raise ValueError(f"an absolute URL for {endpoint} needs PUBLIC_BASE_URL")
    return _adapter(base_url.rstrip("/")).build(endpoint, values, force_external=True)


@lru_cache(maxsize=1)
def _map() -> Map:
    return Map([Rule(rule, endpoint=endpoint) for endpoint, rule in PUBLIC_PATHS.items()])


@lru_cache(maxsize=8)
def _adapter(base_url: str) -> MapAdapter:
    parts = urlsplit(base_url)
    return _map().bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
