"""Twilio webhooks: parse the request, decide (helpline.rota.rules via helpline.inbound), render TwiML.

Every route is served at its path in helpline.routes, the table jobs write their URLs from too.

- voice.py: /voice/* (incoming call, language menu, staff hunt and screening, messages, status)
- voice_queue.py: /voice/queue/* (a caller waiting in the queue; a free staff member taking them)
- sms.py: /sms/* (staff commands, message status callbacks)
- security.py: the signature check every route wears
- twiml_response.py: what every TwiML route does alike: text/xml, callback URLs, the fallbacks
- callbacks_out.py: /callbacks-out/* (CALL <ref>: the staff leg, bridged to the caller)
- listen.py: /r/<token>, the listen links in staff SMS (not from Twilio: the token is the key)
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from helpline.webhooks.callbacks_out import blueprint as callbacks_out_blueprint
    from helpline.webhooks.listen import blueprint as listen_blueprint
    from helpline.webhooks.sms import blueprint as sms_blueprint
    from helpline.webhooks.voice import blueprint as voice_blueprint
    from helpline.webhooks.voice_queue import blueprint as voice_queue_blueprint

    app.register_blueprint(voice_blueprint)
    app.register_blueprint(voice_queue_blueprint)
    app.register_blueprint(sms_blueprint)
    app.register_blueprint(listen_blueprint)
    app.register_blueprint(callbacks_out_blueprint)
