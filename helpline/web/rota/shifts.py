"""Adding, editing and deleting a shift, and handing it to someone else (cover or swap).

Handing over is two taps: "Hand over" on the week view, then a person (who covers it) or another
person's shift (which the two swap). People who are busy then are shown, but not offered.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpline.services import current_services
from helpline.ids import parse_id
from helpline.models import Shift, Staff
from helpline.rota.changes import (
    ShiftClash,
    ShiftRefused,
    add_shift,
    change_shift,
    find_clash,
    remove_shift,
)
from helpline.rota.changes import (
    hand_over as hand_shift_over,
)
from helpline.rota.changes import (
    swap as swap_shifts,
)
from helpline.web.auth import not_found, supervisor_required
from helpline.web.dates import DateInputError, parse_day
from helpline.web.rota import blueprint
from helpline.web.rota.common import line_tz, now, page_actor
from helpline.web.rota.forms import EmptyForm, ShiftForm
from helpline.web.rota.words import refusal, span

# How far around a shift the hand-over page looks for shifts to swap it with.
SWAP_WINDOW = timedelta(days=7)


@blueprint.route("/shifts/new", methods=["GET", "POST"])
@supervisor_required
def new_shift():
    form = ShiftForm()
    status = 200
    with current_services().db.session() as session:
        form.staff_id.choices = _people(session)
        if request.method == "GET":
            form.day.data = _asked_day()
            form.starts.data, form.ends.data = time(9), time(15)
            form.staff_id.data = request.args.get("staff", type=int)
        elif form.validate_on_submit() and (instants := form.instants(line_tz())) is not None:
            staff = session.get(Staff, form.staff_id.data)
            try:
                shift = add_shift(session, page_actor(), staff, *instants, form.priority.data, now=now(), tz=line_tz())
            except ShiftRefused as error:
                form.form_errors.append(refusal(error))
                status = 409 if isinstance(error, ShiftClash) else 422
            else:
                flash(_("Added %(name)s's shift %(span)s.", name=staff.name, span=span(shift.starts_at, shift.ends_at)),
                      "success")
                return _back_to_week(shift.starts_at)
        else:
            status = 422
    return render_template("rota/shift_form.html", form=form, shift=None), status


@blueprint.route("/shifts/<int:shift_id>/edit", methods=["GET", "POST"])
@supervisor_required
def edit_shift(shift_id: int):
    tz = line_tz()
    status = 200
    with current_services().db.session() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            return not_found()
        form = ShiftForm()
        form.staff_id.choices = _people(session, also=shift.staff)
        if request.method == "GET":
            starts, ends = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
            form.staff_id.data, form.priority.data = shift.staff_id, shift.priority
            form.day.data, form.starts.data, form.ends.data = starts.date(), starts.time(), ends.time()
        elif form.validate_on_submit() and (instants := form.instants(tz)) is not None:
            staff = session.get(Staff, form.staff_id.data)
            try:
                change_shift(session, page_actor(), shift, staff, *instants, form.priority.data, now=now(), tz=tz)
            except ShiftRefused as error:
                form.form_errors.append(refusal(error))
                status = 409 if isinstance(error, ShiftClash) else 422
            else:
                flash(_("Saved %(name)s's shift %(span)s.", name=staff.name, span=span(shift.starts_at, shift.ends_at)),
                      "success")
                return _back_to_week(shift.starts_at)
        else:
            status = 422
        return render_template("rota/shift_form.html", form=form, shift=shift, delete_form=EmptyForm()), status


@blueprint.post("/shifts/<int:shift_id>/delete")
@supervisor_required
def delete_shift(shift_id: int):
    EmptyForm().validate_on_submit()  # the CSRF token was checked before the view
    with current_services().db.session() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            return not_found()
        what = _("Deleted %(name)s's shift %(span)s.", name=shift.staff.name, span=span(shift.starts_at, shift.ends_at))
        starts_at = shift.starts_at
        remove_shift(session, page_actor(), shift, now=now(), tz=line_tz())
    flash(what, "success")
    return _back_to_week(starts_at)


@blueprint.get("/shifts/<int:shift_id>/hand-over")
@supervisor_required
def hand_over(shift_id: int):
    with current_services().db.session() as session:
        shift = session.get(Shift, shift_id)
        if shift is None:
            return not_found()
        return _hand_over_page(session, shift)


@blueprint.post("/shifts/<int:shift_id>/hand-over")
@supervisor_required
def give_shift(shift_id: int):
    with current_services().db.session() as session:
        shift = session.get(Shift, shift_id)
        to = session.get(Staff, parse_id(request.form.get("to")) or 0)
        if shift is None or to is None:
            return not_found()
        before = shift.staff.name
        try:
            hand_shift_over(session, page_actor(), shift, to, now=now(), tz=line_tz())
        except ShiftRefused as error:
            session.rollback()
            return _refused_hand_over(session, shift_id, refusal(error))
        flash(_("%(to)s now covers %(from)s's shift %(span)s.", to=to.name, **{"from": before},
                span=span(shift.starts_at, shift.ends_at)), "success")
        return _back_to_week(shift.starts_at)


@blueprint.post("/shifts/<int:shift_id>/swap")
@supervisor_required
def swap_shift(shift_id: int):
    with current_services().db.session() as session:
        shift = session.get(Shift, shift_id)
        other = session.get(Shift, parse_id(request.form.get("other")) or 0)
        if shift is None or other is None or other.staff_id == shift.staff_id:
            return not_found()
        one, two = shift.staff.name, other.staff.name
        try:
            swap_shifts(session, page_actor(), shift, other, now=now(), tz=line_tz())
        except ShiftRefused as error:
            session.rollback()
            return _refused_hand_over(session, shift_id, refusal(error))
        flash(_("Swapped: %(two)s takes %(span_one)s and %(one)s takes %(span_two)s.", one=one, two=two,
                span_one=span(shift.starts_at, shift.ends_at), span_two=span(other.starts_at, other.ends_at)),
              "success")
        return _back_to_week(shift.starts_at)


def _refused_hand_over(session: Session, shift_id: int, words: str):
    """The hand-over page again, with the reason at the top (someone changed the rota meanwhile)."""
    return _hand_over_page(session, session.get(Shift, shift_id), refused=words), 409


def _hand_over_page(session: Session, shift: Shift, refused: str | None = None) -> str:
    swaps = _swaps(session, shift)
    return render_template("rota/hand_over.html", shift=shift, form=EmptyForm(), covers=_covers(session, shift),
                           swaps=[other for other, free in swaps if free],
                           unswappable=sum(1 for _other, free in swaps if not free), refused=refused)


def _covers(session: Session, shift: Shift) -> list[tuple[Staff, Shift | None]]:
    """Everyone active but the shift's owner, each with the shift that keeps them busy then (or None)."""
    people = session.scalars(select(Staff).where(Staff.active.is_(True), Staff.id != shift.staff_id)
                             .order_by(Staff.name, Staff.id))
    return [(person, find_clash(session, person.id, shift.starts_at, shift.ends_at)) for person in people]


