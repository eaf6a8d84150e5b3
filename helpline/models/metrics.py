"""Per-local-day rollups of the figures (helpline.metrics.rollup), kept so that a period's figures
read days, not rows."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date
from sqlalchemy.orm import Mapped, mapped_column

from helpline.models.base import Base


class MetricsDay(Base):
    """One local day of the line's time zone: each figure family's folded value (``parts``,
    by Part name) and the rollup layout it was folded under (a day of another layout is stale)."""

    __tablename__ = "metrics_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    layout: Mapped[int]
    parts: Mapped[dict[str, Any]] = mapped_column(JSON)
    refreshed_at: Mapped[datetime]
