"""Blocked numbers (supervisors only): block a number for some days with a reason, see the blocks
in force, lift one. The same rules as /api/blocked-numbers (helpline.blocks); every change is in
the audit log. The page shows no number, only each block's last digits: none is kept.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import TextInput

from helpline.audit import Actor
from helpline.blocks import rules, store
from helpline.models import ActorKind, BlockedNumber
from helpline.phones import InvalidPhoneNumber, normalise
from helpline.services import current_services
from helpline.web.auth import current_user, not_found, supervisor_required
from helpline.web.validators import one_line_name

blueprint = Blueprint("blocks", __name__, url_prefix="/blocked")
DEFAULT_DAYS = 30


def _number(form, field) -> None:
    try:
        field.data = normalise(field.data or "")
    except InvalidPhoneNumber:
        raise ValidationError(_("“%(value)s” is not a phone number. Write it like 040 123 4567 or "
                                "+358 40 123 4567.", value=field.data)) from None


class BlockForm(FlaskForm):
    number = StringField(_l("Phone number"),
                         validators=[DataRequired(message=_l("A phone number is required.")), _number],
                         render_kw={"autocomplete": "off", "inputmode": "tel"})
    # A text input like every other field here (a number input is drawn narrow, with spinner arrows).
    days = IntegerField(_l("Days"), default=DEFAULT_DAYS, widget=TextInput(),
                        validators=[InputRequired(message=_l("Give the number of days.")),
                                    NumberRange(rules.MIN_DAYS, rules.MAX_DAYS,
                                                message=_l("Give a number of days from %(min)s to %(max)s."))],
                        description=_l("The block ends this many days from now."),
                        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    reason = StringField(_l("Reason"),
                         validators=[DataRequired(message=_l("Give a reason; supervisors will see it.")),
                                     one_line_name, Length(max=rules.REASON_MAX)],
                         description=_l("For example: repeated abusive calls."))


def _actor() -> Actor:
    user = current_user()
    assert user is not None
    return Actor(f"{user.name} ({user.username})", ActorKind.USER.value)


def _page(form: BlockForm, status: int = 200):
    line = current_services()
    with line.db.session() as db:
        blocks = store.in_force(db, line.clock.now())
        return render_template("blocks/index.html", form=form, blocks=blocks), status


@blueprint.get("/")
@supervisor_required
def index():
    return _page(BlockForm())


@blueprint.post("/")
@supervisor_required
def add():
    form = BlockForm()
    if not form.validate():
        return _page(form, 422)
    line = current_services()
    try:
        with line.db.session() as db:
            store.add(db, secret_key=line.settings.secret_key, number=form.number.data, days=form.days.data,
                      reason=form.reason.data.strip(), actor=_actor(), now=line.clock.now(),
                      tz=line.settings.timezone)
    except store.AlreadyBlocked:
        form.number.errors = [_("That number is blocked already. Lift that block first to make a new one.")]
        return _page(form, 409)
    except store.StaffNumber as refusal:
        form.number.errors = [_("That is the phone of %(name)s, on the staff. Deactivate them on the Staff page "
                                "instead.", name=refusal.staff_name)]
        return _page(form, 409)
    flash(_("The number was blocked."), "success")
    return redirect(url_for(".index"))


@blueprint.post("/<int:block_id>/delete")
@supervisor_required
def remove(block_id: int):
    line = current_services()
    with line.db.session() as db:
        block = db.get(BlockedNumber, block_id)
        if block is None:
            return not_found()
        store.remove(db, block, actor=_actor(), now=line.clock.now(), tz=line.settings.timezone)
    flash(_("The block was lifted."), "success")
    return redirect(url_for(".index"))
