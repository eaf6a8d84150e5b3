"""Someone writing a tool for the API reads its reference at /api/docs: every operation and
schema of /api/openapi.json, as plain HTML under the pages' strict Content-Security-Policy."""
from __future__ import annotations

import re

from helpline.api.docs import type_words


def test_the_reference_is_a_page_anyone_may_read_without_a_token(anonymous):
    response = anonymous.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp


def test_the_reference_names_every_operation_and_schema_of_the_document(anonymous):
    document = anonymous.get("/api/openapi.json").get_json()
    html = anonymous.get("/api/docs").get_data(as_text=True)
    for path, item in document["paths"].items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                assert re.search(rf">{method.upper()}</span> <code class=\"path\">{re.escape(path)}</code>", html), \
                    (method, path)
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html, name


def test_the_reference_needs_no_script_and_nothing_from_elsewhere(anonymous):
    html = anonymous.get("/api/docs").get_data(as_text=True)
    assert "<script" not in html and " style=" not in html and "<style" not in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert 'lang="en"' in html  # the reference is English, as the document is; the page around it is not


def test_a_schema_reads_as_a_few_words():
    assert type_words({"$ref": "#/components/schemas/Staff"}) == "Staff"
    assert type_words({"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}) == \
        "string (date-time) or null"
    assert type_words({"type": "array", "items": {"$ref": "#/components/schemas/Shift"}}) == "array of Shift"
    assert type_words({"enum": ["open", "closed"]}) == "one of open, closed"
