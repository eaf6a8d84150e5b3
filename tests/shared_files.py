"""Files of ../shared (beside the repository root): Twilio's TwiML schema and OpenAPI description.

Outside CI a developer without shared/ beside the checkout gets a skip that says where the file
should be; in CI (``CI`` set) a missing file fails the run, so it can never be skipped silently.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = REPOSITORY.parent / "shared"
TWILIO_OPENAPI = SHARED / "twilio" / "openapi" / "twilio_api_v2010.json"
TWIML_SCHEMA = SHARED / "twilio" / "twiml-schema" / "twiml_v20100401_twilioRealtimeCallSchema.xsd"


def require(path: Path) -> Path:
    """``path`` when it exists; otherwise a skip (a failure in CI) that names it."""
    if not path.exists():
        message = f"{path} is missing: check out shared/ beside the repository ({SHARED})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
