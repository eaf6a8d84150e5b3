"""A supervisor sees the week's rota as timelines with its gaps; staff see only their own shifts."""
from __future__ import annotations

from .conftest import helsinki


def test_the_week_shows_each_day_s_shifts_and_the_office_hours_nobody_covers(boss, aino, bertil, make_shift,
                                                                             office_hours):
    office_hours()
    make_shift(aino, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"), priority=1)
    make_shift(bertil, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 13:00"), priority=2)
    page = boss.get("/rota/?week=2027-01-13")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Rota: 11.1.–17.1.2027" in html
    tuesday = html[html.index('id="day-2027-01-12"'):html.index('id="day-2027-01-13"')]
    assert tuesday.index("Aino Aalto") < tuesday.index("Bertil Berg")
    assert "09:00–12:00" in tuesday and "ringing order 2" in tuesday
    assert 'class="block cs-37 ce-49"' in tuesday  # 09:00 is grid line 37, 12:00 is 49
    assert "Nobody on duty in office hours:\n13:00–15:00" in tuesday
    monday = html[html.index('id="day-2027-01-11"'):html.index('id="day-2027-01-12"')]
    assert "No shifts." in monday and "09:00–15:00" in monday


def test_a_night_shift_shows_on_both_days_it_touches(boss, aino, make_shift):
    make_shift(aino, helsinki("2027-01-14 22:00"), helsinki("2027-01-15 06:00"))
    html = boss.get("/rota/?week=2027-01-11").get_data(as_text=True)
    assert html.count("Aino Aalto</span></a>") == 2  # the timeline blocks
    assert 'class="block cs-89 ce-97 after"' in html and 'class="block cs-1 ce-25 before"' in html


def test_a_public_holiday_and_a_closure_are_named_on_their_day(boss, make_closure, office_hours):
    office_hours()
    make_closure(helsinki("2027-01-05 12:00"), helsinki("2027-01-05 15:00"), reason="Staff training")
    html = boss.get("/rota/?week=2027-01-04").get_data(as_text=True)
    assert "Public holiday: Epiphany. The line is closed." in html
    tuesday = html[html.index('id="day-2027-01-05"'):html.index('id="day-2027-01-06"')]
    assert "Closed: Staff training" in tuesday
    assert "Nobody on duty in office hours:\n09:00–12:00" in tuesday


def test_weeks_are_navigated_by_any_date_in_them_and_a_bad_date_means_this_week(boss):
    assert "Rota: 18.1.–24.1.2027" in boss.get("/rota/?week=2027-01-24").get_data(as_text=True)
    assert "Rota: 11.1.–17.1.2027" in boss.get("/rota/?week=someday").get_data(as_text=True)
    html = boss.get("/rota/?week=2027-01-18").get_data(as_text=True)
    assert 'href="/rota/?week=2027-01-11" rel="prev"' in html and 'href="/rota/?week=2027-01-25" rel="next"' in html


def test_a_staff_member_sees_only_their_own_shifts_highlighted_and_no_edit_buttons(pekka, worker, aino, make_shift):
    make_shift(worker.staff, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 12:00"))
    make_shift(aino, helsinki("2027-01-12 12:00"), helsinki("2027-01-12 15:00"))
    html = pekka.get("/rota/").get_data(as_text=True)
    assert "Pekka" in html and "Aino Aalto" not in html
    assert 'class="block cs-37 ce-49 mine"' in html
    assert "/edit" not in html and "hand-over" not in html and "copy-week" not in html
    assert "Follow them in your phone" in html


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get("/rota/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_the_rota_page_is_finnish_by_default(as_supervisor):
    html = as_supervisor.get("/rota/").get_data(as_text=True)
    assert "<h1>Vuorolista: 11.1.–17.1.2027</h1>" in html
    assert "Lisää vuoro" in html
