"""Property-based: whatever a supervisor's tool sends to any documented operation (requests that
fit /api/openapi.json and requests that do not), the API never answers 5xx, and every answer
(status code, content type, headers, body) is one the document describes.

Schemathesis generates the requests from the document itself (the one GET /api/openapi.json
serves) and sends them through the Flask app (WSGI, no server). Bounded and seeded so CI is
stable: per operation, the document's examples, Schemathesis's boundary cases and at most 25
generated requests, the same ones every run, on a fresh database that holds a small staffed line.
"""
from __future__ import annotations


import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from helpline.api.openapi import build_document

CONFIG = SchemathesisConfig.from_dict({
    "base-url": "http://localhost",
    "seed": 20270111,
    # Valid and invalid requests alike. The token is this test's (a check also sends each request
    # without it); query parameters the document does not name are ignored, as HTTP APIs do.
    "generation": {"max-examples": 25, "deterministic": True, "database": "none",
                   "with-security-parameters": False, "allow-extra-parameters": False},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # A request that fits the document may still be refused for what it means, with the 400 or
        # 422 the document gives it: a phone that is no phone number, a shift that ends before it
        # starts, a `to` before `from`, a time skipped by a DST change. Anything else it gets
        # (a 5xx, an undocumented status) still fails the other checks.
        "positive_data_acceptance": {"expected-statuses": ["2xx", 400, 401, 403, 404, 409, 422]},
    },
})
schema = schemathesis.openapi.from_dict(build_document(), config=CONFIG)


@pytest.fixture
def supervisor_token(make_token, staffed_line, make_callback) -> str:
    """A small line (two staff on duty, one open callback) and a supervisor's API token."""
    make_callback()
    return make_token("supervisor", "schemathesis")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error_or_an_answer_the_document_does_not_describe(case, app, supervisor_token):
    # The document was read without an app; this test's app (its own database) answers. Checks
    # that send a request of their own (the same one without a token) go through the schema's.
    case.operation.app = case.operation.schema.app = app
    case.call_and_validate(headers={"Authorization": f"Bearer {supervisor_token}"})
