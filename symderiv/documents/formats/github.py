"""`--format github`: workflow commands that GitHub Actions shows as annotations
on the pull request: `::error` for a fail, `::warning` for unchecked."""

from __future__ import annotations

from ..findings import FileReport
from .clean import utf8_text


def _escape_data(s: str) -> str:
    return utf8_text(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(reports: list[FileReport]) -> str:
    out = []
    for r in reports:
        if r.error:
            out.append(f"::error file={_escape_prop(r.path)},title=symderiv check::{_escape_data(r.error)}")
        for f in r.findings:
            if f.verdict not in ("fails", "unchecked"):
                continue
            level = "error" if f.verdict == "fails" else "warning"
            title = f"symderiv: {f.verdict}" + (f" ({f.kind})" if f.kind else "")
            msg = f.reason + (f" Suggestion: {f.suggestion}" if f.suggestion else "")
            out.append(f"::{level} file={_escape_prop(r.path)},line={f.line},col={f.column},endLine={f.end_line},"
                       f"endColumn={f.end_column},title={_escape_prop(title)}::{_escape_data(msg)}")
    return "\n".join(out) + ("\n" if out else "")
