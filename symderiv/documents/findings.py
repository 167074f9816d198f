"""A Finding: one judged equation (or one span that could not be judged) at its
exact place in a document, with the context it was judged in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = ("holds", "fails", "unchecked", "definition")


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

    def counts(self) -> dict[str, int]:
        out = {v: 0 for v in VERDICTS}
        for f in self.findings:
            out[f.verdict] += 1
        return out


def summary(reports: list[FileReport]) -> dict[str, int]:
    out = {v: 0 for v in VERDICTS}
    for r in reports:
        for k, v in r.counts().items():
            out[k] += v
    out["errors"] = sum(1 for r in reports if r.error)
    return out
