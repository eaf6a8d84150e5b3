"""The map of help's figures (pure): referrals per service, and views of the public map per service.

Anchors as helpline.metrics.figures: a live call's referral by when the call started, a callback's
by when it was closed; a day's map views by that day's local midnight.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from helpline.metrics.rows import CallbackRow, CallRow, MapViewRow, ServiceRow

ANSWERED = "answered"


@dataclass(frozen=True)
class ServiceReferrals:
    service_id: int
    name: str
    calls: int  # live calls wrapped up as referred there
    callbacks: int  # callbacks closed as referred there
    total: int


@dataclass(frozen=True)
class Referrals:
    services: tuple[ServiceReferrals, ...]  # most first
    without_service: int  # referrals that named no service


def _service_names(services: Sequence[ServiceRow]) -> dict[int, str]:
    return {row.id: row.name for row in services}


def referrals(calls: Sequence[CallRow], closed: Sequence[CallbackRow], services: Sequence[ServiceRow]) -> Referrals:
    by_calls = Counter(call.wrap_up_service_id for call in calls
                       if call.outcome == ANSWERED and call.wrap_up == "referred")
    by_callbacks = Counter(callback.service_id for callback in closed if callback.outcome == "referred")
    return referrals_from_counts(by_calls, by_callbacks, services)


def referrals_from_counts(by_calls: Mapping[int | None, int], by_callbacks: Mapping[int | None, int],
                          services: Sequence[ServiceRow]) -> Referrals:
    """referrals() from how many live calls and closed callbacks named each service (None: none)."""
    names = _service_names(services)
    by_calls, by_callbacks = Counter(by_calls), Counter(by_callbacks)
    without = by_calls.pop(None, 0) + by_callbacks.pop(None, 0)
    rows = [ServiceReferrals(service_id, names.get(service_id, f"service #{service_id}"), by_calls[service_id],
                             by_callbacks[service_id], by_calls[service_id] + by_callbacks[service_id])
            for service_id in set(by_calls) | set(by_callbacks)]
    rows.sort(key=lambda row: (-row.total, row.name.casefold(), row.service_id))
    return Referrals(tuple(rows), without)


@dataclass(frozen=True)
class ServiceViews:
    service_id: int
    name: str
    views: int


@dataclass(frozen=True)
class MapViews:
    total: int
    services: tuple[ServiceViews, ...]  # most first


def map_views(views: Sequence[MapViewRow], services: Sequence[ServiceRow]) -> MapViews:
    counted: Counter[int] = Counter()
    for row in views:
        counted[row.service_id] += row.views
    return map_views_from_counts(counted, services)


def map_views_from_counts(counted: Mapping[int, int], services: Sequence[ServiceRow]) -> MapViews:
    """map_views() from the views per service."""
    names = _service_names(services)
    rows = sorted((ServiceViews(service_id, names.get(service_id, f"service #{service_id}"), count)
                   for service_id, count in counted.items()), key=lambda row: (-row.views, row.name.casefold()))
    return MapViews(sum(counted.values()), tuple(rows))
