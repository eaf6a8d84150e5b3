"""The benchmark's baseline: the least a Flask app can do to answer /voice/incoming.

No signature check, no database, no rota: one fixed TwiML document. Served by the same
gunicorn settings as the real app, so the ratio isolates what Helpline itself costs.
"""
from flask import Flask, Response

FIXED_TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response>'
    '<Say language="fi-FI" voice="Polly.Suvi-Neural">Tervetuloa.</Say><Hangup/></Response>'
)


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/voice/incoming")
    def incoming() -> Response:
        return Response(FIXED_TWIML, mimetype="text/xml")

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
