"""The week view (GET /rota/?week=2027-01-11) and copying last week into it."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from helpline.services import current_services
from helpline.models import Shift
from helpline.rota.rules import format_minute
from helpline.rota.changes import copy_week
from helpline.rota.load import load_calendar
from helpline.web.auth import current_user, login_required, supervisor_required
from helpline.web.rota import blueprint
from helpline.web.rota.common import asked_monday, line_tz, now, page_actor
from helpline.web.rota.forms import CopyWeekForm
from helpline.web.rota.view import build_week, week_bounds
from helpline.web.rota.words import skipped, span


@blueprint.context_processor
def _helpers() -> dict:
    return {"span": span, "minute": format_minute, "tz": line_tz()}


@blueprint.get("/")
@login_required
def week():
    user = current_user()
    assert user is not None
    line, tz = current_services(), line_tz()
    monday = asked_monday()
    starts, ends = week_bounds(monday, tz)
    query = select(Shift).where(Shift.starts_at < ends, Shift.ends_at > starts)
    if not user.is_supervisor:
        # Staff see their own shifts only.
        query = query.where(Shift.staff_id == user.staff_id)
    with line.db.session() as session:
        shifts = session.scalars(query.order_by(Shift.starts_at, Shift.priority, Shift.id)).all()
        calendar = load_calendar(session, line.settings, starts)
        days = build_week(monday, shifts, calendar, now(), me=user.staff_id)
    this_monday = asked_monday("")
    return render_template(
        "rota/week.html", days=days, monday=monday, sunday=monday + timedelta(days=6),
        previous=monday - timedelta(days=7), following=monday + timedelta(days=7),
        this_monday=this_monday, is_this_week=monday == this_monday, this_day=now().astimezone(tz).date(),
        hours=range(0, 24, 3), copy_form=CopyWeekForm(week=monday.isoformat()), me=user,
    )


@blueprint.post("/copy-week")
@supervisor_required
def copy_last_week():
    form = CopyWeekForm()
    if not form.validate_on_submit():
        flash(_("Choose a week to copy into."), "error")
        return redirect(url_for(".week"))
    monday = asked_monday(form.week.data)
    line = current_services()
    with line.db.session() as session:
        result = copy_week(session, page_actor(), monday, now=now(), tz=line_tz())
        messages = [skipped(item) for item in result.skipped]
        copied = len(result.copied)
    if copied or not messages:
        flash(ngettext("Copied %(num)d shift from the week before.", "Copied %(num)d shifts from the week before.",
                       copied), "success" if copied else "info")
    for message in messages:
        flash(message, "warning")
    return redirect(url_for(".week", week=monday.isoformat()))
