"""The Today page: is the line open, who is on duty now and next, what is waiting, and the gaps."""
from __future__ import annotations

from flask import Blueprint, render_template

from helpline import services
from helpline.schedule import staff_on_duty, status_at
from helpline.web.auth import current_user, login_required

blueprint = Blueprint("today", __name__)


@blueprint.get("/")
@login_required
def index():
    line = services()
    now = line.clock.now()
    user = current_user()
    with line.db.session() as db:
        status = status_at(db, line.settings, now)
        on_duty = staff_on_duty(db, now)
    return render_template("today.html", status=status, on_duty=on_duty, now=now, me=user)
