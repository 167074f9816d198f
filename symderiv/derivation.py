"""The one data model every renderer reads: a Derivation is an ordered list of
Steps (title, blocks of content, verdict) plus the Checks it decided."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Union

from .notation import Grid, Node
from .shapes import Spec


class Verdict(str, Enum):
    HOLDS = "holds"
    FAILS = "fails"
    UNCHECKED = "unchecked"
    DEFINITION = "definition"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Counterexample:
    """What shows a statement false: different shapes, or one entry (1-based) whose
    two sides differ. `label` names the entry, e.g. ∂L/∂w_{1,2}."""

    kind: str  # "shapes" | "values"
    entry: tuple[int, ...] | None = None
    label: Node | None = None
    derived: Any = None
    expected: Any = None
    derived_shape: tuple[int, ...] | None = None
    expected_shape: tuple[int, ...] | None = None
    note: str = ""


@dataclass(frozen=True)
class Check:
    """One statement decided exactly. `expected` is what a correct oracle must say:
    `holds` for the true gradients, `fails` for the known fallacy."""

    id: str
    statement: Node
    verdict: Verdict
    expected: Verdict
    reason: str
    counterexample: Counterexample | None = None
    suggestion: tuple[str | Node, ...] | None = None  # prose and formulas, in order

    @property
    def ok(self) -> bool:
        return self.verdict == self.expected


# --- blocks: the content of a step, renderer-neutral -------------------------


@dataclass(frozen=True)
class Prose:
    """A sentence of explanation."""

    text: str


@dataclass(frozen=True)
class Display:
    """One displayed formula."""

    node: Node


@dataclass(frozen=True)
class Listing:
    """Displayed formulas of which `total` exist; those not shown were abridged."""

    nodes: tuple[Node, ...]
    total: int
    gap_at: int | None = None  # position in `nodes` where the omitted ones belong

    @property
    def omitted(self) -> int:
        return self.total - len(self.nodes)


@dataclass(frozen=True)
class Comparison:
    """A derived matrix beside its independently built closed form, with per-entry marks."""

    check_id: str
    derived_label: Node
    expected_label: Node
    derived: Grid
    expected: Grid
    marks: tuple[tuple[bool, ...], ...] | None  # None when the shapes differ


@dataclass(frozen=True)
class CheckRef:
    """Show the verdict of a check (by id) at this point of the derivation."""

    check_id: str


Block = Union[Prose, Display, Listing, Comparison, CheckRef]


@dataclass
class Step:
    title: str
    blocks: list[Block] = field(default_factory=list)
    verdict: Verdict | None = None


@dataclass
class Derivation:
    """Everything `verify` decided, in order; renderers only print it."""

    spec: Spec
    steps: list[Step]
    checks: list[Check]
    method: str = "exact"
    seconds: float = 0.0
    for_all_shapes: bool = False  # `prove` (method "index"): decided for every m, k, n, not at spec's sizes

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise KeyError(check_id)
