"""The public map of help at /services: anyone, without signing in or cookies, in Finnish,
Swedish or English; searchable; each service open now or when next, with a tap-to-call link;
each service's page counted per day, and nothing else kept."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import ServiceView


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_map_lists_each_service_with_open_now_or_when_next_and_a_tap_to_call_link(client, make_service):
    make_service("PERHE", "Kirkon perheneuvonta", phone="+358401234567", hours="ma-pe 9-15", area="Espoo",
                 description="Apua parisuhteen ja perheen pulmiin.")
    make_service("KERHO", "Perhekerho", hours="ti 10-12")
    make_service("ANGEST", "Ångestlinjen", hours=None, url="https://angest.fi")
    page = _page(client.get("/services"))  # Monday 11 January 2027, 10:00
    assert '<html lang="fi">' in page
    assert "3 palvelua" in page
    assert 'href="tel:+358401234567"' in page and "Soita 040 1234567" in page
    assert "Avoinna nyt, klo 15:00 asti." in page
    assert "Suljettu nyt. Avautuu huomenna klo 10:00." in page
    assert "Aukioloaikoja ei ole kerrottu: soita ja kysy." in page
    assert "Hätätilanteessa soita 112." in page
    assert 'href="https://angest.fi"' in page


def test_the_map_speaks_the_browser_s_language_and_the_language_links_keep_the_search(client, make_service):
    make_service("KRIISI", "Kriisipuhelin", name_sv="Krisjouren", name_en="Crisis line", hours="24/7",
                 open_on_holidays=True, languages=["fi", "sv"])
    swedish = _page(client.get("/services", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}))
    assert '<html lang="sv">' in swedish and "Krisjouren" in swedish and "Öppet nu, dygnet runt." in swedish
    english = _page(client.get("/services?lang=en&q=crisis", headers={"Accept-Language": "sv"}))
    assert '<html lang="en">' in english and "Crisis line" in english and "Open now, round the clock." in english
    assert 'href="/services?lang=fi&amp;q=crisis"' in english  # switching language keeps the search
    assert "Finnish, Swedish" in english  # the service's languages, named in English


def test_the_map_searches_by_words_topic_language_and_area(client, make_service):
    make_service("PERHE", "Kirkon perheneuvonta", topics=["perhe"], area="Espoo", languages=["fi", "sv"])
    make_service("KRIISI", "Kriisipuhelin", topics=["kriisi"], area="Helsinki")
    make_service("VANHA", "Vanha perhepalvelu", topics=["perhe"], active=False)

    def names(query: str) -> list[str]:
        page = _page(client.get("/services" + query))
        return [name for name in ("Kirkon perheneuvonta", "Kriisipuhelin", "Vanha perhepalvelu") if name in page]

    assert names("") == ["Kirkon perheneuvonta", "Kriisipuhelin"]
    assert names("?q=kriisi") == ["Kriisipuhelin"]
    assert names("?topic=perhe") == ["Kirkon perheneuvonta"]
    assert names("?language=sv") == ["Kirkon perheneuvonta"]
    assert names("?area=Helsinki") == ["Kriisipuhelin"]
    assert "Yksikään palvelu ei vastaa hakua." in _page(client.get("/services?q=nothing+like+this"))


def test_a_service_s_page_shows_its_week_and_counts_one_view_a_visit_without_a_cookie(client, make_service, line):
    service = make_service("PERHE", "Kirkon perheneuvonta", phone="+358401234567", hours="ma-pe 9-15, la 10-14",
                           address="Kirkkokatu 1, Espoo", topics=["perhe", "ero"])
    first = client.get(f"/services/{service.id}")
    page = _page(first)
    assert "Set-Cookie" not in first.headers
    assert "<th scope=\"row\">maanantai</th><td>09:00–15:00</td>" in page
    assert "<th scope=\"row\">sunnuntai</th><td>suljettu</td>" in page
    assert "Suljettu pyhäpäivinä." in page and "Kirkkokatu 1, Espoo" in page
    client.get(f"/services/{service.id}?lang=sv")
    assert "Set-Cookie" not in client.get("/services").headers
    with line.db.session() as session:
        views = session.execute(select(ServiceView.service_id, ServiceView.day, ServiceView.views)).all()
        assert [(service_id, day.isoformat(), count) for service_id, day, count in views] == [
            (service.id, "2027-01-11", 2)]


def test_a_retired_or_unknown_service_is_not_on_the_map(client, make_service):
    retired = make_service("VANHA", "Vanha", active=False)
    assert client.get(f"/services/{retired.id}").status_code == 404
    missing = client.get("/services/999")
    assert missing.status_code == 404 and "Palvelua ei ole kartalla" in missing.get_data(as_text=True)


def test_the_map_is_served_with_the_strict_content_security_policy(client):
    response = client.get("/services")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "style-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert "<style" not in page and "style=" not in page and "<script" not in page


def test_a_text_not_translated_is_shown_in_finnish_and_marked_as_such_for_screen_readers(client, make_service):
    make_service("PERHE", "Kirkon perheneuvonta", name_en="Church family counselling",
                 description="Apua parisuhteen ja perheen pulmiin.")
    page = _page(client.get("/services?lang=en"))
    assert '<h3 id="service-1"><a href="/services/1?lang=en">Church family counselling</a></h3>' in page
    assert '<p lang="fi">Apua parisuhteen ja perheen pulmiin.</p>' in page
