"""The JSON Schemas of symderiv's documents (symderiv.verify/1, symderiv.check/1, …), shipped in the
wheel so that an installed symderiv can hand them to a validator: copies of docs/schema/, kept
byte-identical by tests/ci/test_packaging.py."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load(name: str) -> Any:
    """The schema `name` (e.g. "check-1"), parsed."""
    return json.loads((resources.files(__package__) / f"{name}.json").read_text(encoding="utf-8"))
