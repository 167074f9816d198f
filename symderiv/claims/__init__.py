"""Claims: a safe claim language (LaTeX or plain text, parsed by a grammar,
never eval) and exact verdicts that explain.

    >>> from symderiv.claims import check_claim
    >>> check_claim(r"\\frac{\\partial L}{\\partial W} = Z^\\top G").verdict.value
    'holds'
"""

from __future__ import annotations

from .explain import SCHEMA, ClaimResult
from .verdict import check_claim

__all__ = ["SCHEMA", "ClaimResult", "check_claim"]
