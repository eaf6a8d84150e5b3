"""The Rota pages (/rota): a week of timelines; supervisors add, edit, delete, hand over and swap
shifts, copy last week and import a CSV; staff see their own shifts and their calendar feed.

- view.py: the week as plain data (blocks on a quarter-hour grid, office-hour gaps)
- words.py: refusals from helpline.rota.changes / rota_import in the reader's language
- week.py: the week view and copying last week
- shifts.py: the add/edit/delete forms, handing over and swapping
- imports.py: CSV upload, preview and confirm
- calendar.py: making and revoking one's calendar feed (the feed itself is helpline/web/feeds.py)

Every change goes through helpline.rota.changes, which checks clashes the same way as the API
and writes the audit entry in the same transaction.
"""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("rota", __name__, url_prefix="/rota")

# The modules add their routes to ``blueprint`` when imported.
from helpline.web.rota import calendar, imports, shifts, week  # noqa: E402,F401
