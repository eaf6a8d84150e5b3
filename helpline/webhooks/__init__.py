"""Twilio webhooks: parse the request, decide (helpline.rota and helpline.callflow), render TwiML."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    pass
