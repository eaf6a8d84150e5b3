"""The Directory pages: everyone signed in sees the list (staff need the codes they text after
REF); supervisors add, edit, retire and bring back services, and import a CSV (preview first).

Every field is checked as the API checks it (helpline.directory.fields) and every change is
written to the audit log in the same transaction (helpline.directory.store). Nothing is deleted
here: a retired service leaves the map and the referral choices, and its history stays.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from helpline.audit import Actor
from helpline.directory import fields as check
from helpline.directory import store
from helpline.directory.fields import FieldProblem
from helpline.models import ActorKind, Service
from helpline.phones import readable
from helpline.services import current_services
from helpline.web.auth import current_user, login_required, not_found, supervisor_required
from helpline.web.csv_upload import check_upload, confirmed_text, refused_on_confirm
from helpline.web.service_words import hours_in_words, import_problem, problem_of, status_words

blueprint = Blueprint("directory", __name__, url_prefix="/directory")

EXAMPLE = """code;name;phone;url;area;hours;topics;languages
KRIISI;Kriisipuhelin;09 2525 0111;mielenterveysseura.fi;;24/7;kriisi|ahdistus;fi|sv|en
PERHE;Kirkon perheneuvonta;040 123 4567;evl.fi/perheneuvonta;Espoo;ma-pe 9-15;perhe|parisuhde;fi|sv"""


def _checked(convert: Callable[[Any], Any]):
    """A WTForms validator that runs a helpline.directory.fields check and keeps its result."""

    def validate(form, field) -> None:
        try:
            field.checked = convert(field.data)
        except FieldProblem as problem:
            raise ValidationError(problem_of(problem)) from None

    return validate


class ServiceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("A name is needed.")),
                                               _checked(check.name)])
    code = StringField(_l("Code"), validators=[DataRequired(message=_l("A code is needed.")), _checked(check.code)],
                       description=_l("One short word staff text after REF, like KRIISI: DONE 12 REF KRIISI."),
                       render_kw={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"})
    name_sv = StringField(_l("Name in Swedish"), validators=[Optional(),
                                                             _checked(lambda v: check.optional_text(v, "name_sv", 120))])
    name_en = StringField(_l("Name in English"), validators=[Optional(),
                                                             _checked(lambda v: check.optional_text(v, "name_en", 120))])
    description = TextAreaField(_l("Description"), validators=[
        Optional(), _checked(lambda v: check.optional_text(v, "description", check.DESCRIPTION_MAX))],
        description=_l("What the service helps with, for whom, and how to get there."))
    description_sv = TextAreaField(_l("Description in Swedish"), validators=[
        Optional(), _checked(lambda v: check.optional_text(v, "description_sv", check.DESCRIPTION_MAX))])
    description_en = TextAreaField(_l("Description in English"), validators=[
        Optional(), _checked(lambda v: check.optional_text(v, "description_en", check.DESCRIPTION_MAX))])
    topics = StringField(_l("Topics"), validators=[Optional(), _checked(check.topics)],
                         description=_l("Separated by commas, like: grief, loneliness, debt."))
    languages = StringField(_l("Languages"), validators=[Optional(), _checked(check.languages)],
                            description=_l("Two-letter codes separated by commas, like: fi, sv, en."),
                            render_kw={"autocapitalize": "none", "spellcheck": "false"})
    phone = StringField(_l("Phone"), validators=[Optional(), _checked(check.phone)],
                        render_kw={"type": "tel", "autocomplete": "off"})
    url = StringField(_l("Web address"), validators=[Optional(), _checked(check.url)],
                      render_kw={"inputmode": "url", "spellcheck": "false", "autocapitalize": "none"})
    address = StringField(_l("Address"), validators=[Optional(), _checked(lambda v: check.optional_text(
        v, "address", check.ADDRESS_MAX))])
    area = StringField(_l("Area"), validators=[Optional(), _checked(lambda v: check.optional_text(
        v, "area", check.AREA_MAX))], description=_l("The parish or town, for the map's area filter."))
    hours = StringField(_l("Opening hours"), validators=[Optional(), _checked(check.hours)],
                        description=_l("Like: ma-pe 9-15, la 10-14 (or Mon-Fri 9-15; 24/7 round the clock). "
                                       "Leave empty when not known."))
    open_on_holidays = BooleanField(_l("Open on public holidays too"))

    def values(self) -> dict[str, Any]:
        """The checked values, as the store takes them."""
        values: dict[str, Any] = {}
        for name in ("name", "code", "name_sv", "name_en", "description", "description_sv", "description_en",
                     "topics", "languages", "phone", "url", "address", "area", "hours"):
            field = getattr(self, name)
            values[name] = getattr(field, "checked", None)
        values["description"] = values["description"] or ""
        values["topics"] = values["topics"] or []
        values["languages"] = values["languages"] or []
        values["open_on_holidays"] = bool(self.open_on_holidays.data)
        return values

    def fill(self, service: Service) -> None:
        for name in ("name", "code", "name_sv", "name_en", "description", "description_sv", "description_en",
                     "address", "area", "url"):
            getattr(self, name).data = getattr(service, name) or ""
        self.topics.data = check.joined(service.topics or [])
        self.languages.data = check.joined(service.languages or [])
        self.phone.data = readable(service.phone) if service.phone else ""
        self.hours.data = hours_in_words(store.weekly_of(service))
        self.open_on_holidays.data = service.open_on_holidays


def _actor() -> Actor:
    user = current_user()
    assert user is not None
    return Actor(f"{user.name} ({user.username})", ActorKind.USER.value)


@blueprint.get("/")
@login_required
def index():
    line = current_services()
    now = line.clock.now()
    with line.db.session() as db:
        rows = [(service, status_words(store.status_of(service, now, line.settings.timezone,
                                                       line.settings.holiday_calendar), now))
                for service in store.services(db)]
        rows.sort(key=lambda row: (not row[0].active, row[0].name.casefold()))
        return render_template("directory/list.html", rows=rows)


@blueprint.route("/new", methods=["GET", "POST"])
@supervisor_required
def add():
    form = ServiceForm()
    if form.validate_on_submit():
        line = current_services()
        with line.db.session() as db:
            try:
                service = store.create(db, _actor(), form.values(), line.clock.now())
            except store.CodeTaken as taken:
                db.rollback()
                form.code.errors = [_("The code %(code)s is already %(name)s's.", code=taken.code,
                                      name=taken.other_name)]
            else:
                flash(_("%(name)s was added to the directory.", name=service.name), "success")
                return redirect(url_for(".edit", service_id=service.id))
    return render_template("directory/form.html", form=form, service=None), 422 if form.errors else 200


@blueprint.route("/<int:service_id>", methods=["GET", "POST"])
@supervisor_required
def edit(service_id: int):
    line = current_services()
    with line.db.session() as db:
        service = db.get(Service, service_id)
        if service is None:
            return not_found()
        form = ServiceForm()
        if request.method == "GET":
            form.fill(service)
        elif form.validate_on_submit():
            try:
                store.update(db, _actor(), service, form.values(), line.clock.now())
            except store.CodeTaken as taken:
                db.rollback()
                form.code.errors = [_("The code %(code)s is already %(name)s's.", code=taken.code,
                                      name=taken.other_name)]
            else:
                flash(_("The changes to %(name)s were saved.", name=service.name), "success")
                return redirect(url_for(".edit", service_id=service.id))
        return render_template("directory/form.html", form=form, service=service), 422 if form.errors else 200


@blueprint.post("/<int:service_id>/active")
@supervisor_required
def set_active(service_id: int):
    """Retire (active=0) a service or bring it back (active=1)."""
    active = request.form.get("active") == "1"
    line = current_services()
    with line.db.session() as db:
        service = db.get(Service, service_id)
        if service is None:
            return not_found()
        store.update(db, _actor(), service, {"active": active}, line.clock.now())
        message = _("%(name)s is on the map again.", name=service.name) if active else _(
            "%(name)s was retired: off the map and the referral choices. Its history stays.", name=service.name)
    flash(message, "success")
    return redirect(url_for(".edit", service_id=service_id))


@blueprint.route("/import", methods=["GET", "POST"])
@supervisor_required
def import_services():
    return check_upload("directory/import.html", EXAMPLE, store.plan_import, import_problem)


@blueprint.post("/import/confirm")
@supervisor_required
def confirm_import():
    text = confirmed_text()
    if text is None:
        return redirect(url_for(".import_services"))
    line = current_services()
    with line.db.session() as db:
        plan = store.plan_import(db, text)
        if plan.valid:
            try:
                stored = store.apply_import(db, _actor(), plan, line.clock.now())
            except store.CodeTaken as taken:  # added meanwhile by someone else
                db.rollback()
                flash(_("The code %(code)s is already %(name)s's.", code=taken.code, name=taken.other_name), "error")
                return redirect(url_for(".import_services"))
            flash(ngettext("Imported %(num)d service.", "Imported %(num)d services.", len(stored)), "success")
            return redirect(url_for(".index"))
        return refused_on_confirm("directory/import.html", EXAMPLE, plan, import_problem)
