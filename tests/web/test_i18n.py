"""The pages speak Finnish by default, Swedish and English on request; the catalogues are complete."""
from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import helpline
from tests.web.conftest import csrf_token, post_form

TRANSLATIONS = Path(helpline.__file__).parent / "translations"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_of_the_pages_is_translated(language):
    with open(TRANSLATIONS / "messages.pot", "rb") as template_file:
        template = read_po(template_file)
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po_file:
        catalog = read_po(po_file, locale=language)
    untranslated = [message.id for message in template if message.id and (
        catalog.get(message.id) is None or not all(catalog.get(message.id).string if isinstance(
            catalog.get(message.id).string, tuple) else [catalog.get(message.id).string]))]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    """The .mo files are committed (no build step at start-up): this catches a forgotten compile."""
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as po_file:
        catalog = read_po(po_file, locale=language)
    with open(folder / "messages.mo", "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    for message in catalog:
        if not message.id or not message.string:
            continue  # untranslated: the test above names it
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0], message.id
        else:
            assert compiled.gettext(message.id) == message.string, (
                f"{language}: {message.id!r} differs in messages.mo; run pybabel compile -d helpline/translations")


def test_a_first_visit_is_in_finnish(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="fi">' in page
    assert "Kirjaudu sisään" in page


@pytest.mark.parametrize(("language", "words"), [("sv", "Logga in"), ("en", "Sign in"), ("fi", "Kirjaudu sisään")])
def test_a_visitor_can_switch_the_language_before_signing_in(client, language, words):
    response = post_form(client, "/language", {"language": language, "next": "/sign-in"}, token_from="/sign-in")
    assert response.headers["Location"] == "/sign-in"
    assert words in client.get("/sign-in").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client):
    client.post("/language", data={"csrf_token": csrf_token(client), "language": "xx"})
    assert '<html lang="fi">' in client.get("/sign-in").get_data(as_text=True)
