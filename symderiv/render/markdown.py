"""The Derivation as GitHub-flavoured Markdown: numbered steps as headings, `$…$`
inline math, `$$ … $$` display math (KaTeX-compatible), tables for comparisons and
the summary. Deterministic: the same Derivation gives the same bytes."""

from __future__ import annotations

from typing import Any

from ..derivation import Check, Comparison, Derivation, Listing
from ..notation import Node
from .abridge import entries
from .latex import as_node, command, intro, sentence
from .latexmath import align_rows, one_line, poly_latex, prose_runs, to_latex
from .walk import SYMBOL, step_lines, verdict_words

MARK = {True: "✓", False: "✗"}
SPECIAL = set("\\`*_[]<>|$#~")


def escape(text: str) -> str:
    """Plain text that Markdown shows as written."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in text)


def prose(text: str) -> str:
    return "".join(f"${piece}$" if is_math else escape(piece) for is_math, piece in prose_runs(text))


def inline(node: Any) -> str:
    return "$" + to_latex(node, display=False) + "$"


def math_block(rows: list[str]) -> list[str]:
    """One `$$` block; several rows go in an aligned environment."""
    single = one_line(rows)
    if single is not None:
        return ["$$", single, "$$"]
    return ["$$", r"\begin{aligned}", " \\\\\n".join(rows), r"\end{aligned}", "$$"]


def display(node: Node) -> list[str]:
    return math_block(align_rows(node))


def listing(block: Listing) -> list[str]:
    rows: list[str] = []
    for pos, node in enumerate(block.nodes):
        if block.gap_at == pos:
            rows.append(rf"&\ \ \vdots \qquad \text{{({block.omitted:,} more)}}")
        rows.extend(align_rows(node))
    return math_block(rows)


def comparison(block: Comparison) -> list[str]:
    head = f"{inline(block.derived_label)} as derived, beside {inline(block.expected_label)} as built by matrix products:"
    if block.marks is None:
        (dr, dc), (er, ec) = block.derived.shape, block.expected.shape
        return [head, "", rf"**The shapes differ:** ${dr} \times {dc}$ against ${er} \times {ec}$."]
    rows, cols = block.derived.shape
    shown, hidden = entries(rows, cols)
    out = [head, "", f"| entry | {inline(block.derived_label)} | {inline(block.expected_label)} | |",
           "|:--|:--|:--|:-:|"]
    for cell in shown:
        if cell is None:
            out.append(f"| ⋮ | ({hidden:,} more entries) | | |")
            continue
        r, c = cell
        derived, expected = poly_latex(block.derived.rows[r][c], False), poly_latex(block.expected.rows[r][c], False)
        out.append(f"| ({r + 1},{c + 1}) | ${derived}$ | ${expected}$ | {MARK[block.marks[r][c]]} |")
    return out


def check(c: Check) -> list[str]:
    """The statement marked by what it is (✓ holds, ✗ fails), then the verdict in words."""
    verdict = f"**{verdict_words(c)}**"
    lines = [f"> {SYMBOL[c.verdict]} {inline(c.statement)} — {verdict}. {prose(sentence(c.reason))}"]
    cx = c.counterexample
    if cx is not None and cx.label is not None:
        lines += [">", f"> For instance {inline(cx.label)} is {inline(as_node(cx.derived))}, "
                       f"against {inline(as_node(cx.expected))}."]
    if c.suggestion:
        lines += [">", "> " + " ".join(prose(p) if isinstance(p, str) else inline(p) for p in c.suggestion) + "."]
    return lines


def summary(d: Derivation) -> list[str]:
    out = ["## Summary", "", "| check | statement | verdict | expected | as expected |", "|:--|:--|:--|:--|:-:|"]
    for c in d.checks:
        out.append(f"| `{c.id}` | {inline(c.statement)} | {c.verdict.value} | {c.expected.value} | {'yes' if c.ok else 'no'} |")
    words = "All checks came out as expected" if d.ok else "**Some checks did not come out as expected**"
    return out + ["", f"{words} (method: {escape(d.method)})."]


def render(d: Derivation) -> str:
    out = ["# Gradients of an affine layer, derived and checked", "", f"{prose(intro(d))} (`{command(d)}`).", ""]
    out += step_lines(d, lambda n, title: f"## {n}. {title}", prose, display, listing, comparison, check)
    out += summary(d)
    return "\n".join(out) + "\n"
