"""The Staff pages (supervisors only): add, edit, deactivate, and give someone a sign-in.

Nobody is deleted here: deactivating takes a person off every rota, assignment and sign-in while
their history stays readable (the API's DELETE is for typos). A supervisor cannot deactivate or
demote themselves, so the line can never be left without anyone able to run it from here.
Every change is written to the audit log in the same transaction.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import PasswordField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from helpline.services import current_services
from helpline.audit import Actor, record, staff_snapshot
from helpline.models import ActorKind, Role, Staff, WebLogin
from helpline.models.users import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH
from helpline.phones import InvalidPhoneNumber, normalise, readable
from helpline.web.accounts import AccountError, check_username
from helpline.web.auth import current_user, not_found, supervisor_required
from helpline.web.validators import one_line_name

blueprint = Blueprint("staff", __name__, url_prefix="/staff")

LANGUAGE_NAMES = {"fi": _l("Finnish"), "sv": _l("Swedish"), "en": _l("English")}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _phone(form, field) -> None:
    try:
        field.data = normalise(field.data or "")
    except InvalidPhoneNumber:
        raise ValidationError(_("“%(value)s” is not a phone number we can call. Write it like 040 123 4567 "
                                "or +358 40 123 4567.", value=field.data)) from None


def _username(form, field) -> None:
    if not field.data:
        return
    try:
        field.data = check_username(field.data)
    except AccountError:
        raise ValidationError(_("A username has no spaces and at most %(count)d characters.",
                                count=USERNAME_MAX_LENGTH)) from None


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("A name is required.")), Length(max=120),
                                               one_line_name])
    phone = StringField(_l("Phone"), validators=[DataRequired(message=_l("A phone number is required.")), _phone],
                        description=_l("Finnish forms like 040 123 4567 are fine."),
                        render_kw={"type": "tel", "autocomplete": "off"})
    languages = MultiCheckboxField(_l("Languages"), description=_l("Callers who chose one of these languages "
                                                                   "are given to this person first."))
    role = SelectField(_l("Role"), choices=[SelectChoice(Role.STAFF.value, _l("staff")),
                                            SelectChoice(Role.SUPERVISOR.value, _l("supervisor"))])
    username = StringField(_l("Username for signing in"), validators=[Optional(), one_line_name, _username],
                           description=_l("Leave empty for someone who does not use these pages."),
                           render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"})
    password = PasswordField(_l("New password"), validators=[Optional(), Length(min=PASSWORD_MIN_LENGTH,
                                                                                 max=PASSWORD_MAX_LENGTH)],
                             description=_l("At least %(count)d characters. Give it to them in person; they can "
                                            "change it on their account page.", count=PASSWORD_MIN_LENGTH),
                             render_kw={"autocomplete": "new-password"})


def _form(staff: Staff | None = None) -> StaffForm:
    form = StaffForm(obj=staff) if request.method == "GET" else StaffForm()
    codes = list(current_services().settings.caller_languages)
    extra = [code for code in (staff.languages if staff else []) if code not in codes]
    form.languages.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in codes + extra]
    if request.method == "GET" and staff is not None:
        form.phone.data = readable(staff.phone)
    return form


def _actor() -> Actor:
    user = current_user()
    assert user is not None
    return Actor(f"{user.name} ({user.username})", ActorKind.USER.value)


@blueprint.get("/")
@supervisor_required
def index():
    with current_services().db.session() as db:
        people = db.scalars(select(Staff).order_by(Staff.active.desc(), Staff.name, Staff.id)).all()
        logins = dict(db.execute(select(WebLogin.staff_id, WebLogin.username)).all())
        return render_template("staff/list.html", people=people, logins=logins)


@blueprint.route("/new", methods=["GET", "POST"])
@supervisor_required
def add():
    form = _form()
    if form.validate_on_submit() and _check_account(form, None):
        line = current_services()
        now = line.clock.now()
        with line.db.session() as db:
            staff = Staff(name="", phone="", languages=[], role=Role.STAFF.value, active=True, created_at=now)
            if _save(db, form, staff):
                record(db, _actor(), "staff", staff.id, None, staff_snapshot(staff), now)
                flash(_("%(name)s was added.", name=staff.name), "success")
                return redirect(url_for(".edit", staff_id=staff.id))
    return render_template("staff/form.html", form=form, staff=None, login=None), 422 if form.errors else 200


@blueprint.route("/<int:staff_id>", methods=["GET", "POST"])
@supervisor_required
def edit(staff_id: int):
    line = current_services()
    with line.db.session() as db:
        staff = db.get(Staff, staff_id)
        if staff is None:
            return not_found()
        login = db.scalar(select(WebLogin).where(WebLogin.staff_id == staff_id))
        form = _form(staff)
        if request.method == "GET" and login is not None:
            form.username.data = login.username
        if form.validate_on_submit() and _check_account(form, login) and _not_self_demotion(form, staff):
            before = staff_snapshot(staff)
            if _save(db, form, staff, login):
                record(db, _actor(), "staff", staff.id, before, staff_snapshot(staff), line.clock.now())
                flash(_("The changes to %(name)s were saved.", name=staff.name), "success")
                return redirect(url_for(".edit", staff_id=staff.id))
        return render_template("staff/form.html", form=form, staff=staff, login=login), 422 if form.errors else 200


def _check_account(form: StaffForm, login: WebLogin | None) -> bool:
    if form.username.data and login is None and not form.password.data:
        form.password.errors = [_("A new sign-in needs a password.")]
        return False
    if form.password.data and not form.username.data:
        form.username.errors = [_("A password needs a username.")]
        return False
    return True


def _not_self_demotion(form: StaffForm, staff: Staff) -> bool:
    user = current_user()
    if user is not None and staff.id == user.staff_id and form.role.data != Role.SUPERVISOR.value:
        form.role.errors = [_("You cannot take away your own supervisor role; ask another supervisor.")]
        return False
    return True


def _save(db, form: StaffForm, staff: Staff, login: WebLogin | None = None) -> bool:
    """Copy the form onto ``staff`` (and its sign-in); False, with the form's errors set, on a clash."""
    clash = db.scalar(select(Staff).where(Staff.phone == form.phone.data, Staff.id != staff.id))
    if clash is not None:
        form.phone.errors = [_("%(phone)s is already the phone of %(name)s.", phone=readable(form.phone.data),
                               name=clash.name)]
        return False
    username = form.username.data
    if username:
        taken = db.scalar(select(WebLogin).where(WebLogin.username == username,
                                                 WebLogin.staff_id != (staff.id or -1)))
        if taken is not None:
            form.username.errors = [_("That username is taken.")]
            return False
    extra = [code for code in (staff.languages or []) if code not in current_services().settings.caller_languages]
    staff.name = form.name.data.strip()
    staff.phone = form.phone.data
    staff.languages = list(form.languages.data or []) + extra
    staff.role = form.role.data
    if staff.id is None:
        db.add(staff)
    try:
        db.flush()
    except IntegrityError:  # a racing save took the phone between the check and here
        db.rollback()
        form.phone.errors = [_("That phone number is already someone else's.")]
        return False
    now = current_services().clock.now()
    if username and login is None:
        login = WebLogin(staff_id=staff.id, username=username, password_hash="", created_at=now,
                         password_changed_at=now)
        db.add(login)
    if login is not None:
        if username and username != login.username:
            login.username = username
        elif not username:
            db.delete(login)  # the sign-in is taken away; the person stays
            return True
        if form.password.data:
            login.set_password(form.password.data, now)
    db.flush()
    return True


