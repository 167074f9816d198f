"""Machine formats of a check run: JSON (symderiv.check/1), GitHub annotations,
SARIF 2.1.0 and JUnit XML; each a function from the reports to one text."""

from __future__ import annotations

from .github import github
from .jsonfmt import SCHEMA, as_json
from .junit import junit
from .sarif import sarif

FORMATS = {"json": as_json, "github": github, "sarif": sarif, "junit": junit}

__all__ = ["FORMATS", "SCHEMA", "as_json", "github", "junit", "sarif"]
