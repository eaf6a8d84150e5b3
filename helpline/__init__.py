"""Helpline: the backend of a one-number church help line.

``create_app`` is the app factory; nothing runs at import time.
"""
from __future__ import annotations

from flask import Flask

from helpline import logs
from helpline.config import Settings
from helpline.ids import IdConverter
from helpline.services import Services, build_services, development_secret_key

__all__ = ["create_app"]

# The largest request body any route reads: the API's JSON, the pages' forms, Twilio's webhooks
# (a few KB at most) and the rota CSV import (which has its own, smaller cap of 512 KiB). A
# larger body is refused with 413 before it is read.
MAX_REQUEST_BYTES = 1024 * 1024


def create_app(config: Settings | Services | None = None) -> Flask:
    """Build the web app. ``config`` is a Settings (tests), ready Services, or None (environment)."""
    if isinstance(config, Services):
        line = config
    else:
        line = build_services(config)
    settings = line.settings

    app = Flask(__name__)
    app.config["SECRET_KEY"] = settings.secret_key or development_secret_key()
    app.config["HELPLINE_SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    # Werkzeug's own cap on a form's fields in memory (500 kB) would otherwise be the lower one.
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_REQUEST_BYTES
    # Before any blueprint: <int:...> in every route then matches only ids the database can hold.
    app.url_map.converters["int"] = IdConverter
    app.extensions["helpline"] = line
    logs.configure()

    from helpline.webhooks import init_app as init_webhooks
    from helpline.api import init_app as init_api
    from helpline.cli import init_app as init_cli
    from helpline.web import init_app as init_web
    from helpline.metrics.prometheus import init_app as init_prometheus

    init_prometheus(app)
    init_webhooks(app)
    init_api(app)
    init_cli(app)
    init_web(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app
