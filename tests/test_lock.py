"""The lock files agree with pyproject.toml: every requirement (and the build backend) is
pinned, at a version its range allows, with hashes; the test lock holds the app's pins
unchanged. When this fails after an edit to pyproject.toml, run `make lock`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(name: str) -> dict[str, Version]:
    """name → version of every package in a lock file; each pin carries at least one hash."""
    text = (ROOT / name).read_text()
    found: dict[str, Version] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = _PIN.match(entry)
        if match:
            assert "--hash=sha256:" in entry, f"{name}: {match[1]} has no hash"
            found[canonicalize_name(match[1])] = Version(match[2])
    assert found, f"{name} pins nothing"
    return found


def check(requirements: list[str], locked: dict[str, Version], lock: str) -> None:
    for line in requirements:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate({"python_version": "3.12"}):
            continue
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in pyproject.toml but not in {lock}: run `make lock`"
        assert req.specifier.contains(locked[name], prereleases=True), (
            f"{lock} pins {req.name}=={locked[name]}, outside pyproject.toml's {req.specifier}: run `make lock`"
        )


APP = PYPROJECT["project"]["dependencies"]
BUILD = PYPROJECT["build-system"]["requires"]
TEST = PYPROJECT["project"]["optional-dependencies"]["test"]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [("requirements.lock", APP + BUILD), ("requirements-test.lock", APP + BUILD + TEST)],
)
def test_lock_satisfies_pyproject(lock: str, requirements: list[str]) -> None:
    check(requirements, pins(lock), lock)


def test_test_lock_keeps_the_app_pins() -> None:
    app, test = pins("requirements.lock"), pins("requirements-test.lock")
    moved = {name: (v, test.get(name)) for name, v in app.items() if test.get(name) != v}
    assert not moved, f"the test lock moved the app's pins: {moved}; run `make lock`"


def test_linters_are_pinned_exactly() -> None:
    for line in TEST:
        req = Requirement(line)
        if req.name in ("ruff", "mypy"):
            assert str(req.specifier).startswith("=="), f"{req.name} must be pinned with ==, not {req.specifier}"
