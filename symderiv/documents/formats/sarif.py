"""`--format sarif`: a SARIF 2.1.0 log (for GitHub code scanning and other
viewers): one result per fail (error) and per unchecked claim (warning)."""

from __future__ import annotations

import json
from pathlib import Path

from ... import __version__
from ..findings import FileReport

RULES = {
    "fails": ("SD001", "equation-fails", "An equation of the document is false in its context."),
    "unchecked": ("SD002", "equation-unchecked", "An equation could not be checked (the reason says why)."),
}


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def sarif(reports: list[FileReport]) -> str:
    results = []
    for r in reports:
        for f in r.findings:
            if f.verdict not in RULES:
                continue
            rule_id = RULES[f.verdict][0]
            text = f.reason + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            results.append({
                "ruleId": rule_id,
                "level": "error" if f.verdict == "fails" else "warning",
                "message": {"text": text or f.verdict},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(r.path)},
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                               "endColumn": f.end_column + 1, "snippet": {"text": f.source}},
                }}],
                "properties": {"verdict": f.verdict, "kind": f.kind, "context": f.context},
            })
        if r.error:
            results.append({"ruleId": "SD003", "level": "error", "message": {"text": r.error},
                            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]})
    rules = [{"id": i, "name": n, "shortDescription": {"text": d}} for i, n, d in RULES.values()]
    rules.append({"id": "SD003", "name": "file-unreadable", "shortDescription": {"text": "A file could not be read."}})
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "symderiv", "version": __version__, "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
