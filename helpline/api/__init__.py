"""The supervisor API (JSON under /api), with bearer-token auth.

- auth.py: the bearer token on every request; supervisors change things, staff read
- errors.py: every error answers ``{"error": "..."}``
- validation.py: reading bodies and query parameters, with errors in words
- staff.py, shifts.py, hours.py (office hours, closures), duty.py (on duty), callbacks.py
- rota_import.py: a rota CSV checked (dry run) or stored, all or nothing
- services.py: the directory of help services (reading is public); calls.py: calls and wrap-ups
- blocked_numbers.py: numbers kept from reaching the line (supervisors only)
- audit.py: the audit log of changes (supervisors only)
- openapi.py: GET /api/openapi.json, checked against the routes by the tests
- docs.py: GET /api/docs, that document rendered as a page (no token needed)
"""
from __future__ import annotations

from flask import Blueprint, Flask


def init_app(app: Flask) -> None:
    from helpline.api import (
        audit, blocked_numbers, callbacks, calls, docs, duty, errors, hours, metrics, openapi, rota_import, services,
        shifts, staff,
    )
    from helpline.api.auth import authenticate

    # A fresh parent per app: child blueprints may be registered into many apps (tests), a
    # parent that gathered them at import time could not.
    api = Blueprint("api", __name__, url_prefix="/api")
    api.before_request(authenticate)
    for module in (staff, shifts, rota_import, hours, duty, callbacks, calls, services, blocked_numbers, audit, metrics,
                   openapi, docs):
        api.register_blueprint(module.blueprint)
    app.register_blueprint(api)
    errors.init_app(app)
