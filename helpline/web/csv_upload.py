"""The check before a CSV import (the rota's, the directory's): a file uploaded or rows pasted,
planned, and shown as a preview with every problem, or with a button to confirm.

Checking stores nothing. Confirming is each page's own: it sends the same text again, and it is
planned again (what is stored may have changed meanwhile).
"""
from __future__ import annotations

from typing import Any, Callable

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileSize
from sqlalchemy.orm import Session
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Optional

from helpline.rota.csv_import import MAX_BYTES, decode
from helpline.services import current_services


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileSize(MAX_BYTES)])
    text = TextAreaField(_l("…or paste the rows here"), validators=[Optional()])


class ConfirmImportForm(FlaskForm):
    text = HiddenField(validators=[DataRequired()])


def check_upload(template: str, example: str, plan_text: Callable[[Session, str], Any],
                 problem_words: Callable[[Any], str]):
    """The page ``template`` after the import form: 200 and a confirm button when ``plan_text(db,
    text)`` gives a valid plan, 422 with each of its problems in ``problem_words`` when not (or when
    nothing was sent). A GET shows the empty form."""
    form = ImportForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template(template, form=form, example=example, plan=None), status
    upload = form.file.data
    text = decode(upload.read(MAX_BYTES + 1)) if upload and upload.filename else (form.text.data or "")
    if not text.strip():
        form.form_errors.append(_("Choose a CSV file or paste its rows."))
        return render_template(template, form=form, example=example, plan=None), 422
    with current_services().db.session() as db:
        plan = plan_text(db, text)
        problems = [(item.line, problem_words(item)) for item in plan.problems]
        confirm = ConfirmImportForm(text=text) if plan.valid else None
        return render_template(template, form=form, example=example, plan=plan, problems=problems,
                               confirm=confirm), 200 if plan.valid else 422


def confirmed_text() -> str | None:
    """The text the preview's confirm button sends again; None, with a message flashed, when none came."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("There was nothing to import."), "error")
        return None
    return form.text.data


def refused_on_confirm(template: str, example: str, plan: Any, problem_words: Callable[[Any], str]):
    """409: the confirmed text no longer passes (what is stored changed since the preview). Its
    problems now, and no confirm button: nothing was stored."""
    problems = [(item.line, problem_words(item)) for item in plan.problems]
    return render_template(template, form=ImportForm(formdata=None), example=example, plan=plan,
                           problems=problems, confirm=None), 409
