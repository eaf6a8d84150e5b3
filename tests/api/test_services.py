"""The directory through the API: anyone may read it, a supervisor keeps it (audited), and a
service's answer says whether it is open now."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import AuditEntry, CallbackRequest


KRIISI = {"name": "Kriisipuhelin", "name_sv": "Krisjouren", "code": "kriisi", "phone": "09 2525 0111",
          "url": "mielenterveysseura.fi", "topics": ["kriisi", "ahdistus"], "languages": ["fi", "sv"],
          "hours": {"monday": [["09:00", "15:00"]], "tuesday": [["09:00", "15:00"]]}, "area": "Helsinki",
          "description": "Keskusteluapu kriisissä."}


def test_a_supervisor_adds_a_service_and_anyone_reads_it_without_a_token(supervisor, anonymous, line):
    response = supervisor.post("/api/services", json=KRIISI)
    assert response.status_code == 201, response.get_json()
    service = response.get_json()
    assert response.headers["Location"].endswith(f"/api/services/{service['id']}")
    assert (service["code"], service["phone"], service["url"]) == ("KRIISI", "+358925250111",
                                                                   "https://mielenterveysseura.fi")
    assert service["hours"]["monday"] == [["09:00", "15:00"]] and service["hours"]["sunday"] == []
    # The clock says Monday 11 January 2027, 10:00.
    assert (service["open_now"], service["closes_at"], service["next_open_at"]) == (
        True, "2027-01-11T15:00:00+02:00", None)
    assert anonymous.get(f"/api/services/{service['id']}").get_json() == service
    assert anonymous.get("/api/services").get_json() == {"services": [service]}
    with line.db.session() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.entity == "service")).all()
        assert (entry.action, entry.actor, entry.after["code"]) == ("create", "Sari (supervisor)", "KRIISI")


def test_hours_may_be_written_in_words_and_a_service_without_hours_is_neither_open_nor_closed(supervisor):
    words = supervisor.post("/api/services", json={"name": "Perheneuvonta", "code": "PERHE",
                                                   "hours": "ti-to 12-16"}).get_json()
    assert words["hours"]["tuesday"] == [["12:00", "16:00"]] and words["hours"]["monday"] == []
    assert (words["open_now"], words["next_open_at"]) == (False, "2027-01-12T12:00:00+02:00")
    unknown = supervisor.post("/api/services", json={"name": "Ångestlinjen", "code": "ANGEST"}).get_json()
    assert (unknown["hours"], unknown["open_now"], unknown["next_open_at"]) == (None, None, None)


def test_the_list_can_be_searched_by_words_topic_language_and_area(supervisor, anonymous, make_service):
    make_service("KRIISI", "Kriisipuhelin", topics=["kriisi"], languages=["fi", "sv"], area="Helsinki")
    make_service("PERHE", "Kirkon perheneuvonta", topics=["perhe"], languages=["fi"], area="Espoo")
    make_service("VANHA", "Vanha palvelu", active=False)

    def codes(query: str = "") -> list[str]:
        return [service["code"] for service in anonymous.get(f"/api/services{query}").get_json()["services"]]

    assert codes() == ["PERHE", "KRIISI"]  # by name; a retired service is not listed
    assert codes("?q=kirkon%20perhe") == ["PERHE"]
    assert codes("?topic=Kriisi") == ["KRIISI"]
    assert codes("?language=sv") == ["KRIISI"]
    assert codes("?area=espoo") == ["PERHE"]
    assert codes("?status=retired") == ["VANHA"]
    assert codes("?status=all") == ["PERHE", "KRIISI", "VANHA"]


def test_a_supervisor_changes_and_retires_a_service_and_each_change_is_audited(supervisor, anonymous, line):
    service_id = supervisor.post("/api/services", json=KRIISI).get_json()["id"]
    changed = supervisor.patch(f"/api/services/{service_id}", json={"phone": "09 2525 0112", "hours": "24/7",
                                                                    "open_on_holidays": True})
    assert changed.status_code == 200
    assert changed.get_json()["phone"] == "+358925250112" and changed.get_json()["open_now"] is True
    retired = supervisor.patch(f"/api/services/{service_id}", json={"active": False}).get_json()
    assert retired["active"] is False
    assert anonymous.get("/api/services").get_json() == {"services": []}
    with line.db.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == service_id,
                                                           AuditEntry.entity == "service")
                                  .order_by(AuditEntry.id)).all()
        assert [entry.action for entry in entries] == ["create", "update", "update"]
        assert (entries[1].before["phone"], entries[1].after["phone"]) == ("+358925250111", "+358925250112")
        assert (entries[2].before["active"], entries[2].after["active"]) == (True, False)


def test_a_service_nothing_points_at_is_deleted_one_with_history_is_kept(supervisor, line, make_service,
                                                                         make_callback):
    typo = supervisor.post("/api/services", json={"name": "Typo", "code": "TYPO"}).get_json()
    assert supervisor.delete(f"/api/services/{typo['id']}").status_code == 204
    assert supervisor.get(f"/api/services/{typo['id']}").status_code == 404
    used = make_service("KRIISI")
    make_callback(status="closed", outcome="referred", service_id=used.id)
    response = supervisor.delete(f"/api/services/{used.id}")
    assert response.status_code == 409
    assert response.get_json()["error"] == (
        "Kriisipuhelin has history here (1 referred callback), which deleting would lose; to take it off the map, "
        f"set active to false with PATCH /api/services/{used.id}")
    with line.db.session() as session:
        assert session.scalar(select(CallbackRequest.service_id)) == used.id


def test_staff_tokens_and_no_token_may_read_but_not_change_the_directory(staff_member, anonymous, make_service,
                                                                         error_of):
    service = make_service()
    assert staff_member.get("/api/services").status_code == 200
    assert staff_member.post("/api/services", json=KRIISI).status_code == 403
    assert staff_member.patch(f"/api/services/{service.id}", json={"name": "x"}).status_code == 403
    assert staff_member.delete(f"/api/services/{service.id}").status_code == 403
    response = anonymous.post("/api/services", json=KRIISI)
    assert response.status_code == 401 and "Bearer" in error_of(response)
    assert anonymous.patch(f"/api/services/{service.id}", json={"name": "x"}).status_code == 401


def test_content_that_cannot_be_a_service_is_refused_with_the_field_named(supervisor, make_service, error_of):
    make_service("KRIISI")
    cases = [
        ({"name": "x"}, 422, "code is required"),
        ({"name": "", "code": "AB"}, 422, "name: must not be empty"),
        ({"name": "x", "code": "two words"}, 422, "code: 'two words' is not a code"),
        ({"name": "x", "code": "AB", "phone": "123"}, 422, "phone: '123' is not a valid phone number"),
        ({"name": "x", "code": "AB", "url": "not a url"}, 422, "url: 'not a url' is not a web address"),
        ({"name": "x", "code": "AB", "hours": "ma 15-9"}, 422, "hours: monday: 15:00-09:00 must close after"),
        ({"name": "x", "code": "AB", "hours": {"funday": []}}, 422, "hours: unknown day 'funday'"),
        ({"name": "x", "code": "AB", "languages": ["xx"]}, 422, "languages: 'xx' is not an ISO 639-1"),
        ({"name": "x", "code": "AB", "topics": ["a" * 41]}, 422, "topics: is too long"),
        ({"name": "x", "code": "AB", "topics": "grief"}, 422, "topics must be a list of text"),
        ({"name": "x\u202eevil", "code": "AB"}, 422, "name: may not contain line breaks, tabs or other control"),
        ({"name": "x", "code": "AB", "active": "yes"}, 422, "active must be true or false"),
        ({"name": "x", "code": "AB", "colour": "red"}, 422, "unknown field 'colour'"),
        ({"name": "x", "code": "kriisi"}, 409, "the code KRIISI is already Kriisipuhelin's"),
    ]
    for body, status, words in cases:
        response = supervisor.post("/api/services", json=body)
        assert response.status_code == status, (body, response.get_json())
        assert words in error_of(response), (body, error_of(response))
    assert supervisor.post("/api/services", data="nonsense").status_code == 400


def test_a_directory_csv_is_checked_first_and_stored_whole_or_not_at_all(supervisor, anonymous, make_service, line):
    existing = make_service("KRIISI", "Vanha nimi")
    csv = ("koodi;nimi;puhelin;aukioloajat;aiheet\n"
           "KRIISI;Kriisipuhelin;09 2525 0111;24/7;kriisi|ahdistus\n"
           "PERHE;Kirkon perheneuvonta;040 123 4567;ma-pe 9-15;perhe\n")
    headers = {"Content-Type": "text/csv"}
    dry = supervisor.post("/api/services/import", data=csv, headers=headers)
    assert dry.status_code == 200
    assert dry.get_json() == {"dry_run": True, "services": [
        {"line": 2, "id": existing.id, "code": "KRIISI", "name": "Kriisipuhelin", "action": "change"},
        {"line": 3, "id": None, "code": "PERHE", "name": "Kirkon perheneuvonta", "action": "add"}]}
    assert [s["name"] for s in anonymous.get("/api/services").get_json()["services"]] == ["Vanha nimi"]

    bad = supervisor.post("/api/services/import?dry_run=false", data=csv + "X;;;ma 25-26;\n", headers=headers)
    assert bad.status_code == 422
    assert bad.get_json()["error"].splitlines() == [
        "line 4: code: 'X' is not a code: one short word staff can text, 2-20 letters, digits or '-' (like KRIISI)",
        "line 4: name: must not be empty", "line 4: hours: '25' is not a time of day"]
    assert len(anonymous.get("/api/services").get_json()["services"]) == 1

    stored = supervisor.post("/api/services/import?dry_run=false", data=csv, headers=headers)
    assert stored.status_code == 201
    services = {s["code"]: s for s in anonymous.get("/api/services").get_json()["services"]}
    assert services["KRIISI"]["name"] == "Kriisipuhelin" and services["KRIISI"]["id"] == existing.id
    assert services["PERHE"]["hours"]["friday"] == [["09:00", "15:00"]]
    with line.db.session() as session:
        assert [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "service")
                                                  .order_by(AuditEntry.id))] == ["update", "create"]
    assert supervisor.post("/api/services/import", data=csv).status_code == 400  # not text/csv
