"""Imports point one way: edges -> queue/ -> domain -> models/, telephony/ -> the pure rules.

Every ``import`` in the package is read with ``ast`` (those inside functions too, since a late
import is still a dependency) and checked against the layers below. A module may import its own
layer or a lower one, never a higher one; the pure rules import neither Flask, the database,
Redis nor Twilio; only telephony/ imports twilio.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import helpline

PACKAGE_DIR = Path(helpline.__file__).parent

# Pure rules: plain data in, decisions out; no clock, no I/O.
PURE = (
    "helpline.rota.rules", "helpline.rota.localtime", "helpline.callbacks.rules", "helpline.callbacks.promise",
    "helpline.sms.commands", "helpline.sms.gsm7", "helpline.sms.texts", "helpline.texts", "helpline.feedback.rules",
    "helpline.rota.coverage", "helpline.rota.csv_import", "helpline.phones", "helpline.names", "helpline.metrics.rows",
    "helpline.metrics.identity", "helpline.metrics.figures", "helpline.metrics.rollup", "helpline.metrics.compute", "helpline.metrics.response",
    "helpline.metrics.charts", "helpline.metrics.queue_figures", "helpline.callbacks.conversation_rules",
    "helpline.sms.conversation_texts",
    "helpline.directory.rules", "helpline.directory.hours", "helpline.directory.fields",
    "helpline.directory.csv_import", "helpline.sms.directory_texts", "helpline.metrics.map_figures",
    "helpline.blocks.rules",
)
# Layers from the rules (0) to the edges (4). The longest matching prefix decides.
LAYERS: dict[str, int] = {
    **{name: 0 for name in PURE},
    "helpline.config": 1, "helpline.clock": 1, "helpline.models": 1, "helpline.telephony": 1,
    "helpline.db": 1, "helpline.dispatch": 1, "helpline.services": 1, "helpline.routes": 1, "helpline.throttle": 1,
    "helpline.chat_board": 1,
    "helpline.rota": 2, "helpline.callbacks": 2, "helpline.sms": 2, "helpline.inbound": 2,
    "helpline.feedback": 2, "helpline.directory": 2, "helpline.metrics": 2, "helpline.blocks": 2, "helpline.audit": 2,
    "helpline.tokens": 2,
    "helpline.queue": 3,
    "helpline.webhooks": 4, "helpline.api": 4, "helpline.web": 4, "helpline.cli": 4, "helpline.demo": 4,
    "helpline.devtools": 4, "helpline.migrate": 4, "helpline.metrics.prometheus": 4, "helpline": 4,
}
NOT_FOR_RULES = ("flask", "sqlalchemy", "twilio", "rq", "redis", "requests")
# Narrower promises inside a layer.
MAY_NOT_IMPORT: dict[str, tuple[str, ...]] = {
    "helpline.models": ("helpline.telephony", "helpline.dispatch", "helpline.services", "twilio", "flask"),
    "helpline.telephony": ("helpline.models", "helpline.dispatch", "helpline.services", "flask", "rq"),
    # The URL table is read by workers too: no Flask app, no request.
    "helpline.routes": ("flask",),
}


def _match(name: str, prefixes) -> str | None:
    best = None
    for prefix in prefixes:
        if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def layer_of(module: str) -> int:
    prefix = _match(module, LAYERS)
    assert prefix is not None, f"{module} is in no layer: add it to LAYERS"
    return LAYERS[prefix]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str) -> set[str]:
    """Every module named by an import in ``source`` (relative imports resolved; ``from a import b``
    counts as ``a.b`` when that is a module of ours)."""
    found: set[str] = set()
    package = module if module == "helpline" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if _is_our_module(candidate):
                    found.add(candidate)
    return found


def _is_our_module(name: str) -> bool:
    if not name.startswith("helpline."):
        return False
    relative = Path(*name.split(".")[1:])
    return (PACKAGE_DIR / relative).with_suffix(".py").exists() or (PACKAGE_DIR / relative / "__init__.py").exists()


def violations(module: str, imported: set[str]) -> list[str]:
    found = []
    own = layer_of(module)
    for name in sorted(imported):
        top = name.split(".")[0]
        if own == 0 and top in NOT_FOR_RULES:
            found.append(f"{module} (a pure rule) imports {name}")
        if top == "twilio" and not module.startswith(("helpline.telephony", "helpline.devtools")):
            found.append(f"{module} imports {name}: only helpline.telephony talks to Twilio")
        rule = _match(module, MAY_NOT_IMPORT)
        if rule and _match(name, MAY_NOT_IMPORT[rule]):
            found.append(f"{module} imports {name}")
        if top != "helpline" or name == "helpline" or module.startswith(name + "."):
            continue  # a package's own __init__ runs first anyway
        if layer_of(name) > own:
            found.append(f"{module} (layer {own}) imports {name} (layer {layer_of(name)})")
    return found


def _all_modules():
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


@pytest.mark.parametrize("path", list(_all_modules()), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_every_import_points_down_the_layers(path):
    module = module_name(path)
    assert violations(module, imports_of(path.read_text(encoding="utf-8"), module)) == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        # The upward imports the layout had before it was given rooms: each must be caught.
        ("helpline.callbacks.assignment", "def f():\n    from helpline.queue.runtime import current_services\n"),
        ("helpline.sms.outbox", "def f():\n    from helpline.queue.runtime import current_services\n"),
        ("helpline.callbacks.call_back", "def f():\n    from helpline.queue.runtime import current_services\n"),
        ("helpline.feedback.callers", "def f():\n    from helpline.queue.runtime import current_services\n"),
        ("helpline.services", "from helpline.queue.dispatch import JobDispatcher\n"),
        ("helpline.queue.reconcile", "from helpline.webhooks import voice\n"),
        ("helpline.callbacks.rules", "from helpline.models import CallbackRequest\n"),
        ("helpline.rota.rules", "import sqlalchemy\n"),
        ("helpline.models.calls", "from helpline.telephony import twiml\n"),
        ("helpline.web.callbacks", "from twilio.twiml.voice_response import VoiceResponse\n"),
        ("helpline.webhooks.voice", "from twilio.twiml.voice_response import VoiceResponse\n"),
        ("helpline.callbacks.call_back", "from helpline.webhooks.callbacks_out import blueprint\n"),
        ("helpline.routes", "from flask import url_for\n"),
        ("helpline.inbound.hunt", "from . import context\nfrom ..queue import jobs\n"),
    ],
)
def test_the_check_catches_an_import_that_points_up(module, source):
    assert violations(module, imports_of(source, module))


# Twilio's own types, which telephony/ might hand on by re-export; outside it, our own stand in.
TWILIO_TYPES = frozenset({"VoiceResponse", "Gather", "TwilioRestException", "TwilioException", "Client"})


def test_twilios_own_types_are_not_passed_on_outside_telephony():
    found = []
    for path in _all_modules():
        module = module_name(path)
        if module.startswith(("helpline.telephony", "helpline.devtools")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpline.telephony"):
                found += [f"{module} imports {alias.name}" for alias in node.names if alias.name in TWILIO_TYPES]
    assert found == []


def test_every_module_of_the_package_is_in_a_layer():
    for path in _all_modules():
        layer_of(module_name(path))
