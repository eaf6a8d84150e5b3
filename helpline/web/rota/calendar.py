"""Making and stopping one's calendar feed (and, for supervisors, a feed of the whole rota).

The link is shown once, when made: only a digest of its secret is stored. Making a new one
stops the old one, so a link that leaked is dealt with by making a new one or stopping it.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from helpline.services import current_services
from helpline.rota.feeds import create_feed, live_feeds, revoke_feeds
from helpline.models import FeedScope, Staff
from helpline.web.auth import current_user, forbidden, login_required
from helpline.web.rota import blueprint
from helpline.web.rota.common import now
from helpline.web.rota.forms import EmptyForm


def feed_url(token: str) -> str:
    """The feed's absolute URL, on PUBLIC_BASE_URL when set (behind a proxy the request's host may differ)."""
    base = current_services().settings.public_base_url
    path = url_for("feeds.feed", token=token)
    return base.rstrip("/") + path if base else url_for("feeds.feed", token=token, _external=True)


@blueprint.get("/calendar")
@login_required
def calendar():
    return _page()


@blueprint.post("/calendar/new")
@login_required
def new_feed():
    scope = _scope()
    if scope is None:
        return forbidden()
    user = current_user()
    with current_services().db.session() as session:
        token = create_feed(session, session.get(Staff, user.staff_id), scope, now())
    return _page(new_url=feed_url(token), new_scope=scope)


@blueprint.post("/calendar/revoke")
@login_required
def revoke_feed():
    scope = _scope()
    if scope is None:
        return forbidden()
    with current_services().db.session() as session:
        stopped = revoke_feeds(session, current_user().staff_id, scope, now())
    if stopped:
        flash(_("The link was stopped: calendars that used it get nothing more from it."), "success")
    return redirect(url_for(".calendar"))


def _scope() -> str | None:
    """The scope asked for, if this person may have it (the whole rota is for supervisors)."""
    scope = request.form.get("scope", FeedScope.OWN.value)
    if scope == FeedScope.ROTA.value and current_user().is_supervisor:
        return scope
    return FeedScope.OWN.value if scope == FeedScope.OWN.value else None


def _page(new_url: str | None = None, new_scope: str | None = None):
    user = current_user()
    with current_services().db.session() as session:
        feeds = live_feeds(session, user.staff_id)
    return render_template("rota/calendar.html", feeds=feeds, new_url=new_url, new_scope=new_scope,
                           form=EmptyForm(), me=user)
