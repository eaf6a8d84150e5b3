"""The public map of help (GET /services): the directory for anyone, without signing in.

A parish links to it from its own site. It speaks Finnish, Swedish or English: ``?lang=`` when
given (the language links keep it), otherwise the one chosen with this site's language buttons (a
staff member's, say: only read from the session), otherwise the browser's, otherwise Finnish. It sets
no cookie and keeps nothing about a visitor: the only trace of a visit is one more view on the
service's per-day counter when its page is opened (helpline.directory.store.count_view).

No JavaScript: a GET form searches by words, topic, language and area; each service says whether
it is open now or when it next opens, and its number is a tap-to-call ``tel:`` link.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, g, render_template, request, url_for

from helpline.directory import store
from helpline.directory.rules import Search, choices, find
from helpline.models import Service
from helpline.services import current_services
from helpline.web.i18n import choose_public_page_language
from helpline.web.service_words import StatusWords, hours_in_words, language_name, status_words, week_rows

blueprint = Blueprint("map", __name__, url_prefix="/services")

SUMMARY_MAX = 220


@blueprint.before_request
def _choose_language() -> None:
    choose_public_page_language()


@blueprint.context_processor
def _helpers() -> dict:
    def here(**changes) -> str:
        """This page's URL with some query parameters changed (the language links)."""
        args = {**request.view_args, **request.args.to_dict(), **changes}
        return url_for(request.endpoint, **{key: value for key, value in args.items() if value not in ("", None)})

    return {"here": here, "page_language": g.page_language, "language_name": language_name}


@dataclass(frozen=True)
class Card:
    service: Service
    name: str
    description: str
    status: StatusWords
    hours: str
    languages: str  # the service's languages, named in the page's language
    name_lang: str  # the language the name and description are shown in (Finnish when not translated)
    description_lang: str


def _card(service: Service, now) -> Card:
    line = current_services()
    language = g.page_language
    status = store.status_of(service, now, line.settings.timezone, line.settings.holiday_calendar)
    translated = {"sv": (service.name_sv, service.description_sv), "en": (service.name_en, service.description_en)}
    name, description = translated.get(language, (None, None))
    return Card(service, service.name_in(language), service.description_in(language), status_words(status, now),
                hours_in_words(store.weekly_of(service)),
                ", ".join(language_name(code) for code in service.languages or ()),
                language if name or language == "fi" else "fi", language if description or language == "fi" else "fi")


def summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX].rsplit(" ", 1)[0] + "…"


@blueprint.get("")
def index():
    line = current_services()
    search = Search(words=request.args.get("q", "")[:200], topic=request.args.get("topic", "")[:80],
                    language=request.args.get("language", "")[:8], area=request.args.get("area", "")[:80])
    now = line.clock.now()
    with line.db.session() as session:
        services = {service.id: service for service in store.services(session, active_only=True)}
        facts = [store.facts_of(service) for service in services.values()]
        found = [services[item.id] for item in find(facts, search)]
        cards = sorted((_card(service, now) for service in found), key=lambda card: card.name.casefold())
        topics, languages, areas = choices(facts)
        return render_template("map/index.html", cards=cards, search=search, topics=topics, languages=languages,
                               areas=areas, summary=summary, total=len(services))


@blueprint.get("/<int:service_id>")
def detail(service_id: int):
    line = current_services()
    now = line.clock.now()
    with line.db.session() as session:
        service = session.get(Service, service_id)
        if service is None or not service.active:
            return render_template("map/missing.html"), 404
        if request.method == "GET":
            store.count_view(session, service.id, now.astimezone(line.settings.timezone).date())
        return render_template("map/detail.html", card=_card(service, now),
                               week=week_rows(store.weekly_of(service)))
