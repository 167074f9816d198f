"""The walk every document renderer shares: steps in order, a numbered heading
with the step's verdict, then each block handed to the renderer's function for
its type (a CheckRef is handed the Check it names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..derivation import CheckRef, Comparison, Derivation, Display, Listing, Prose

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
        title = step.title + (f" ({step.verdict.value})" if step.verdict else "")
        out += [heading(number, prose(title)), ""]
        for block in step.blocks:
            out += handlers[type(block)](by_id[block.check_id] if isinstance(block, CheckRef) else block)
            out.append("")
    return out
