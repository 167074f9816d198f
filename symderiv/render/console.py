"""The Derivation on a terminal, with rich: numbered steps, matrices as tables,
✓/✗ per entry, the checks with their reasons, and a summary table. On a terminal
long formulas break between terms (`formula_lines`) and prose wraps at its width;
piped or redirected, nothing wraps (a formula or a table row stays on one line,
so grep and diff see it whole)."""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..derivation import Check, CheckRef, Comparison, Derivation, Display, Listing, Prose, Verdict
from ..notation import Grid, Rel
from .abridge import entries, indices
from .text import poly_text
from .text import to_text as _to_text
from .walk import SYMBOL, step_badge, verdict_words

MAX_TERMS = 6  # longer sums are abridged on the console: t₁ + ⋯ + tₙ


def to_text(node: Any) -> str:
    return _to_text(node, max_terms=MAX_TERMS)


def _poly(expr: Any) -> str:
    return poly_text(expr, max_terms=MAX_TERMS)

MARK = {True: "[green]✓[/]", False: "[red]✗[/]"}
WIDE = 100_000  # the width tables are laid out in when nothing wraps (they take only what they need)
_PAREN_INDEX = re.compile(r"_\(([A-Za-z0-9]+(?:,[A-Za-z0-9]+)+)\)")


def _wraps(console: Console) -> bool:
    """Wrap only for a terminal: piped output keeps every formula on one line."""
    return console.is_terminal


def _line(console: Console, text: Any, **kw: Any) -> None:
    console.print(text, soft_wrap=not _wraps(console), **kw)


