"""X-Twilio-Signature: checking what Twilio sends us, and signing what our test client sends."""
from __future__ import annotations

from typing import Mapping

from twilio.request_validator import RequestValidator


class SignatureChecker:
    def __init__(self, auth_token: str) -> None:
        self._validator = RequestValidator(auth_token) if auth_token else None

    def is_valid(self, url: str, params: Mapping[str, str], signature: str | None) -> bool:
        """Fail closed: no token configured or no signature given means invalid."""
        if self._validator is None or not signature:
            return False
        return bool(self._validator.validate(url, dict(params), signature))


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The X-Twilio-Signature Twilio would send for a form POST to ``url``."""
    return RequestValidator(auth_token).compute_signature(url, dict(params))
