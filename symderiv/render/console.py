"""The Derivation on a terminal, with rich: numbered steps, matrices as tables,
✓/✗ per entry, the checks with their reasons, and a summary table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..derivation import Check, CheckRef, Comparison, Derivation, Display, Listing, Prose, Verdict
from ..notation import Grid, Rel
from .abridge import entries, indices
from .text import poly_text
from .text import to_text as _to_text

MAX_TERMS = 6  # longer sums are abridged on the console: t₁ + ⋯ + tₙ


def to_text(node: Any) -> str:
    return _to_text(node, max_terms=MAX_TERMS)


def _poly(expr: Any) -> str:
    return poly_text(expr, max_terms=MAX_TERMS)

MARK = {True: "[green]✓[/]", False: "[red]✗[/]"}
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
        console.print(f"  {to_text(node.lhs)} ({r}×{c}) =", highlight=False)
        console.print(_grid_table(node.rhs), style="default")
    else:
        console.print(Text("  " + to_text(node)))


def _listing(console: Console, block: Listing) -> None:
    for pos, node in enumerate(block.nodes):
        if block.gap_at == pos:
            console.print(f"  ⋮  ({block.omitted:,} more)", style="dim", highlight=False)
        console.print(Text("  " + to_text(node)))


def _comparison(console: Console, block: Comparison) -> None:
    console.print(
        f"  {to_text(block.derived_label)} derived (left) and {to_text(block.expected_label)} built by products (right):",
        highlight=False,
    )
    if block.marks is None:
        console.print(f"  shapes differ: {block.derived.shape} vs {block.expected.shape}", style="red")
        return
    rows, cols = block.derived.shape
    table = Table(box=None, padding=(0, 1))
    for head in ("entry", "derived", "closed form", ""):
        table.add_column(head)
    shown, _ = entries(rows, cols)
    for cell in shown:
        if cell is None:
            table.add_row("⋮", "", "", "")
            continue
        r, c = cell
        table.add_row(
            f"({r + 1},{c + 1})",
            _poly(block.derived.rows[r][c]),
            _poly(block.expected.rows[r][c]),
            Text.from_markup(MARK[block.marks[r][c]]),
        )
    console.print(table)


def check_lines(c: Check) -> list[str]:
    """The check as lines of markup: verdict, statement, reason, counterexample, suggestion."""
    good = "✓" if c.ok else "✗"
    colour = "green" if c.ok else "red"
    expect = "" if c.expected == Verdict.HOLDS else f" (expected: {c.expected.value})"
    lines = [f"  [{colour}]{good}[/] {to_text(c.statement)}  [{STYLE[c.verdict]}]{c.verdict.value}[/]{expect}"]
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
        console.print(line, highlight=False)


def summary(console: Console, d: Derivation) -> None:
    what = "prove — every m, k, n" if d.for_all_shapes else f"verify — {d.spec.describe()}"
    table = Table(title=f"symderiv {what}, layout {d.spec.layout}, loss {d.spec.loss}")
    for head in ("check", "statement", "verdict", "expected", ""):
        table.add_column(head)
    for c in d.checks:
        table.add_row(
            c.id, to_text(c.statement), Text(c.verdict.value, style=STYLE[c.verdict]), c.expected.value,
            Text.from_markup(MARK[c.ok]),
        )
    console.print(table)
    verdict = "[green]all checks came out as expected[/]" if d.ok else "[red]some checks did not come out as expected[/]"
    console.print(f"{verdict} (method: {d.method})", highlight=False)


def render(d: Derivation, console: Console, steps: bool = True) -> None:
    if steps:
        by_id = {c.id: c for c in d.checks}
        for number, step in enumerate(d.steps, 1):
            badge = f" [{STYLE[step.verdict]}]({step.verdict.value})[/]" if step.verdict else ""
            console.print(Rule(f"[bold]{number}. {step.title}[/]{badge}", align="left"))
            for block in step.blocks:
                if isinstance(block, Prose):
                    console.print(Text(block.text), style="italic")
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
