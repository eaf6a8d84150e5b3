"""A supervisor hands a shift to someone else (cover or swap) in two taps, and copies last week."""
from __future__ import annotations

from sqlalchemy import select

from helpline.models import AuditEntry, Shift

from .conftest import helsinki, post_form


def _owner(session, shift_id):
    session.expire_all()
    return session.get(Shift, shift_id).staff_id


def test_the_hand_over_page_offers_free_people_and_shows_busy_ones_as_busy(boss, aino, bertil, make_staff,
                                                                           make_shift):
    cecilia = make_staff("Cecilia Carlsson")
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    make_shift(bertil, helsinki("2027-01-12 14:00"), helsinki("2027-01-12 18:00"))
    html = boss.get(f"/rota/shifts/{shift.id}/hand-over").get_data(as_text=True)
    assert f'name="to" value="{cecilia.id}">Give to Cecilia Carlsson' in html
    assert "Bertil Berg: busy Tue 12.1. 14:00–18:00" in html
    assert f'value="{bertil.id}"' not in html


def test_a_supervisor_gives_a_shift_to_someone_free_with_one_more_tap(boss, aino, bertil, make_shift, session):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"), priority=1)
    response = post_form(boss, f"/rota/shifts/{shift.id}/hand-over", {"to": str(bertil.id)},
                         token_from=f"/rota/shifts/{shift.id}/hand-over")
    assert response.status_code == 302
    assert _owner(session, shift.id) == bertil.id
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bertil Berg now covers Aino Aalto&#39;s shift Tue 12.1. 09:00–15:00." in page
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.before["staff_name"], entry.after["staff_name"]) == ("Aino Aalto", "Bertil Berg")


def test_handing_a_shift_to_someone_who_became_busy_meanwhile_is_refused_naming_the_clash(boss, aino, bertil,
                                                                                          make_shift, session):
    shift = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    token_page = f"/rota/shifts/{shift.id}/hand-over"
    make_shift(bertil, helsinki("2027-01-12 14:00"), helsinki("2027-01-12 18:00"))
    response = post_form(boss, token_page, {"to": str(bertil.id)})
    assert response.status_code == 409
    assert ("Bertil Berg already has a shift Tue 12.1. 14:00–18:00, which overlaps Tue 12.1. 09:00–15:00."
            in response.get_data(as_text=True))
    assert _owner(session, shift.id) == aino.id


def test_two_people_swap_shifts_with_one_tap_on_the_other_shift(boss, aino, bertil, make_shift, session):
    mine = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00"))
    theirs = make_shift(bertil, helsinki("2027-01-14 12:00"), helsinki("2027-01-14 18:00"))
    page = boss.get(f"/rota/shifts/{mine.id}/hand-over").get_data(as_text=True)
    assert f'name="other" value="{theirs.id}">Swap with Bertil Berg: Thu 14.1. 12:00–18:00' in page
    response = post_form(boss, f"/rota/shifts/{mine.id}/swap", {"other": str(theirs.id)},
                         token_from=f"/rota/shifts/{mine.id}/hand-over")
    assert response.status_code == 302
    assert (_owner(session, mine.id), _owner(session, theirs.id)) == (bertil.id, aino.id)
    assert "Swapped: Bertil Berg takes Tue 12.1. 09:00–15:00 and Aino Aalto takes Thu 14.1. 12:00–18:00." in \
        boss.get(response.headers["Location"]).get_data(as_text=True)


def test_a_swap_that_would_double_book_someone_is_not_offered(boss, aino, bertil, make_shift):
    mine = make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"))
    theirs = make_shift(bertil, helsinki("2027-01-13 09:00"), helsinki("2027-01-13 12:00"))
    make_shift(aino, helsinki("2027-01-13 10:00"), helsinki("2027-01-13 11:00"))
    page = boss.get(f"/rota/shifts/{mine.id}/hand-over").get_data(as_text=True)
    assert f'value="{theirs.id}"' not in page
    assert "1 other shift is left out: one of the two people is busy at the other's time." in page


def test_copying_last_week_adds_its_shifts_and_says_what_it_left_out(boss, aino, bertil, make_shift, session):
    make_shift(aino, helsinki("2027-01-04 09:00"), helsinki("2027-01-04 15:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-05 09:00"), helsinki("2027-01-05 15:00"), priority=2)
    make_shift(bertil, helsinki("2027-01-12 12:00"), helsinki("2027-01-12 18:00"))
    response = post_form(boss, "/rota/copy-week", {"week": "2027-01-11"}, token_from="/rota/")
    assert response.status_code == 302
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "Copied 1 shift from the week before." in page
    assert ("Not copied: Bertil Berg Tue 5.1. 09:00–15:00: Bertil Berg already has a shift Tue 12.1. 12:00–18:00 "
            "this week.") in page
    session.expire_all()
    copied = session.scalars(select(Shift).where(Shift.staff_id == aino.id).order_by(Shift.starts_at)).all()
    assert [(s.starts_at, s.priority) for s in copied] == [(helsinki("2027-01-04 09:00"), 1),
                                                           (helsinki("2027-01-11 09:00"), 1)]
    again = post_form(boss, "/rota/copy-week", {"week": "2027-01-11"}, token_from="/rota/")
    assert "Aino Aalto already has this shift this week." in boss.get(again.headers["Location"]).get_data(as_text=True)
