"""Twilio's TwiML schema (shared/twilio/twiml-schema), loaded once, and a check for each document."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
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


# <Leave/> (https://www.twilio.com/docs/voice/twiml/leave) is TwiML Twilio documents, used in an
# <Enqueue> wait URL document, but the schema copy (TwilioDevEd/twiml-generator) predates it. So a
# bare <Leave/> directly under <Response> (no attributes, no content: all Twilio allows) is taken
# out before the rest of the document is checked; any other use of it still fails.
BARE_LEAVE = re.compile(r"<Leave\s*/>|<Leave></Leave>")


def assert_valid_twiml(xml: str | bytes) -> None:
    """Raise InvalidTwiML, naming what is wrong, unless ``xml`` is a valid TwiML voice document."""
    text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    if "<Leave" in text:
        root = ElementTree.fromstring(text)
        if any(leave not in list(root) or leave.attrib or list(leave) or (leave.text or "").strip()
               for leave in root.iter("Leave")):
            raise InvalidTwiML(f"<Leave> must be a bare verb of <Response>\n--- document ---\n{text}")
        text = BARE_LEAVE.sub("", text)
    errors = list(twiml_schema().iter_errors(text))
    if errors:
        raise InvalidTwiML("invalid TwiML:\n" + "\n".join(str(error.reason or error) for error in errors[:5])
                           + f"\n--- document ---\n{text}")
