"""A supervisor imports a rota CSV: a preview first, every problem named by line, and nothing
stored unless the whole file is good."""
from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from helpline.models import Shift

from .conftest import helsinki, post_form

EXAMPLE = (Path(__file__).parent.parent / "data" / "rota_example.csv").read_bytes()


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Shift))


def _preview(boss, data: bytes):
    from .conftest import csrf_token

    token = csrf_token(boss, "/rota/import")
    return boss.post("/rota/import", data={"csrf_token": token, "file": (io.BytesIO(data), "rota.csv")},
                     content_type="multipart/form-data")


def test_an_uploaded_file_is_previewed_without_storing_anything_then_confirmed(boss, make_staff, session):
    make_staff("Aino Aalto", "+358401110001")
    make_staff("Bertil Berg", "+358401110002")
    make_staff("Cecilia Carlsson", "+358401110003")
    preview = _preview(boss, EXAMPLE)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Import 6 shifts" in html and "Mon 18.1. 18:00–24:00" in html
    assert _count(session) == 0

    import re
    text = re.search(r'id="text" name="text" type="hidden" value="([^"]*)"', html).group(1)
    import html as html_lib
    response = post_form(boss, "/rota/import/confirm", {"text": html_lib.unescape(text)}, token_from="/rota/import")
    assert response.status_code == 302 and response.headers["Location"] == "/rota/?week=2027-01-18"
    assert _count(session) == 6
    assert "Imported 6 shifts." in boss.get(response.headers["Location"]).get_data(as_text=True)


def test_every_bad_line_is_named_and_nothing_is_offered_for_import(boss, make_staff, make_shift, session):
    aino = make_staff("Aino Aalto", "+358401110001")
    make_shift(aino, helsinki("2027-01-18 08:00"), helsinki("2027-01-18 10:00"))
    rows = ("date,start,end,person\n"
            "2027-01-18,09:00,12:00,Aino Aalto\n"
            "2027-01-19,15:00,09:00,Aino Aalto\n"
            "2027-01-20,09:00,12:00,Nobody Known\n"
            "2027-03-28,03:30,06:00,Aino Aalto\n")
    preview = _preview(boss, rows.encode())
    assert preview.status_code == 422
    html = preview.get_data(as_text=True)
    assert "Nothing was imported." in html
    assert ("Line 2: Aino Aalto already has a shift 18.1.2027 08:00–10:00, which overlaps 18.1.2027 09:00–12:00."
            in html)
    assert "Line 3: The shift must end after it starts (15:00–09:00)." in html
    assert "Line 4: Nobody on the staff list has the phone number or name “Nobody Known”." in html
    assert "Line 5: start 03:30 on 2027-03-28 does not exist: the clocks go forward that night." in html
    assert "/rota/import/confirm" not in html
    assert _count(session) == 1


def test_a_confirm_after_the_rota_changed_stores_nothing_and_says_why(boss, make_staff, make_shift, session):
    aino = make_staff("Aino Aalto", "+358401110001")
    text = "date,start,end,person\n2027-01-18,09:00,12:00,Aino Aalto\n2027-01-19,09:00,12:00,Aino Aalto\n"
    make_shift(aino, helsinki("2027-01-19 11:00"), helsinki("2027-01-19 13:00"))  # added after the preview
    response = post_form(boss, "/rota/import/confirm", {"text": text}, token_from="/rota/import")
    assert response.status_code == 409
    assert "Line 3: Aino Aalto already has a shift" in response.get_data(as_text=True)
    assert _count(session) == 1


def test_pasted_rows_work_like_a_file_and_an_empty_form_is_refused(boss, make_staff, session):
    make_staff("Aino Aalto", "+358401110001")
    pasted = post_form(boss, "/rota/import", {"text": "date;start;end;person\n18.1.2027;9.00;12.00;Aino Aalto"})
    assert pasted.status_code == 200 and "Import 1 shift" in pasted.get_data(as_text=True)
    empty = post_form(boss, "/rota/import", {"text": ""})
    assert empty.status_code == 422 and "Choose a CSV file or paste its rows." in empty.get_data(as_text=True)
