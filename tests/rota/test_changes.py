"""Changing the rota from the pages or an import: overlaps refused by name, hand-overs and swaps,
copying last week across a DST change, imports that store all rows or none; each change audited."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from helpline.audit import Actor
from helpline.models import AuditEntry, Shift
from helpline.rota.changes import (
    ShiftClash,
    ShiftEndsBeforeStart,
    ShiftTooLong,
    StaffInactive,
    add_shift,
    apply_import,
    copy_week,
    find_clash,
    hand_over,
    plan_import,
    remove_shift,
    swap,
)
from helpline.rota.csv_import import decode

from conftest import helsinki

HELSINKI = ZoneInfo("Europe/Helsinki")
SARI = Actor("Sari", "user")
NOW = helsinki("2027-01-11 10:00")
EXAMPLE = Path(__file__).parents[1] / "data" / "rota_example.csv"


@pytest.fixture
def people(make_staff):
    return (make_staff("Aino Aalto", "+358401110001"), make_staff("Bertil Berg", "+358401110002"),
            make_staff("Cecilia Carlsson", "+358401110003"))


def _add(session, staff, start, end, priority=1):
    shift = add_shift(session, SARI, session.merge(staff), helsinki(start), helsinki(end), priority, now=NOW,
                      tz=HELSINKI)
    session.commit()
    return shift


def _audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


def test_an_overlapping_shift_for_the_same_person_is_refused_naming_the_clash(session, people):
    aino, bertil, _ = people
    first = _add(session, aino, "2027-01-12 09:00", "2027-01-12 15:00")
    with pytest.raises(ShiftClash) as refused:
        _add(session, aino, "2027-01-12 14:00", "2027-01-12 18:00")
    assert refused.value.clash.id == first.id and refused.value.staff.name == "Aino Aalto"
    assert refused.value.words(HELSINKI) == (
        f"Aino Aalto already has shift {first.id} from 2027-01-12T09:00:00+02:00 to 2027-01-12T15:00:00+02:00, "
        "which overlaps 2027-01-12T14:00:00+02:00 to 2027-01-12T18:00:00+02:00")
    session.rollback()
    _add(session, aino, "2027-01-12 15:00", "2027-01-12 18:00")  # touching is fine
    _add(session, bertil, "2027-01-12 09:00", "2027-01-12 15:00")  # someone else is fine
    assert session.scalar(select(func.count()).select_from(Shift)) == 3
    assert _audit_count(session) == 3


@pytest.mark.parametrize(("start", "end", "error"), [
    ("2027-01-12 15:00", "2027-01-12 09:00", ShiftEndsBeforeStart),
    ("2027-01-12 09:00", "2027-01-13 09:01", ShiftTooLong),
])
def test_an_impossible_shift_is_refused(session, people, start, end, error):
    with pytest.raises(error):
        _add(session, people[0], start, end)


def test_an_inactive_person_gets_no_new_shift(session, make_staff):
    gone = make_staff("Gone", active=False)
    with pytest.raises(StaffInactive):
        _add(session, gone, "2027-01-12 09:00", "2027-01-12 15:00")


def test_a_shift_handed_to_someone_free_keeps_its_times_and_is_audited(session, people):
    aino, bertil, _ = people
    shift = _add(session, aino, "2027-01-12 09:00", "2027-01-12 15:00", priority=2)
    hand_over(session, SARI, shift, session.merge(bertil), now=NOW, tz=HELSINKI)
    session.commit()
    assert (shift.staff_id, shift.starts_at, shift.priority) == (bertil.id, helsinki("2027-01-12 09:00"), 2)
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before["staff_name"], entry.after["staff_name"]) == ("update", "Aino Aalto",
                                                                                    "Bertil Berg")


def test_a_shift_is_not_handed_to_someone_already_on_duty_then(session, people):
    aino, bertil, _ = people
    shift = _add(session, aino, "2027-01-12 09:00", "2027-01-12 15:00")
    busy = _add(session, bertil, "2027-01-12 12:00", "2027-01-12 18:00")
    with pytest.raises(ShiftClash) as refused:
        hand_over(session, SARI, shift, session.merge(bertil), now=NOW, tz=HELSINKI)
    assert refused.value.clash.id == busy.id


def test_two_people_swap_shifts_even_when_the_shifts_overlap_each_other(session, people):
    aino, bertil, _ = people
    morning = _add(session, aino, "2027-01-12 09:00", "2027-01-12 13:00")
    late = _add(session, bertil, "2027-01-12 12:00", "2027-01-12 16:00")
    swap(session, SARI, morning, late, now=NOW, tz=HELSINKI)
    session.commit()
    assert (morning.staff_id, late.staff_id) == (bertil.id, aino.id)
    assert _audit_count(session) == 4


def test_a_swap_is_refused_when_one_person_is_busy_at_the_other_s_time(session, people):
    aino, bertil, _ = people
    morning = _add(session, aino, "2027-01-12 09:00", "2027-01-12 12:00")
    evening = _add(session, bertil, "2027-01-12 18:00", "2027-01-12 21:00")
    _add(session, aino, "2027-01-12 19:00", "2027-01-12 20:00")
    with pytest.raises(ShiftClash) as refused:
        swap(session, SARI, morning, evening, now=NOW, tz=HELSINKI)
    assert refused.value.staff.name == "Aino Aalto"


def test_removing_a_shift_keeps_what_it_was_in_the_audit_log(session, people):
    shift = _add(session, people[0], "2027-01-12 09:00", "2027-01-12 15:00")
    remove_shift(session, SARI, shift, now=NOW, tz=HELSINKI)
    session.commit()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert entry.before["starts_at"] == "2027-01-12T09:00:00+02:00" and entry.entity_id == shift.id
    assert find_clash(session, people[0].id, helsinki("2027-01-12 09:00"), helsinki("2027-01-12 15:00")) is None


def test_copying_last_week_keeps_local_times_across_the_spring_dst_change_and_explains_what_it_skips(
        session, people, make_staff):
    aino, bertil, cecilia = people
    gone = make_staff("Gone")
    # The week of 22 March 2027 is copied into the week of 29 March; clocks go forward on 28 March.
    _add(session, aino, "2027-03-22 09:00", "2027-03-22 15:00")
    _add(session, bertil, "2027-03-23 09:00", "2027-03-23 15:00")
    _add(session, cecilia, "2027-03-24 09:00", "2027-03-24 15:00")
    _add(session, gone, "2027-03-25 09:00", "2027-03-25 15:00")
    _add(session, aino, "2027-03-21 20:00", "2027-03-22 03:30")  # starts the week before: not copied
    _add(session, bertil, "2027-03-30 12:00", "2027-03-30 18:00")  # Bertil is already busy then
    _add(session, cecilia, "2027-03-31 09:00", "2027-03-31 15:00")  # already copied by hand
    gone_row = session.merge(gone)
    gone_row.active = False
    session.commit()

    result = copy_week(session, SARI, date(2027, 3, 29), now=NOW, tz=HELSINKI)
    session.commit()
    assert [(s.staff.name, s.starts_at.astimezone(HELSINKI).isoformat(timespec="minutes")) for s in result.copied] == [
        ("Aino Aalto", "2027-03-29T09:00+03:00")]
    assert [(s.source.staff.name, s.reason) for s in result.skipped] == [
        ("Bertil Berg", "clash"), ("Cecilia Carlsson", "already"), ("Gone", "inactive")]
    assert result.skipped[0].clash.starts_at == helsinki("2027-03-30 12:00")

    again = copy_week(session, SARI, date(2027, 3, 29), now=NOW, tz=HELSINKI)
    assert again.copied == [] and {s.reason for s in again.skipped} == {"clash", "already", "inactive"}


def test_copying_a_shift_into_the_hour_the_clocks_skip_is_skipped_not_guessed(session, people):
    _add(session, people[0], "2027-03-21 02:00", "2027-03-21 03:30")
    result = copy_week(session, SARI, date(2027, 3, 22), now=NOW, tz=HELSINKI)
    assert result.copied == [] and [s.reason for s in result.skipped] == ["dst"]


def test_an_import_checks_rows_against_stored_shifts_and_stores_all_or_nothing(session, people):
    aino = people[0]
    text = decode(EXAMPLE.read_bytes())
    existing = _add(session, aino, "2027-01-18 11:00", "2027-01-18 13:00")
    plan = plan_import(session, text, HELSINKI)
    assert [problem.words() for problem in plan.problems] == [
        "line 3: Aino Aalto already has a shift 18.1.2027 11:00-13:00, which overlaps 18.1.2027 09:00-12:00"]
    with pytest.raises(ValueError):
        apply_import(session, SARI, plan, now=NOW, tz=HELSINKI)

    remove_shift(session, SARI, session.get(Shift, existing.id), now=NOW, tz=HELSINKI)
    session.commit()
    plan = plan_import(session, text, HELSINKI)
    assert plan.valid
    stored = apply_import(session, SARI, plan, now=NOW, tz=HELSINKI)
    session.commit()
    assert len(stored) == 6 == session.scalar(select(func.count()).select_from(Shift))
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "create")) == 7
