"""symderiv: derive and check the gradients of matrix multiplication, exactly.

    >>> from symderiv import Spec, verify
    >>> verify(Spec(m=3, k=2, n=4)).ok
    True
    >>> from symderiv import check_claim
    >>> check_claim("dL/dW = G^T Z").verdict.value   # the weight gradient is ZᵀG
    'fails'
"""

from __future__ import annotations

__version__ = "0.1.0"

from .derivation import Check, Counterexample, Derivation, Step, Verdict  # noqa: E402
from .errors import BadInput, SymderivError, TooLarge  # noqa: E402
from .shapes import LAYOUTS, Layout, Spec  # noqa: E402
from .verify import verify  # noqa: E402


def __getattr__(name: str):  # check_claim loads the claim grammar only when it is used
    if name in ("check_claim", "ClaimResult"):
        from . import claims

        return getattr(claims, name)
    raise AttributeError(f"module 'symderiv' has no attribute {name!r}")


__all__ = [
    "check_claim", "ClaimResult",
    "Check", "Counterexample", "Derivation", "Step", "Verdict",
    "BadInput", "SymderivError", "TooLarge",
    "LAYOUTS", "Layout", "Spec", "verify", "__version__",
]
