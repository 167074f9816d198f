"""`symderiv claim` (is this formula true?) and `symderiv claims` (the catalog
of known identities and fallacies, each checked live): options in, the core
call, a report out. Exit 0 holds, 1 fails, 2 unchecked or bad input.

Several claims at once (stdin or a TEXT with several lines) are split into
one claim per equation (`split_claims`) and each gets its own verdict; the
JSON is then one `symderiv.claim-list/1` document holding a `symderiv.claim/1`
document per claim."""

from __future__ import annotations

import json
import re
import sys
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.text import Text

from . import common
from .examples import epilog
from .root import app

STYLE = {"holds": "bold green", "fails": "bold red", "unchecked": "bold yellow"}
LIST_SCHEMA = "symderiv.claim-list/1"
ECHO_LIMIT = 400  # characters of one echoed line of user text before it is cut
_RELATION = re.compile(r"=|\\in\b|∈|\\neq|≠|\\equiv")
_CONTINUES = re.compile(r"^\s*(=|&|\\\\|\+|-|−|\\cdot|\\times|\\end\b|\\right|[)\]}])")
_OPEN_END = re.compile(r"(=|\+|-|−|\\\\|\\cdot|\\times|&|\{|\()\s*$")


def _console(color: Optional[bool]) -> Console:
    return common.console(color)


def safe_line(line: str, limit: int = ECHO_LIMIT) -> str:
    """A line of (possibly user) text made safe to print: control characters shown
    as escapes (an ESC never reaches the terminal), and cut after `limit` characters."""
    out = "".join(ch if ch.isprintable() or ch == "\t" else ascii(ch)[1:-1] for ch in line)
    if len(out) > limit:
        out = out[:limit] + f"… ({len(out) - limit:,} more characters)"
    return out


def _balanced(text: str) -> bool:
    body = text.replace(r"\{", "").replace(r"\}", "")
    return body.count("{") <= body.count("}") and text.count(r"\begin{") <= text.count(r"\end{")


def split_claims(text: str) -> list[tuple[int, str]]:
    """The claims in `text`, one per equation, each with its first line (1-based).

    A line starts a new claim when the claim so far is complete (braces and
    \\begin/\\end balanced, a relation seen, no operator left dangling) and the
    line has a relation of its own and does not begin like a continuation
    (`=`, `&=`, `+`, `\\end`, …). Blank lines always end a complete claim. So a
    multi-line `aligned` block or bmatrix stays one claim, and two equations on
    two lines are two claims."""
    claims: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0

    def complete() -> bool:
        joined = "\n".join(current)
        return bool(current) and _balanced(joined) and bool(_RELATION.search(joined)) and not _OPEN_END.search(joined)

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            if complete():
                claims.append((first, "\n".join(current)))
                current = []
            continue
        if complete() and _RELATION.search(line) and not _CONTINUES.match(line):
            claims.append((first, "\n".join(current)))
            current = []
        if not current:
            first = number
        current.append(line)
    if current:
        claims.append((first, "\n".join(current)))
    return claims or [(1, text)]


def _print_report(console: Console, report: str, verdict: str) -> None:
    for raw in report.splitlines():
        line = safe_line(raw)
        if line.startswith("verdict: "):
            out = Text("verdict: ")
            rest = line[len("verdict: "):]
            head, _, tail = rest.partition(":")
            out.append(head, style=STYLE.get(verdict, ""))
            out.append(":" + tail if tail else "")
            console.print(out, soft_wrap=True)
        else:
            console.print(Text(line), soft_wrap=True)


def list_exit_code(codes: list[int]) -> int:
    """Several claims: 1 if any fails, else 2 if any is unchecked, else 0."""
    return 1 if 1 in codes else (2 if 2 in codes else 0)


STDIN_LIMIT = 4 << 20  # characters `claim -` reads (`claim - </dev/zero` stops here)
CLAIM_TIME_LIMIT = 120.0  # seconds per claim when --time-limit is not given


def _judged(parts: list[tuple[int, str]], fn: Any, seconds: Optional[float], memory: Optional[int]) -> list[tuple[int, Any]]:
    """Each claim judged in a worker process under the time and memory budgets; a budget passed is exit 2
    naming it and the claim (the check of one claim is all or nothing)."""
    from ..errors import TooLarge
    from ..parallel import DEFAULT_MEMORY, DONE, TIME, Budgeted

    seconds = seconds or CLAIM_TIME_LIMIT
    memory = DEFAULT_MEMORY if memory is None else memory
    out: dict[int, Any] = {}

    def done(i: int, result: tuple) -> None:
        what, value = result
        if what != DONE:
            line, part = parts[i]
            where = f"the claim at input line {line}" if len(parts) > 1 else "the claim"
            budget = (f"the time budget of {seconds:g} s (--time-limit)" if what == TIME
                      else f"the memory budget of {memory / (1 << 20):,.0f} MiB (--max-memory)")
            raise TooLarge(f"{where} ({safe_line(' '.join(part.split()), 60)}) passed {budget}")
        out[i] = value

    first: dict[str, int] = {}  # identical claims are judged once
    for i, (_, part) in enumerate(parts):
        first.setdefault(part, i)
    Budgeted(fn, 1, seconds, memory).map([(i, parts[i][1]) for i in sorted(set(first.values()))], done)
    return [(line, out[first[part]]) for line, part in parts]


