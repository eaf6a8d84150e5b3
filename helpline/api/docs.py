"""GET /api/docs: the API reference, rendered on the server from the OpenAPI document.

Plain HTML from the same document /api/openapi.json serves, so it cannot drift from it: no
JavaScript, no CDN, nothing a strict Content-Security-Policy (the pages' ``script-src 'self';
style-src 'self'``) has to allow, and it reads on a phone. Swagger UI (the swagger-ui-bundle
package) was the other way: a new dependency and a large script bundle whose CSP needs would
have to be proven. Like the document, it needs no token. It is in English, as the
document is; the page around it (navigation, language buttons) speaks the reader's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


from flask import Blueprint, render_template
from markupsafe import Markup, escape

from helpline.api.auth import public
from helpline.api.openapi import build_document

blueprint = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    anchor: str
    public: bool
    parameters: list[Parameter]
    body: str | None  # "Staff" (a schema's name) or a type in words
    body_type: str
    responses: list[tuple[str, str, str | None]]  # (status, description, schema name)


@dataclass
class Property:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Schema:
    name: str
    properties: list[Property] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def type_words(schema: dict[str, Any] | None) -> str:
    """A JSON Schema in a few words: 'Staff', 'array of Shift', 'string (date-time) or null'."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_words(part) for part in schema["anyOf"])
    if "allOf" in schema:
        return " and ".join(type_words(part) for part in schema["allOf"])
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(type_words(item) for item in schema["prefixItems"]) + "]"
        return "array of " + type_words(schema.get("items"))
    words = str(kind)
    if "format" in schema:
        words += f" ({schema['format']})"
    limits = [f"{name} {schema[key]}" for key, name in (("minimum", "from"), ("maximum", "to"),
                                                        ("maxLength", "at most characters:")) if key in schema]
    if limits:
        words += ", " + ", ".join(limits)
    return words


def _described(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    parts = [schema.get("description", "")]
    if "default" in schema:
        parts.append(f"default {schema['default']}")
    if schema.get("examples"):
        parts.append("e.g. " + ", ".join(str(example) for example in schema["examples"]))
    return "; ".join(part for part in parts if part)


def _ref_name(content: dict[str, Any] | None) -> tuple[str | None, str]:
    """(schema name, media type) of a request or response body."""
    for media_type, body in (content or {}).items():
        schema = body.get("schema") or {}
        name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
        return name, media_type if name else f"{media_type}: {type_words(schema)}"
    return None, ""


def operations(document: dict[str, Any]) -> dict[str, list[Operation]]:
    """Every operation, grouped by the document's tags in its order."""
    responses_by_name = document["components"]["responses"]
    grouped: dict[str, list[Operation]] = {tag["name"]: [] for tag in document.get("tags", [])}
    for path, item in document["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            parameters = [Parameter(p["name"], p["in"], bool(p.get("required")), type_words(p.get("schema")),
                                    "; ".join(part for part in (p.get("description", ""), _described(p.get("schema")))
                                              if part))
                          for p in (*shared, *op.get("parameters", []))]
            body, body_type = _ref_name((op.get("requestBody") or {}).get("content"))
            responses = []
            for status, response in sorted(op["responses"].items()):
                if "$ref" in response:
                    response = responses_by_name[response["$ref"].rsplit("/", 1)[-1]]
                name, _media = _ref_name(response.get("content"))
                responses.append((status, response.get("description", ""), name))
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").replace("--", "-")
            for tag in op.get("tags", ["other"]):
                grouped.setdefault(tag, []).append(Operation(
                    method.upper(), path, op.get("summary", ""), anchor, op.get("security") == [], parameters,
                    body, body_type if body is None else "", responses))
    return {tag: ops for tag, ops in grouped.items() if ops}


def schemas(document: dict[str, Any]) -> list[Schema]:
    found = []
    for name, schema in document["components"]["schemas"].items():
        entry = Schema(name)
        parts = [schema, *schema.get("allOf", [])]
        for part in parts:
            if "$ref" in part:
                entry.notes.append(f"Everything in {part['$ref'].rsplit('/', 1)[-1]}, and:")
        required = set(schema.get("required", []))
        for prop, spec in (schema.get("properties") or {}).items():
            entry.properties.append(Property(prop, type_words(spec), prop in required, _described(spec)))
        if schema.get("oneOf"):
            entry.notes.append("Give " + ", or ".join(" and ".join(option.get("required", []))
                                                      for option in schema["oneOf"]) + ".")
        if schema.get("additionalProperties") is False:
            entry.notes.append("No other fields are accepted.")
        found.append(entry)
    return found


def with_code(text: str) -> Markup:
    """The document's `backticks` as <code>, everything else escaped."""
    return Markup(re.sub(r"`([^`]+)`", lambda match: f"<code>{match[1]}</code>", str(escape(text))))


@blueprint.get("/docs")
@public
def reference():
    document = build_document()
    return render_template("api/docs.html", info=document["info"], groups=operations(document),
                           schemas=schemas(document), with_code=with_code)
