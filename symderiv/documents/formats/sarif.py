"""`--output-format sarif` / `--sarif FILE`: a SARIF 2.1.0 log (GitHub code scanning and other
viewers): one result per fail (error), per unchecked claim (warning) and per unreadable file.
Artifact URIs are relative references percent-encoded per RFC 3986 (absolute paths become file://
URIs); columns count Unicode code points, and the log says so (`columnKind`)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ..findings import FileReport
from .clean import utf8_safe, utf8_text

INFORMATION_URI = "https://github.com/symderiv/symderiv"  # = [project.urls] Homepage in pyproject.toml (a test checks)
RULES = {
    "fails": ("SD001", "equation-fails", "An equation of the document is false in its context."),
    "unchecked": ("SD002", "equation-unchecked", "An equation could not be checked (the reason says why)."),
}
HELP = "docs/check.md"


def artifact_uri(path: str) -> str:
    """A path as an RFC 3986 URI reference: relative paths percent-encoded segment by segment
    (`docs/weird,name: v2.md` → `docs/weird%2Cname%3A%20v2.md`), absolute ones as file:// URIs."""
    p = Path(path).as_posix()
    try:  # a name that was not UTF-8 on disk gets its original bytes back (os's surrogateescape)
        encoded = quote(p, safe="/", errors="surrogateescape")
    except UnicodeEncodeError:  # other lone surrogates: written as visible escapes
        encoded = quote(utf8_text(p), safe="/")
    return "file://" + encoded if Path(path).is_absolute() else encoded


def _location(path: str, region: dict | None = None) -> dict:
    loc: dict = {"artifactLocation": {"uri": artifact_uri(path)}}
    if not Path(path).is_absolute():
        loc["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    if region:
        loc["region"] = region
    return {"physicalLocation": loc}


def to_log(reports: list[FileReport]) -> dict:
    results = []
    for r in reports:
        for f in r.findings:
            if f.verdict not in RULES:
                continue
            text = f.reason + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                      "endColumn": f.end_column + 1, "snippet": {"text": f.source}}
            results.append({
                "ruleId": RULES[f.verdict][0],
                "level": "error" if f.verdict == "fails" else "warning",
                "message": {"text": text or f.verdict},
                "locations": [_location(r.path, region)],
                "properties": {"verdict": f.verdict, "kind": f.kind, "context": f.context},
            })
        if r.error:
            results.append({"ruleId": "SD003", "level": "error", "message": {"text": r.error}, "locations": [_location(r.path)]})
    rules = [{"id": i, "name": n, "shortDescription": {"text": d}, "helpUri": f"{INFORMATION_URI}/blob/main/{HELP}"}
             for i, n, d in RULES.values()]
    rules.append({"id": "SD003", "name": "file-unreadable", "shortDescription": {"text": "A file could not be read."},
                  "helpUri": f"{INFORMATION_URI}/blob/main/{HELP}"})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "symderiv", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder symderiv check ran in."}}},
            "results": results,
        }],
    }


def sarif(reports: list[FileReport]) -> str:
    return json.dumps(utf8_safe(to_log(reports)), ensure_ascii=False, indent=2) + "\n"
