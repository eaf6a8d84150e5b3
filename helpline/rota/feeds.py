"""Private iCalendar feeds of the rota: a secret URL per person that any calendar app can subscribe to.

A staff member's feed lists their own shifts; a supervisor may also have one of the whole rota.
The secret is shown once when made and stored only as its SHA-256 digest, like API tokens. Making
a new one revokes the old one of the same kind; revoking stops it at once. A feed stops too when
its owner is deactivated, and a whole-rota feed when its owner is no longer a supervisor.

Each shift is one event with a stable UID, times with the line's TZID (and its VTIMEZONE), and
SEQUENCE / LAST-MODIFIED / DTSTAMP read from the audit log (how many times the shift was changed,
and when last), so calendar apps notice an edited shift. Nothing here reads the clock or Flask.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from helpline.models import AuditAction, AuditEntity, AuditEntry, CalendarFeed, FeedScope, Shift, Staff

TOKEN_PREFIX = "cal_"
PRODID = "-//Helpline//Rota feed//EN"
# How much of the rota a feed carries: enough past for "when did I last work", a year ahead.
PAST = timedelta(days=60)
AHEAD = timedelta(days=366)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_feed(session: Session, staff: Staff, scope: str, now: datetime) -> str:
    """A new secret for ``staff``'s feed of ``scope`` (revoking the previous one); shown only now."""
    scope = FeedScope(scope).value
    if scope == FeedScope.ROTA and not staff.is_supervisor:
        raise PermissionError("only a supervisor may have a feed of the whole rota")
    revoke_feeds(session, staff.id, scope, now)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(CalendarFeed(staff_id=staff.id, scope=scope, token_sha256=digest(token), created_at=now))
    session.flush()
    return token


def revoke_feeds(session: Session, staff_id: int, scope: str, now: datetime) -> int:
    """Stop every live feed of this person and scope; how many there were."""
    result = session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.staff_id == staff_id, CalendarFeed.scope == FeedScope(scope).value,
               CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount or 0


def live_feeds(session: Session, staff_id: int) -> dict[str, CalendarFeed]:
    """This person's live feeds by scope (to show when each was made)."""
    feeds = session.scalars(select(CalendarFeed).where(CalendarFeed.staff_id == staff_id,
                                                       CalendarFeed.revoked_at.is_(None)))
    return {feed.scope: feed for feed in feeds}


def find_feed(session: Session, token: str) -> CalendarFeed | None:
    """The feed a presented secret opens, or None (unknown, revoked, or its owner no longer allowed)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_sha256 == digest(token)))
    if feed is None or feed.revoked_at is not None or not feed.staff.active:
        return None
    if feed.scope == FeedScope.ROTA and not feed.staff.is_supervisor:
        return None
    return feed


@dataclass(frozen=True)
class Revision:
    """How many times a shift was changed, and when it last was (created, if never changed)."""

    sequence: int
    modified: datetime


def feed_shifts(session: Session, feed: CalendarFeed, now: datetime) -> list[Shift]:
    query = select(Shift).where(Shift.ends_at > now - PAST, Shift.starts_at < now + AHEAD)
    if feed.scope == FeedScope.OWN:
        query = query.where(Shift.staff_id == feed.staff_id)
    return list(session.scalars(query.order_by(Shift.starts_at, Shift.priority, Shift.id)))


def revisions(session: Session, shifts: Iterable[Shift]) -> dict[int, Revision]:
    """Each shift's revision, from its audit entries (a shift made before the log existed is at 0)."""
    shifts = list(shifts)
    ids = [shift.id for shift in shifts]
    found: dict[int, tuple[int, datetime | None]] = {}
    if ids:
        rows = session.execute(
            select(AuditEntry.entity_id,
                   func.sum(case((AuditEntry.action == AuditAction.UPDATE.value, 1), else_=0)),
                   func.max(AuditEntry.at))
            .where(AuditEntry.entity == AuditEntity.SHIFT.value, AuditEntry.entity_id.in_(ids))
            .group_by(AuditEntry.entity_id)
        )
        found = {entity_id: (int(updates or 0), last) for entity_id, updates, last in rows}
    result = {}
    for shift in shifts:
        updates, last = found.get(shift.id, (0, None))
        result[shift.id] = Revision(updates, max(last, shift.created_at) if last else shift.created_at)
    return result


def build_calendar(shifts: Iterable[Shift], revs: dict[int, Revision], *, tz: ZoneInfo, name: str,
                   uid_domain: str, summary: Callable[[Shift], str], description: str = "") -> bytes:
    """The feed as RFC 5545 text, times in ``tz`` with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    # Ask subscribing apps to look again within the hour (those that honour it).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for shift in shifts:
        revision = revs[shift.id]
        event = Event()
        event.add("uid", f"shift-{shift.id}@{uid_domain}")
        event.add("dtstamp", revision.modified)
        event.add("last-modified", revision.modified)
        event.add("created", shift.created_at)
        event.add("sequence", revision.sequence)
        event.add("dtstart", shift.starts_at.astimezone(tz))
        event.add("dtend", shift.ends_at.astimezone(tz))
        event.add("summary", summary(shift))
        if description:
            event.add("description", description)
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
