"""Shape-generic proofs in index notation (`symderiv prove`), with sympy: imported
only when a proof is asked for, so that `verify` keeps its start-up time."""

from __future__ import annotations