@blueprint.post("/<int:staff_id>/sign-out-everywhere")
@supervisor_required
def sign_out_everywhere(staff_id: int):
    """End every session of someone's sign-in (a lost phone, a shared computer) without deactivating them."""
    with current_services().db.session() as db:
        staff = db.get(Staff, staff_id)
        login = db.scalar(select(WebLogin).where(WebLogin.staff_id == staff_id))
        if staff is None or login is None:
            return not_found()
        login.end_sessions()
        name = staff.name
    flash(_("%(name)s is signed out on every device.", name=name), "success")
    return redirect(url_for(".edit", staff_id=staff_id))


@blueprint.post("/<int:staff_id>/active")
@supervisor_required
def set_active(staff_id: int):
    """Deactivate (active=0) or reactivate (active=1) someone."""
    active = request.form.get("active") == "1"
    user = current_user()
    assert user is not None
    if not active and staff_id == user.staff_id:
        flash(_("You cannot deactivate yourself; ask another supervisor."), "error")
        return redirect(url_for(".edit", staff_id=staff_id))
    line = current_services()
    with line.db.session() as db:
        staff = db.get(Staff, staff_id)
        if staff is None:
            return not_found()
        before = staff_snapshot(staff)
        staff.active = active
        record(db, _actor(), "staff", staff.id, before, staff_snapshot(staff), line.clock.now())
        message = _("%(name)s is active again.", name=staff.name) if active else _(
            "%(name)s was deactivated: off the rota, assignments and sign-in.", name=staff.name)
    flash(message, "success")
    return redirect(url_for(".edit", staff_id=staff_id))
