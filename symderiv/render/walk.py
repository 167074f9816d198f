"""The walk every document renderer shares: steps in order, each block handed to
the renderer's handler for its type (a CheckRef is handed the Check it names)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..derivation import CheckRef, Comparison, Derivation, Display, Listing, Prose, Step

Lines = list[str]


def step_lines(
    d: Derivation, heading: Callable[[int, Step], Lines], handlers: Mapping[type, Callable[[Any], Lines]]
) -> Lines:
    """The lines of every step: its heading, then each block followed by a blank line."""
    by_id = {c.id: c for c in d.checks}
    out: Lines = []
    for number, step in enumerate(d.steps, 1):
        out += heading(number, step)
        for block in step.blocks:
            out += handlers[type(block)](by_id[block.check_id] if isinstance(block, CheckRef) else block)
            out.append("")
    return out


def step_heading(step: Step) -> str:
    """A step's title with its verdict, as every document shows it."""
    return step.title + (f" ({step.verdict.value})" if step.verdict else "")


def handlers(
    prose: Callable[[str], str], display: Callable[[Any], Lines], listing: Callable[[Any], Lines],
    comparison: Callable[[Any], Lines], check: Callable[[Any], Lines],
) -> dict[type, Callable[[Any], Lines]]:
    """A renderer's functions for each block type, in the form `step_lines` takes."""
    return {
        Prose: lambda b: [prose(b.text)],
        Display: lambda b: display(b.node),
        Listing: listing,
        Comparison: comparison,
        CheckRef: check,
    }