def formula_lines(text: str, width: int, indent: str = "      ") -> list[str]:
    """A long formula broken for a terminal at its own boundaries: before an `=` whose side does
    not fit, then before a `+`/`−` if a side is still too long; continuation lines are indented.
    A formula that fits is one line; a single term longer than the width is left to the terminal."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""

    def put(chunk: str, new_line: bool = False) -> None:
        nonlocal current
        if current.strip() and (new_line or cell_len(current) + 1 + cell_len(chunk) > width):
            lines.append(current)
            current = indent + chunk
        else:
            current = (current + " " + chunk) if current.strip() else current + chunk

    for n, side in enumerate(text.split(" = ")):
        terms = re.split(r" (?=[+−] )", side)
        if n:
            terms[0] = "= " + terms[0]
        put(terms[0], new_line=bool(n) and cell_len(current) + 1 + cell_len(" ".join(terms)) > width)
        for term in terms[1:]:
            put(term)
    lines.append(current)
    return lines


def _formula(console: Console, text: str) -> None:
    """A formula: one line when piped; on a terminal, broken at `=` and `+` boundaries, never inside a term."""
    if not _wraps(console):
        _line(console, Text(text))
        return
    for line in formula_lines(text, console.width):
        console.print(Text(line), soft_wrap=True)


def _table(console: Console, table: Table) -> None:
    console.print(table)


def prose_text(text: str) -> str:
    """Prose with the one index style of the console: a_(i,j) is written a_{i,j}."""
    return _PAREN_INDEX.sub(lambda m: "_{" + m.group(1) + "}", text)
STYLE = {Verdict.HOLDS: "green", Verdict.FAILS: "red", Verdict.UNCHECKED: "yellow", Verdict.DEFINITION: "cyan"}


def _grid_table(grid: Grid, marks: Any = None) -> Table:
    rows, cols = grid.shape
    table = Table(show_header=False, box=None, padding=(0, 1))
    col_ix = indices(cols)
    for _ in col_ix:
        table.add_column()
    for r in indices(rows):
        cells = []
        for c in col_ix:
            if r is None or c is None:
                cells.append("⋮" if c is not None else ("⋱" if r is None else "…"))
            else:
                text = _poly(grid.rows[r][c])
                cells.append(f"{MARK[marks[r][c]]} {text}" if marks is not None else text)
        table.add_row(*[Text.from_markup(x) if x.startswith("[") else Text(x) for x in cells])
    return table


def _display(console: Console, node: Any) -> None:
    if isinstance(node, Rel) and isinstance(node.rhs, Grid):
        r, c = node.rhs.shape
        _line(console, f"  {to_text(node.lhs)} ({r}×{c}) =", highlight=False)
        _table(console, _grid_table(node.rhs))
    else:
        _formula(console, "  " + to_text(node))


def _listing(console: Console, block: Listing) -> None:
    for pos, node in enumerate(block.nodes):
        if block.gap_at == pos:
            _line(console, f"  ⋮  ({block.omitted:,} more)", style="dim", highlight=False)
        _formula(console, "  " + to_text(node))


def _comparison(console: Console, block: Comparison) -> None:
    _line(
        console,
        f"  {to_text(block.derived_label)} derived (left) and {to_text(block.expected_label)} built by products (right):",
        highlight=False,
    )
    if block.marks is None:
        _line(console, f"  shapes differ: {block.derived.shape} vs {block.expected.shape}", style="red")
        return
    rows, cols = block.derived.shape
    table = Table(box=None, padding=(0, 1))
    for head in ("entry", "derived", "closed form", ""):
        table.add_column(head)
    shown, hidden = entries(rows, cols)
    for cell in shown:
        if cell is None:
            table.add_row("⋮", Text(f"{hidden:,} more entries", style="dim"), "", "")
            continue
        r, c = cell
        table.add_row(
            f"({r + 1},{c + 1})",
            _poly(block.derived.rows[r][c]),
            _poly(block.expected.rows[r][c]),
            Text.from_markup(MARK[block.marks[r][c]]),
        )
    _table(console, table)


def check_lines(c: Check) -> list[str]:
    """The check as lines of markup: the statement marked by what it is (✓ holds, ✗ fails), the verdict
    in words (green when it is the expected one: "rejected, as expected"), reason, counterexample, suggestion."""
    colour = "green" if c.ok else "red"
    lines = [f"  [{colour}]{SYMBOL[c.verdict]}[/] {to_text(c.statement)}  [{colour}]{verdict_words(c)}[/]"]
    lines.append(f"      {c.reason}")
    cx = c.counterexample
    if cx is not None and cx.label is not None:
        lines.append(f"      for instance {to_text(cx.label)} = {to_text(cx.derived)}, "
                     f"against {to_text(cx.expected)}")
    if c.suggestion:
        lines.append("      " + " ".join(to_text(p) for p in c.suggestion))
    return lines


def _check(console: Console, c: Check) -> None:
    for line in check_lines(c):
        _line(console, line, highlight=False)


def summary(console: Console, d: Derivation) -> None:
    if d.method == "differentials":  # `derive`: one answer, checked by the claims engine (its step says how)
        console.print("[green]the answer holds[/] (method: matrix differentials, checked by the claims engine)",
                      highlight=False)
        return
    what = "prove — every m, k, n" if d.for_all_shapes else f"verify — {d.spec.describe()}"
    table = Table(title=f"symderiv {what}, layout {d.spec.layout}, loss {d.spec.loss}")
    for head in ("check", "statement", "verdict", "expected", "as expected"):
        table.add_column(head)
    for c in d.checks:
        table.add_row(
            c.id, to_text(c.statement), Text(c.verdict.value, style=STYLE[c.verdict]), c.expected.value,
            Text("yes", style="green") if c.ok else Text("NO", style="bold red"),
        )
    _table(console, table)
    verdict = "[green]all checks came out as expected[/]" if d.ok else "[red]some checks did not come out as expected[/]"
    console.print(f"{verdict} (method: {d.method})", highlight=False)


def render(d: Derivation, console: Console, steps: bool = True) -> None:
    base = console.width
    if not _wraps(console):
        console.width = WIDE  # tables take their natural width; rules keep the base one
    try:
        _render(d, console, steps, base)
    finally:
        console.width = base


def _render(d: Derivation, console: Console, steps: bool, base: int) -> None:
    if steps:
        by_id = {c.id: c for c in d.checks}
        for number, step in enumerate(d.steps, 1):
            words = step_badge(step, by_id)
            colour = "red" if words == "not as expected" else "green"
            badge = f" [{colour}]({words})[/]" if words else ""
            console.print(Rule(f"[bold]{number}. {step.title}[/]{badge}", align="left"), width=base)
            for block in step.blocks:
                if isinstance(block, Prose):
                    _line(console, Text(prose_text(block.text)), style="italic")
                elif isinstance(block, Display):
                    _display(console, block.node)
                elif isinstance(block, Listing):
                    _listing(console, block)
                elif isinstance(block, Comparison):
                    _comparison(console, block)
                elif isinstance(block, CheckRef):
                    _check(console, by_id[block.check_id])
            console.print()
    summary(console, d)
