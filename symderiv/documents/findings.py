"""A Finding: one judged equation (or one span that could not be judged) at its
exact place in a document, with the context it was judged in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = ("holds", "fails", "unchecked", "definition")
NOT_CLAIMS = ("expression", "not-an-equation")  # unchecked findings that are no claim: --strict does not fail on them


@dataclass
class Finding:
    """Lines and columns are 1-based; end_column is the column of the last character."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    source: str
    verdict: str  # holds | fails | unchecked | definition
    kind: str | None = None  # values | shapes | ill-formed | unsupported | parse | broken | definition | assumption | …
    reason: str = ""
    suggestion: str | None = None
    context: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("path")
        d.pop("extra")
        return d


@dataclass
class FileReport:
    """The findings of one file, or the error that kept it from being read."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    counted: dict[str, int] = field(default_factory=dict)  # what reading found: spans, equations, expressions, ignored

    def counts(self) -> dict[str, int]:
        out = {v: 0 for v in VERDICTS}
        for f in self.findings:
            out[f.verdict] += 1
        return out


def summary(reports: list[FileReport]) -> dict[str, Any]:
    out: dict[str, Any] = {v: 0 for v in VERDICTS}
    for r in reports:
        for k, v in r.counts().items():
            out[k] += v
    out["errors"] = sum(1 for r in reports if r.error)
    out["coverage"] = coverage(reports)
    return out


def coverage(reports: list[FileReport]) -> dict[str, Any]:
    """How much of the documents was read: equations found, judged (holds or fails), definitions, unchecked by
    reason, and what was not an equation (math without a relation) or was ignored by a directive."""
    found = sum(r.counted.get("equations", 0) for r in reports)
    verdicts = [f for r in reports for f in r.findings]
    by_reason: dict[str, int] = {}
    for f in verdicts:
        if f.verdict == "unchecked":
            by_reason[f.kind or "other"] = by_reason.get(f.kind or "other", 0) + 1
    return {"equations": max(found, len(verdicts)), "judged": sum(f.verdict in ("holds", "fails") for f in verdicts),
            "definitions": sum(f.verdict == "definition" for f in verdicts),
            "unchecked": dict(sorted(by_reason.items())),
            "expressions": sum(r.counted.get("expressions", 0) for r in reports),
            "ignored": sum(r.counted.get("ignored", 0) for r in reports)}
