"""The Blocked numbers page: a supervisor blocks a number for some days with a reason and lifts
it; staff cannot see the page; a form without its CSRF token changes nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from helpline.blocks.store import is_blocked
from helpline.models import AuditEntry, BlockedNumber
from tests.web.conftest import post_form

FORM = {"number": "050 123 4567", "days": "14", "reason": "Toistuvat häirintäpuhelut"}


def _blocks(line) -> list[BlockedNumber]:
    with line.db.sessionmaker() as session:
        return list(session.scalars(select(BlockedNumber)))


def test_a_supervisor_blocks_a_number_and_lifts_the_block_both_audited(as_supervisor, line, clock):
    response = post_form(as_supervisor, "/blocked/", FORM)

    assert response.status_code == 302
    [block] = _blocks(line)
    assert (block.number_hint, block.days, block.reason, block.created_by) == (
        "…567", 14, "Toistuvat häirintäpuhelut", "Sari (sari)")
    with line.db.sessionmaker() as session:
        assert is_blocked(session, line.settings.secret_key, "+358501234567", clock.now())
    page = as_supervisor.get("/blocked/").get_data(as_text=True)
    assert "…567" in page and "Toistuvat häirintäpuhelut" in page and "501234567" not in page

    assert post_form(as_supervisor, f"/blocked/{block.id}/delete", {}, token_from="/blocked/").status_code == 302
    assert _blocks(line) == []
    with line.db.sessionmaker() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "blocked_number")
                                  .order_by(AuditEntry.id)).all()
    assert actions == ["create", "delete"]
    assert post_form(as_supervisor, f"/blocked/{block.id}/delete", {}, token_from="/blocked/").status_code == 404


def test_a_block_that_cannot_be_made_says_why_and_stores_nothing(as_supervisor, line, make_staff):
    make_staff("Aino", "+358401110001")
    for data, status in (({**FORM, "number": "12"}, 422), ({**FORM, "days": "0"}, 422),
                         ({**FORM, "days": "366"}, 422), ({**FORM, "reason": ""}, 422),
                         ({**FORM, "number": "040 111 0001"}, 409)):
        response = post_form(as_supervisor, "/blocked/", data)
        assert response.status_code == status, data
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert _blocks(line) == []
    assert post_form(as_supervisor, "/blocked/", FORM).status_code == 302
    again = post_form(as_supervisor, "/blocked/", {**FORM, "number": "+358501234567"})
    assert again.status_code == 409 and len(_blocks(line)) == 1


def test_staff_cannot_see_or_use_the_page(as_worker, line):
    assert as_worker.get("/blocked/").status_code == 403
    assert post_form(as_worker, "/blocked/", FORM, token_from="/").status_code == 403
    assert _blocks(line) == []


def test_a_form_without_its_csrf_token_changes_nothing(as_supervisor, line, session):
    assert as_supervisor.post("/blocked/", data=FORM).status_code == 400
    assert session.scalar(select(func.count()).select_from(BlockedNumber)) == 0
