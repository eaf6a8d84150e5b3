"""The Directory pages: supervisors add, edit, retire and import services (audited, checked as
the API checks them); staff see the list with the codes they text after REF."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import AuditEntry, Service
from tests.web.conftest import post_form

NEW = {"name": "Kirkon perheneuvonta", "code": "perhe", "phone": "040 123 4567", "url": "evl.fi/perheneuvonta",
       "hours": "ma-pe 9-15, la 10-14", "topics": "perhe, parisuhde", "languages": "fi, sv", "area": "Espoo",
       "description": "Apua parisuhteen ja perheen pulmiin.", "name_sv": "Kyrkans familjerådgivning"}


def _service(line, code: str) -> Service:
    with line.db.session() as session:
        return session.scalar(select(Service).where(Service.code == code))


def test_a_supervisor_adds_a_service_in_words_people_use_and_it_is_audited(as_supervisor, line):
    response = post_form(as_supervisor, "/directory/new", NEW)
    assert response.status_code == 302
    service = _service(line, "PERHE")
    assert (service.phone, service.url, service.topics, service.languages, service.area) == (
        "+358401234567", "https://evl.fi/perheneuvonta", ["perhe", "parisuhde"], ["fi", "sv"], "Espoo")
    assert service.hours["saturday"] == [["10:00", "14:00"]] and service.name_sv == "Kyrkans familjerådgivning"
    page = as_supervisor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Kirkon perheneuvonta lisättiin hakemistoon." in page
    assert 'value="ma-pe 9-15, la 10-14"' in page  # the hours read back as they were written
    with line.db.session() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "service")).all()
        assert (entry.action, entry.actor, entry.after["code"]) == ("create", "Sari (sari)", "PERHE")


def test_every_problem_of_the_form_is_named_and_nothing_is_saved(as_supervisor, line, make_service):
    make_service("KRIISI")
    response = post_form(as_supervisor, "/directory/new", {
        **NEW, "code": "two words", "phone": "123", "url": "not a url", "hours": "ma 15-9", "languages": "xx"},
        token_from="/directory/new")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Yksi lyhyt sana, jonka voi kirjoittaa tekstiviestiin" in page
    assert "”123” ei ole puhelinnumero, johon voi soittaa." in page
    assert "”not a url” ei ole verkko-osoite" in page
    assert "15:00-09:00: sulkemisen pitää olla avaamisen jälkeen" in page
    assert "”xx” ei ole kaksikirjaiminen kielikoodi" in page
    taken = post_form(as_supervisor, "/directory/new", {**NEW, "code": "kriisi"}, token_from="/directory/new")
    assert "Koodi KRIISI on jo palvelulla Kriisipuhelin." in taken.get_data(as_text=True)
    assert _service(line, "PERHE") is None


def test_a_supervisor_edits_retires_and_brings_back_a_service(as_supervisor, line, make_service, client):
    service = make_service("PERHE", "Kirkon perheneuvonta", hours="ma-pe 9-15")
    edit = f"/directory/{service.id}"
    assert post_form(as_supervisor, edit, {**NEW, "name": "Perheasiain neuvottelukeskus", "hours": "24/7",
                                          "open_on_holidays": "y"}).status_code == 302
    changed = _service(line, "PERHE")
    assert (changed.name, changed.open_on_holidays, changed.hours["sunday"]) == (
        "Perheasiain neuvottelukeskus", True, [["00:00", "24:00"]])
    retired = post_form(as_supervisor, f"{edit}/active", {"active": "0"}, token_from=edit)
    assert retired.status_code == 302 and not _service(line, "PERHE").active
    assert "Perheasiain" not in client.get("/services").get_data(as_text=True)
    post_form(as_supervisor, f"{edit}/active", {"active": "1"}, token_from=edit)
    assert _service(line, "PERHE").active
    with line.db.session() as session:
        actions = [(e.action, (e.after or {}).get("active")) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "service").order_by(AuditEntry.id))]
        assert actions == [("update", True), ("update", False), ("update", True)]


def test_staff_see_the_list_with_codes_but_cannot_change_it(as_worker, make_service):
    service = make_service("KRIISI", "Kriisipuhelin", phone="+358925250111")
    page = as_worker.get("/directory/").get_data(as_text=True)
    assert "<strong>KRIISI</strong>" in page and 'href="tel:+358925250111"' in page
    assert "Lisää palvelu" not in page
    assert as_worker.get("/directory/new").status_code == 403
    assert as_worker.get(f"/directory/{service.id}").status_code == 403
    assert as_worker.post(f"/directory/{service.id}/active", data={"active": "0"}).status_code in (400, 403)


def test_a_directory_csv_is_previewed_then_imported_whole(as_supervisor, line, make_service):
    make_service("KRIISI", "Vanha nimi")
    csv_text = ("koodi;nimi;puhelin;aukioloajat\n"
                "KRIISI;Kriisipuhelin;09 2525 0111;24/7\n"
                "PERHE;Kirkon perheneuvonta;040 123 4567;ma-pe 9-15\n")
    preview = post_form(as_supervisor, "/directory/import", {"text": csv_text})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Tuo 2 palvelua" in page
    assert page.count(">muutettu<") == 1 and page.count(">lisätty<") == 1
    assert _service(line, "PERHE") is None
    bad = post_form(as_supervisor, "/directory/import", {"text": csv_text + "X;;1;ma 25\n"},
                    token_from="/directory/import")
    bad_page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Mitään ei tuotu." in bad_page
    assert "Rivi 4: koodi: Yksi lyhyt sana" in bad_page and "Rivi 4: nimi: Tämä tarvitaan." in bad_page
    confirmed = post_form(as_supervisor, "/directory/import/confirm", {"text": csv_text}, token_from="/directory/import")
    assert confirmed.status_code == 302
    assert _service(line, "KRIISI").name == "Kriisipuhelin" and _service(line, "PERHE").phone == "+358401234567"


def test_the_audit_page_shows_a_service_s_changes_in_words(as_supervisor, line, make_service):
    service = make_service("PERHE", "Kirkon perheneuvonta", hours="ma-pe 9-15")
    post_form(as_supervisor, f"/directory/{service.id}", {**NEW, "hours": "ma-to 9-15"})
    page = as_supervisor.get("/audit/?entity=service").get_data(as_text=True)
    assert f"Palveluhakemisto #{service.id}: muutettu" in page
    assert "<del>ma-pe 9-15</del> → <ins>ma-to 9-15</ins>" in page
