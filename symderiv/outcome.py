"""What `verify` computed, as one record handed to `steps` to be laid out; it lives
below both so that the dependency runs one way (verify → steps → outcome)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .derive import Layer
from .shapes import Layout, Spec


@dataclass
class Outcome:
    """Everything computed, handed to `steps` to be laid out."""

    spec: Spec
    layout: Layout
    layer: Layer
    loss_terms: int
    upstream: list[list[Any]] | None  # ½Σa²: the derived ∂L/∂a_{i,j}, in a's
    grads: dict[str, list[list[Any]]]
    closed: dict[str, Any]
    local: dict[Any, list[tuple[tuple[int, int], Any]]]
    shown: dict[str, list[tuple[int, int]]]
    J_shape: tuple[int, int, int, int]
    J_slice: list[list[Any]] | None  # ∂A/∂w_{1,1}, kept when the Jacobian is small enough to show
