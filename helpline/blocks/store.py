"""Blocked numbers in the database: made and lifted (audited), listed, and asked about by every
path a caller starts something on (helpline.inbound: calls, recordings, status callbacks, texts).

Who made a change is an audit Actor (a page user, an API token); :func:`add` and :func:`remove`
record it in the same session as the change, so both commit together or not at all.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from helpline.audit import Actor, record
from helpline.blocks.rules import ends_at, number_hash, number_hint
from helpline.models import AuditEntity, BlockedNumber, Staff
from helpline.rota.localtime import format_instant


class BlockRefused(ValueError):
    """A block that cannot be made; the message says why in words."""


class AlreadyBlocked(BlockRefused):
    def __init__(self, block: BlockedNumber) -> None:
        super().__init__(f"that number is blocked already (block id {block.id}); lift that block first to "
                         "make a new one")
        self.block_id = block.id


class StaffNumber(BlockRefused):
    def __init__(self, staff: Staff) -> None:
        super().__init__(f"that is the phone of staff member {staff.name} (id {staff.id}); to keep them off "
                         "the line, deactivate them instead")
        self.staff_name = staff.name


def is_blocked(session: Session, secret_key: str, number: str | None, now: datetime) -> bool:
    """True when a block of ``number`` (E.164; None: withheld, never blocked) is in force at ``now``."""
    if number is None:
        return False
    return session.execute(
        _IS_BLOCKED, {"number_hash": number_hash(secret_key, number), "now": now}).first() is not None


# Built once: every incoming call asks it.
_IS_BLOCKED = (select(BlockedNumber.__table__.c.id)
               .where(BlockedNumber.__table__.c.number_hash == bindparam("number_hash"),
                      BlockedNumber.__table__.c.ends_at > bindparam("now"))
               .limit(1))


def in_force(session: Session, now: datetime) -> list[BlockedNumber]:
    """The blocks in force at ``now``, the one ending soonest first."""
    return list(session.scalars(
        select(BlockedNumber).where(BlockedNumber.ends_at > now).order_by(BlockedNumber.ends_at, BlockedNumber.id)))


def add(session: Session, *, secret_key: str, number: str, days: int, reason: str, actor: Actor, now: datetime,
        tz: ZoneInfo) -> BlockedNumber:
    """Block ``number`` (E.164) for ``days`` days from ``now``. Refuses (BlockRefused) a number
    blocked already or an active staff member's phone."""
    hashed = number_hash(secret_key, number)
    current = session.scalar(select(BlockedNumber).where(BlockedNumber.number_hash == hashed,
                                                         BlockedNumber.ends_at > now).with_for_update())
    if current is not None:
        raise AlreadyBlocked(current)
    staff = session.scalar(select(Staff).where(Staff.phone == number, Staff.active.is_(True)))
    if staff is not None:
        raise StaffNumber(staff)
    block = BlockedNumber(number_hash=hashed, number_hint=number_hint(number), reason=reason, days=days,
                          created_at=now, ends_at=ends_at(now, days, tz), created_by=actor.name[:120])
    session.add(block)
    session.flush()
    record(session, actor, AuditEntity.BLOCKED_NUMBER, block.id, None, snapshot(block, tz), now)
    return block


def remove(session: Session, block: BlockedNumber, *, actor: Actor, now: datetime, tz: ZoneInfo) -> None:
    """Lift a block (delete its row), audited."""
    record(session, actor, AuditEntity.BLOCKED_NUMBER, block.id, snapshot(block, tz), None, now)
    session.delete(block)


def snapshot(block: BlockedNumber, tz: ZoneInfo) -> dict[str, Any]:
    """A block as the audit log keeps it: never the number, nor its hash."""
    return {"number": block.number_hint, "days": block.days, "reason": block.reason,
            "ends_at": format_instant(block.ends_at, tz)}


def delete_ended_before(session: Session, cutoff: datetime) -> int:
    """Retention: delete the blocks that ended before ``cutoff``; how many."""
    result = session.execute(delete(BlockedNumber).where(BlockedNumber.ends_at < cutoff))
    return result.rowcount or 0