def _swaps(session: Session, shift: Shift) -> list[tuple[Shift, bool]]:
    """Other people's shifts near this one, each with whether the two people are free to swap."""
    nearby = session.scalars(
        select(Shift).where(Shift.staff_id != shift.staff_id, Shift.starts_at < shift.ends_at + SWAP_WINDOW,
                            Shift.ends_at > shift.starts_at - SWAP_WINDOW)
        .order_by(Shift.starts_at, Shift.priority, Shift.id))
    result = []
    for other in nearby:
        both = [shift.id, other.id]
        free = (other.staff.active
                and find_clash(session, shift.staff_id, other.starts_at, other.ends_at, ignore=both) is None
                and find_clash(session, other.staff_id, shift.starts_at, shift.ends_at, ignore=both) is None)
        result.append((other, free))
    return result


def _people(session: Session, also: Staff | None = None) -> list[tuple[int, str]]:
    people = list(session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.name, Staff.id)))
    if also is not None and also not in people:
        people.append(also)
    return [(person.id, person.name if person.active else _("%(name)s (not active)", name=person.name))
            for person in people]


def _asked_day() -> date:
    try:
        return parse_day(request.args.get("date", ""))
    except DateInputError:
        return now().astimezone(line_tz()).date()


def _back_to_week(moment: datetime):
    day = moment.astimezone(line_tz()).date()
    return redirect(url_for(".week", week=day.isoformat(), _anchor=f"day-{day.isoformat()}"))
