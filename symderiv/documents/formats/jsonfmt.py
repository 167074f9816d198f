"""`--format json`: one document, schema symderiv.check/1 (docs/schema/check-1.json)."""

from __future__ import annotations

import json

from ..findings import FileReport, summary
from .clean import utf8_safe

SCHEMA = "symderiv.check/1"


def to_dict(reports: list[FileReport]) -> dict:
    return {
        "schema": SCHEMA,
        "files": [{"path": r.path, "error": r.error, "findings": [f.to_dict() for f in r.findings]} for r in reports],
        "summary": summary(reports),
    }


def as_json(reports: list[FileReport]) -> str:
    return json.dumps(utf8_safe(to_dict(reports)), ensure_ascii=False, indent=2) + "\n"
