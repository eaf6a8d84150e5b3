"""The pages' languages (Flask-Babel) and the template helpers that show times, ages and numbers.

Finnish is the default; Swedish and English are offered. The choice is kept in the session, and
on the person's account once signed in, so it follows them to another device. The catalogues
are helpline/translations/<lang>/LC_MESSAGES/messages.po, compiled to the .mo files committed
beside them (a test fails when a .mo is older than its .po); see docs/operations.md for the commands.

Times are shown in the line's time zone (HELPLINE_TIMEZONE), whatever the browser's.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, format_date, format_datetime, format_time, format_timedelta, gettext

from helpline.phones import is_chat_visitor, readable

LANGUAGES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "fi"
SESSION_KEY = "lang"
DATE_PATTERN = "d.M.yyyy"
TIME_PATTERN = "HH:mm"

babel = Babel()


def chosen_language() -> str:
    # The public pages (the map, the chat) choose per request: choose_public_page_language.
    page_language = g.get("page_language") if has_request_context() else None
    if page_language in LANGUAGES:
        return page_language
    chosen = session.get(SESSION_KEY)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def choose_public_page_language() -> str:
    """The language of a page for visitors without sign-in (the map of help, the web chat), kept in
    g.page_language for this request: ?lang= (the page's own links), else a choice made with this
    site's language buttons (only read from the session: these pages set no cookie of their own
    for it), else the browser's languages, else Finnish."""
    asked = request.args.get("lang", "")
    chosen = session.get(SESSION_KEY)
    g.page_language = (asked if asked in LANGUAGES else chosen if chosen in LANGUAGES
                       else request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE)
    return g.page_language


def _timezone() -> str:
    from helpline.services import current_services

    return current_services().settings.timezone_name


def init_app(app: Flask) -> None:
    app.config["BABEL_DEFAULT_LOCALE"] = DEFAULT_LANGUAGE
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = "translations"
    babel.init_app(app, locale_selector=chosen_language, timezone_selector=_timezone)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        when=when,
        day=day,
        clock=clock,
        age=age,
        phone=phone,
    )
    app.context_processor(lambda: {"LANGUAGES": LANGUAGES, "current_language": chosen_language()})


def when(moment: datetime | None, style: str = "short") -> str:
    """A date and time in the line's zone and the reader's language ('' for None)."""
    if moment is None:
        return ""
    # One numeric form in every language (the line is Finnish): 11.1.2027 09:00.
    return format_datetime(moment, DATE_PATTERN + " " + TIME_PATTERN) if style == "short" else \
        format_datetime(moment, style)


def day(value: date | datetime | None, style: str = "short") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local_date(value)
    return format_date(value, _date_format(style))


def _date_format(style: str) -> str:
    # "weekday": "maanantai 11.1.2027" (the stand-alone weekday: not "maanantaina").
    return {"weekday": "cccc " + DATE_PATTERN, "short": DATE_PATTERN}.get(style, style)


def _local_date(moment: datetime) -> date:
    from helpline.services import current_services

    return moment.astimezone(current_services().settings.timezone).date()


def clock(moment: datetime | None) -> str:
    return format_time(moment, TIME_PATTERN) if moment is not None else ""


def age(moment: datetime | None) -> str:
    """How long ago ``moment`` was, by the line's clock ("3 hours")."""
    if moment is None:
        return ""
    from helpline.services import current_services

    elapsed = current_services().clock.now() - moment
    return format_timedelta(max(elapsed, timedelta(0)), granularity="minute", threshold=1.0)


def phone(number: str | None) -> str:
    if is_chat_visitor(number):
        return gettext("web chat visitor")  # no number: they wrote in the web chat
    return readable(number) if number else ""


def now() -> datetime:
    """The line's clock (never the wall clock: the demo and the tests move it)."""
    from helpline.services import current_services

    return current_services().clock.now()
