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

import sys as _sys  # noqa: E402

if "numpy" not in _sys.modules:  # symengine loads NumPy (a third of a second) only to offer lambdify, which symderiv
    _sys.modules["numpy"] = None  # type: ignore[assignment]  # never uses: hide it while symengine loads, so that
    try:  # `verify` starts fast; check-impl imports NumPy itself when it runs
        import symengine  # noqa: E402,F401
    finally:
        del _sys.modules["numpy"]

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
