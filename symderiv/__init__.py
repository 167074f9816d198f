"""symderiv: derive and check the gradients of matrix multiplication, exactly.

    >>> from symderiv import Spec, verify
    >>> verify(Spec(m=3, k=2, n=4)).ok
    True
"""

from __future__ import annotations

__version__ = "0.1.0"

from .derivation import Check, Counterexample, Derivation, Step, Verdict  # noqa: E402
from .errors import BadInput, SymderivError, TooLarge  # noqa: E402
from .shapes import LAYOUTS, Layout, Spec  # noqa: E402
from .verify import verify  # noqa: E402

__all__ = [
    "Check", "Counterexample", "Derivation", "Step", "Verdict",
    "BadInput", "SymderivError", "TooLarge",
    "LAYOUTS", "Layout", "Spec", "verify", "__version__",
]
