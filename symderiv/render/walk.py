"""The walk every document renderer shares: steps in order, a numbered heading
with the step's verdict, then each block handed to the renderer's function for
its type (a CheckRef is handed the Check it names). Also the words every
renderer uses for a verdict, so that a rejected fallacy never reads as confirmed:
the mark says what the formula is (✓ holds, ✗ fails, ? unchecked), the words say
whether that was expected ("rejected, as expected")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..derivation import Check, CheckRef, Comparison, Derivation, Display, Listing, Prose, Step, Verdict

SYMBOL = {Verdict.HOLDS: "✓", Verdict.FAILS: "✗", Verdict.UNCHECKED: "?", Verdict.DEFINITION: "≔"}


def verdict_words(c: Check) -> str:
    """holds; rejected, as expected; fails (expected: holds); holds (expected: fails)."""
    if c.ok and c.verdict == Verdict.FAILS:
        return "rejected, as expected"
    if c.ok:
        return c.verdict.value
    return f"{c.verdict.value} (expected: {c.expected.value})"


def step_badge(step: Step, checks: dict[str, Check]) -> str:
    """The word after a step's title: holds, as expected (its point is a rejected claim), fails; '' for none."""
    if step.verdict is None:
        return ""
    mine = [checks[b.check_id] for b in step.blocks if isinstance(b, CheckRef) and b.check_id in checks]
    if not all(c.ok for c in mine) or step.verdict != Verdict.HOLDS:
        return "not as expected"
    return "as expected" if any(c.expected != Verdict.HOLDS for c in mine) else "holds"


Lines = list[str]
Blocks = Callable[[Any], Lines]


def step_lines(
    d: Derivation, heading: Callable[[int, str], str], prose: Callable[[str], str],
    display: Blocks, listing: Blocks, comparison: Blocks, check: Blocks,
) -> Lines:
    """Every step as lines: `heading(number, title)` with the title already through
    `prose`, a blank line, then each block followed by a blank line."""
    handlers: dict[type, Blocks] = {
        Prose: lambda b: [prose(b.text)],
        Display: lambda b: display(b.node),
        Listing: listing,
        Comparison: comparison,
        CheckRef: check,
    }
    by_id = {c.id: c for c in d.checks}
    out: Lines = []
    for number, step in enumerate(d.steps, 1):
        badge = step_badge(step, by_id)
        title = step.title + (f" ({badge})" if badge else "")
        out += [heading(number, prose(title)), ""]
        for block in step.blocks:
            out += handlers[type(block)](by_id[block.check_id] if isinstance(block, CheckRef) else block)
            out.append("")
    return out
