"""Twilio's TwiML schema (shared/twilio/twiml-schema), loaded once, and a check for each document."""
from __future__ import annotations

from functools import lru_cache
import xmlschema

from tests.shared_files import TWIML_SCHEMA as SCHEMA_PATH


@lru_cache(maxsize=1)
def twiml_schema() -> xmlschema.XMLSchema:
    if not SCHEMA_PATH.exists():
        raise FileNotFoundError(f"Twilio's TwiML schema is missing at {SCHEMA_PATH}: check out shared/ beside the repo")
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


class InvalidTwiML(AssertionError):
    pass


def assert_valid_twiml(xml: str | bytes) -> None:
    """Raise InvalidTwiML, naming what is wrong, unless ``xml`` is a valid TwiML voice document."""
    text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    errors = list(twiml_schema().iter_errors(text))
    if errors:
        raise InvalidTwiML("invalid TwiML:\n" + "\n".join(str(error.reason or error) for error in errors[:5])
                           + f"\n--- document ---\n{text}")
