"""The audit log keeps who changed what and when, refuses entries that could not be read back, and
skips updates that change nothing."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from helpline.audit import Actor, audit_entries, changed_fields, record, record_change
from helpline.models import AuditEntry

from conftest import helsinki

NOW = helsinki("2027-01-11 10:00")


def _record(session, **overrides):
    fields = dict(actor="Sari", actor_kind="user", entity="shift", entity_id=1, action="update",
                  before={"priority": 1}, after={"priority": 2}, now=NOW)
    fields.update(overrides)
    return record_change(session, **fields)


def test_an_entry_keeps_who_when_what_and_before_after_as_json(session):
    _record(session, before={"priority": 1, "staff_name": "Aino"}, after={"priority": 2, "staff_name": "Bertil"})
    session.commit()
    entry = session.scalars(select(AuditEntry)).one()
    assert (entry.actor, entry.actor_kind, entry.entity, entry.entity_id, entry.action) == (
        "Sari", "user", "shift", 1, "update")
    assert entry.at == NOW
    assert entry.before == {"priority": 1, "staff_name": "Aino"}
    assert changed_fields(entry) == [("priority", 1, 2), ("staff_name", "Aino", "Bertil")]


def test_an_update_that_changes_nothing_is_not_recorded(session):
    assert _record(session, before={"priority": 1}, after={"priority": 1}) is None
    session.commit()
    assert session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize(("overrides", "words"), [
    ({"actor_kind": "robot"}, "'robot' is not a valid ActorKind"),
    ({"entity": "callback"}, "'callback' is not a valid AuditEntity"),
    ({"action": "rename"}, "'rename' is not a valid AuditAction"),
    ({"actor": "  "}, "needs the actor's name"),
    ({"action": "create", "before": {"a": 1}}, "a create has an after and no before"),
    ({"action": "delete", "after": {"a": 1}}, "a delete has a before and no after"),
    ({"action": "update", "before": None}, "an update has both"),
])
def test_an_entry_that_could_not_be_read_back_is_refused(session, overrides, words):
    with pytest.raises(ValueError, match=words):
        _record(session, **overrides)


def test_a_naive_time_is_refused(session):
    from helpline.models import NaiveDatetimeError

    with pytest.raises(NaiveDatetimeError):
        _record(session, now=datetime(2027, 1, 11, 10, 0))


def test_the_action_is_read_from_which_snapshots_there_are(session):
    actor = Actor("import script", "system")
    assert record(session, actor, "closure", 3, None, {"reason": "x"}, NOW).action == "create"
    assert record(session, actor, "closure", 3, {"reason": "x"}, {"reason": "y"}, NOW).action == "update"
    assert record(session, actor, "closure", 3, {"reason": "y"}, None, NOW).action == "delete"


def test_entries_are_listed_newest_first_within_the_window_and_filtered(session):
    for hours, entity in ((0, "shift"), (1, "staff"), (2, "shift"), (30 * 24, "shift")):
        _record(session, entity=entity, now=NOW + timedelta(hours=hours))
    session.commit()
    listed = audit_entries(session, since=NOW, until=NOW + timedelta(days=1), entity="shift")
    assert [entry.at for entry in listed] == [NOW + timedelta(hours=2), NOW]
    assert len(audit_entries(session, since=NOW)) == 4
    assert len(audit_entries(session, since=NOW, limit=2)) == 2
