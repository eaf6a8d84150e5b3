"""Installs are reproducible and past the known advisories: pyproject.toml's floors exclude the
vulnerable releases, constraints.txt pins what was tested, and scripts/_venv.sh installs with it."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
# The last release of each with a known advisory for what Helpline uses (see pyproject.toml).
LAST_VULNERABLE = {"flask": "3.1.2", "werkzeug": "3.1.5", "jinja2": "3.1.5", "gunicorn": "22.0.0",
                   "requests": "2.32.5"}


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for extra in ("test", "embedded-redis"):
        lines += project["optional-dependencies"][extra]
    return {canonicalize_name(Requirement(line).name): Requirement(line) for line in lines}


def _pins() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt pins exact versions only: {line!r}"
            pins[canonicalize_name(name)] = Version(pinned)
    return pins


@pytest.mark.parametrize(("name", "vulnerable"), sorted(LAST_VULNERABLE.items()))
def test_the_floors_leave_out_every_release_with_a_known_advisory(name, vulnerable):
    requirement = _requirements()[name]
    assert not requirement.specifier.contains(vulnerable), f"{requirement} still allows {name} {vulnerable}"
    assert requirement.specifier.contains(version(name)), f"the installed {name} {version(name)} is outside it"


def test_constraints_pin_every_dependency_inside_pyprojects_ranges():
    pins = _pins()
    for name, requirement in _requirements().items():
        assert name in pins, f"constraints.txt does not pin {name}"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement}"
    for name in LAST_VULNERABLE:
        assert pins[name] > Version(LAST_VULNERABLE[name])


def test_every_install_of_the_scripts_goes_through_the_constraints():
    script = (ROOT / "scripts" / "_venv.sh").read_text(encoding="utf-8")
    installs = re.findall(r"pip install [^\n]*-e [^\n]*", script)
    assert len(installs) == 2  # with the extras, and without the embedded Redis when that cannot install
    assert all("-c constraints.txt" in line for line in installs), installs
    assert "constraints.txt" in script.split("wanted=", 1)[1].splitlines()[0]  # a new pin reinstalls
