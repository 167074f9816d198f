"""What reading a document produces for the judge: a Task (one claim with the
context in force at its place, and the finding it will fill in), and a Plan (the
findings decided without the engine, the tasks, and the coverage counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .findings import Finding


@dataclass
class Task:
    """A claim for the engine; `finding` is filled in from the ClaimResult."""

    text: str
    context: str | None
    sizes: dict[str, int]
    open_sizes: list[str]
    layout: str
    finding: Finding
    symmetric: tuple[str, ...] = ()  # letters of the claim the document assumes symmetric
    bias_row: str | None = None  # 'B: 1 x n': a second reading of a bias whose shape nothing states
    cells: list[list[tuple[int, int]]] | None = None  # a matrix display's cells (file offsets), row by row
    readings: tuple[tuple[str, ...], ...] = ()  # readings of the claim (name, text[, context]): all must agree
    unknown: tuple[str, ...] = ()  # letters the document never defines (a fail is then only a guess)
    any_loss: str = ""  # the document's loss, which the engine cannot evaluate: a fail for "any loss" is no proof
    partial: str = ""  # the links of a chain that were not judged (after an ellipsis): a hold is then only partial
    note: str = ""  # how the document's notation was read (layer labels as numbered names), for the finding's context

    def key(self) -> tuple:
        return (self.text, self.context, tuple(sorted(self.sizes.items())), tuple(self.open_sizes), self.layout,
                self.symmetric, self.bias_row, self.readings, self.unknown, self.any_loss, self.partial)


@dataclass
class Plan:
    findings: list[Finding] = field(default_factory=list)  # decided without the engine
    tasks: list[Task] = field(default_factory=list)
    coverage: Counter = field(default_factory=Counter)  # spans, equations, expressions, ignored
