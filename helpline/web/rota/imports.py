"""Importing a rota from a CSV file: upload or paste, see a preview, then confirm.

The preview stores nothing. Confirming sends the same text again and it is checked again (the
rota may have changed meanwhile); every shift is stored in one transaction, or none is.
"""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import ngettext

from helpline.services import current_services
from helpline.rota.changes import ShiftRefused, apply_import, plan_import
from helpline.web.auth import supervisor_required
from helpline.web.csv_upload import check_upload, confirmed_text, refused_on_confirm
from helpline.web.rota import blueprint
from helpline.web.rota.common import line_tz, now, page_actor
from helpline.web.rota.words import problem, refusal

EXAMPLE = """date,start,end,person,priority
2027-01-18,09:00,12:00,040 111 0001,1
2027-01-18,09:00,12:00,Bertil Berg,2
18.1.2027,18:00,24:00,Aino Aalto,1
2027-01-19,00:00,06:00,Aino Aalto,1"""


@blueprint.route("/import", methods=["GET", "POST"])
@supervisor_required
def import_rota():
    return check_upload("rota/import.html", EXAMPLE, lambda session, text: plan_import(session, text, line_tz()),
                        problem)


@blueprint.post("/import/confirm")
@supervisor_required
def confirm_import():
    text = confirmed_text()
    if text is None:
        return redirect(url_for(".import_rota"))
    with current_services().db.session() as session:
        plan = plan_import(session, text, line_tz())
        if plan.valid:
            try:
                stored = apply_import(session, page_actor(), plan, now=now(), tz=line_tz())
            except ShiftRefused as error:  # a clash that appeared between the check and the write
                session.rollback()
                flash(refusal(error), "error")
                return redirect(url_for(".import_rota"))
            first = min(shift.starts_at for shift in stored).astimezone(line_tz()).date()
            flash(ngettext("Imported %(num)d shift.", "Imported %(num)d shifts.", len(stored)), "success")
            return redirect(url_for(".week", week=first.isoformat()))
        # The rota changed since the preview: show what is wrong now, and store nothing.
        return refused_on_confirm("rota/import.html", EXAMPLE, plan, problem)