@app.command(epilog=epilog("claim"))
def claim(
    text: Annotated[str, typer.Argument(
        metavar="TEXT",
        help="The claim, in LaTeX or plain text: 'dL/dW = Z^T G'. '-' reads stdin; several equations on "
             "several lines are several claims, each with its own verdict.")],
    context: Annotated[Optional[str], typer.Option(
        "--context", "-c", metavar="TEXT",
        help="Definitions, shapes and sizes: 'Y = X W + b, X: NxD, W: DxM, N=2, D=3, M=2'. "
             "Default: the layer A = ZW + B when the claim is about it.")] = None,
    m: common.ChosenM = None,
    k: common.ChosenK = None,
    n: common.ChosenN = None,
    layout: common.LayoutOpt = "zw",
    convention: common.ConventionOpt = common.Convention.gradient,
    json_out: Annotated[bool, common.json_option("symderiv.claim/1; symderiv.claim-list/1 for several claims")] = False,
    time_limit: common.TimeLimit = None,
    max_memory: common.MaxMemory = None,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """Check a formula exactly: holds, fails (values, shapes, ill-formed) or unchecked, with the reason."""
    from ..claims.report import render
    from ..differentials.suggest import check_with_derived  # imported here: `verify` should not pay for the grammar
    from ..shapes import Spec

    given = {name: v for name, v in (("m", m), ("k", k), ("n", n)) if v is not None}
    Spec(**{"m": 3, "k": 2, "n": 4, **given})  # validates the sizes with the usual messages
    if text == "-":
        text = sys.stdin.read(STDIN_LIMIT + 1)
        if len(text) > STDIN_LIMIT:
            from ..errors import TooLarge

            raise TooLarge(f"stdin holds more than {STDIN_LIMIT:,} characters, the most `claim -` reads")
    from .check import _watched

    _watched(common.parse_memory(max_memory), "reading the claims")  # after stdin: a terminal is read here
    sizes = given  # sizes not given are chosen by symderiv and varied
    parts = split_claims(text)
    if len(parts) == 1:
        parts = [(1, text)]  # one claim: exactly as given (line and column of a parse error stay right)
    results = _judged(parts, lambda part: check_with_derived(part, context=context, layout=common.value(convention), sizes=sizes,
                                                      layer=layout), time_limit, common.parse_memory(max_memory))
    if len(results) == 1:
        result = results[0][1]
        if json_out:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        elif not quiet:
            _print_report(_console(color), render(result), result.verdict.value)
        raise typer.Exit(result.exit_code)

    code = list_exit_code([r.exit_code for _, r in results])
    if json_out:
        doc: dict[str, Any] = {
            "schema": LIST_SCHEMA, "ok": code == 0,
            "claims": [{"line": line, "result": r.to_dict()} for line, r in results],
        }
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        console = _console(color)
        for number, (line, result) in enumerate(results, 1):
            console.print(Text(f"── claim {number} of {len(results)} (input line {line}) ──", style="bold"))
            _print_report(console, render(result), result.verdict.value)
        counts = {v: sum(1 for _, r in results if r.verdict.value == v) for v in ("holds", "fails", "unchecked")}
        console.print(Text(f"{len(results)} claims: " + ", ".join(f"{c} {v}" for v, c in counts.items() if c),
                           style="bold"))
    raise typer.Exit(code)


@app.command(epilog=epilog("claims"))
def claims(
    json_out: Annotated[bool, common.json_option("symderiv.claims/1")] = False,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """The catalog of known identities and fallacies, each verified live (exit 0 if all agree)."""
    from ..claims.catalog import run_all, to_dict

    rows = run_all()
    doc = to_dict(rows)
    if json_out:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    elif not quiet:
        console = _console(color)
        for entry, result in rows:
            verdict = result.verdict.value
            ok = verdict == entry.expected
            words = "rejected, as expected" if ok and verdict == "fails" else verdict
            if not ok:
                words += f" (expected: {entry.expected})"
            sign = {"holds": "✓ ", "fails": "✗ "}.get(verdict, "? ")
            line = Text(sign, style="green" if ok else "bold red")
            line.append(f"{entry.id:<24}")
            line.append(f"{words:<22}", style="green" if ok else "bold red")
            line.append(f"{result.statement or entry.statement}")
            if entry.context:
                line.append(f"   [{entry.context}]", style="dim")
            if entry.layout != "gradient":
                line.append(f"   ({entry.layout} convention)", style="dim")
            console.print(line, soft_wrap=True)
            console.print(Text(f"    {entry.why}", style="dim"), soft_wrap=True)
            if not ok:
                console.print(Text(f"    expected {entry.expected}: {result.reason}", style="red"), soft_wrap=True)
        total = len(rows)
        agree = sum(1 for e, r in rows if r.verdict.value == e.expected)
        console.print(Text(f"{agree}/{total} verdicts as expected", style="bold"))
    raise typer.Exit(0 if doc["ok"] else 1)
