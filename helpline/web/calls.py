"""The Calls page ("My calls" for staff): the live calls someone answered, and their wrap-ups.

Staff see the calls they answered; supervisors see everyone's and may wrap up any of them. A
wrap-up (resolved, or referred to a service, with a topic) is possible for 24 hours after the
call and may be corrected within them: the same rule as the WRAP SMS and the API
(helpline.directory.wrap_up.record).
"""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from helpline.directory import store, wrap_up
from helpline.directory.rules import WrapUpRefusal
from helpline.models import Call, CallOutcome, CallWrapUp, Service, Staff
from helpline.services import current_services
from helpline.web.auth import SignedIn, current_user, login_required, not_found

blueprint = Blueprint("calls", __name__, url_prefix="/calls")

DAYS_SHOWN = 14
OUTCOMES = {"resolved": _l("resolved"), "referred": _l("referred elsewhere")}


class WrapUpForm(FlaskForm):
    outcome = RadioField(_l("How did it end?"), choices=[SelectChoice(value, label) for value, label in OUTCOMES.items()],
                         validators=[DataRequired(message=_l("Choose how it ended."))])
    service_id = SelectField(_l("Referred to"), coerce=int, default=0, validators=[Optional()],
                             description=_l("Only when referred elsewhere. The caller gets no SMS after a live call."))
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=wrap_up.TOPIC_MAX)],
                        description=_l("A word or two for the statistics, like \"loneliness\"."))


def service_choices(db) -> list[SelectChoice]:
    """The services a referral may name (in use), by name, with their codes."""
    return [SelectChoice(0, _("— none —"))] + [
        SelectChoice(service.id, f"{service.name} ({service.code})") for service in store.services(db, active_only=True)]


def referral_checked(form: FlaskForm, only_when_referred: str) -> bool:
    """Whether a form that ends a call or a callback (its outcome, the service referred to) passes,
    checked against the services in use now. A service is named only with the outcome "referred":
    otherwise ``only_when_referred`` stands under the service, and False."""
    with current_services().db.session() as db:
        form.service_id.choices = service_choices(db)
    if not form.validate():
        return False
    if form.service_id.data and form.outcome.data != "referred":
        form.service_id.errors = [only_when_referred]
        return False
    return True


def _visible(query, user: SignedIn, everyone: bool):
    return query if user.is_supervisor and everyone else query.where(Call.answered_by_id == user.staff_id)


@blueprint.get("/")
@login_required
def index():
    user = current_user()
    assert user is not None
    line = current_services()
    everyone = user.is_supervisor and request.args.get("who", "all") != "mine"
    since = line.clock.now() - timedelta(days=DAYS_SHOWN)
    query = (select(Call, CallWrapUp, Staff, Service)
             .outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
             .outerjoin(Staff, Staff.id == Call.answered_by_id)
             .outerjoin(Service, Service.id == CallWrapUp.service_id)
             .where(Call.outcome == CallOutcome.ANSWERED.value, Call.answered_at >= since)
             .order_by(Call.answered_at.desc(), Call.id.desc()))
    with line.db.session() as db:
        rows = db.execute(_visible(query, user, everyone)).all()
        now = line.clock.now()
        shown = [(call, wrap, staff, service, wrap_up.deadline_of(call)) for call, wrap, staff, service in rows]
        waiting = sum(1 for call, wrap, _staff, _service, deadline in shown
                      if wrap is None and deadline is not None and deadline > now)
        return render_template("calls/list.html", rows=shown, everyone=everyone, waiting=waiting, now=now,
                               days=DAYS_SHOWN, outcomes=OUTCOMES)


def _load(db, call_id: int, user: SignedIn):
    found = db.execute(select(Call, CallWrapUp).outerjoin(CallWrapUp, CallWrapUp.call_id == Call.id)
                       .where(Call.id == call_id)).first()
    if found is None:
        return None
    call, wrap = found
    if not user.is_supervisor and call.answered_by_id != user.staff_id:
        return None
    return call, wrap


@blueprint.get("/<int:call_id>")
@login_required
def detail(call_id: int):
    return _detail_page(call_id, None, 200)


def _detail_page(call_id: int, form: WrapUpForm | None, status: int):
    user = current_user()
    assert user is not None
    line = current_services()
    with line.db.session() as db:
        found = _load(db, call_id, user)
        if found is None:
            return not_found()
        call, wrap = found
        if form is None:
            form = WrapUpForm(formdata=None, outcome=wrap.outcome if wrap else None,
                              service_id=wrap.service_id if wrap and wrap.service_id else 0,
                              topic=wrap.topic if wrap else "")
        form.service_id.choices = service_choices(db)
        answered_by = db.get(Staff, call.answered_by_id) if call.answered_by_id else None
        service = db.get(Service, wrap.service_id) if wrap and wrap.service_id else None
        wrapped_by = db.get(Staff, wrap.staff_id) if wrap and wrap.staff_id else None
        deadline = wrap_up.deadline_of(call) if call.outcome == CallOutcome.ANSWERED.value else None
        open_ = deadline is not None and deadline > line.clock.now()
        return render_template("calls/detail.html", call=call, wrap=wrap, form=form, answered_by=answered_by,
                               service=service, wrapped_by=wrapped_by, deadline=deadline, open=open_,
                               outcomes=OUTCOMES), status


@blueprint.post("/<int:call_id>/wrap-up")
@login_required
def save(call_id: int):
    user = current_user()
    assert user is not None
    line = current_services()
    form = WrapUpForm()
    if not referral_checked(form, _("A service is named only when the call was referred elsewhere.")):
        return _detail_page(call_id, form, 422)
    service_id = form.service_id.data or None
    with line.db.session() as db:
        if _load(db, call_id, user) is None:
            return not_found()
        try:
            wrap_up.record(db, call_id, outcome=form.outcome.data, service_id=service_id,
                           topic=(form.topic.data or "").strip() or None,
                           actor=wrap_up.WrapUpActor(user.staff_id, user.is_supervisor), via="web",
                           now=line.clock.now())
        except wrap_up.WrapUpRefused as refused:
            db.rollback()
            message = _("This call can no longer be wrapped up: that is possible for 24 hours after it.") \
                if refused.reason is WrapUpRefusal.TOO_LATE else _("This call is not yours to wrap up.")
            flash(message, "error")
            return redirect(url_for(".detail", call_id=call_id))
        except store.ServiceRefused:
            db.rollback()
            form.service_id.errors = [_("That service is no longer in use; choose another.")]
            return _detail_page(call_id, form, 422)
    flash(_("The call is wrapped up. Thank you!"), "success")
    return redirect(url_for(".index"))
