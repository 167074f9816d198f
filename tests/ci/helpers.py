"""Shared by the CI tests: run `symderiv` as a user's CI would, and small documents with known verdicts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Y = X W with ∂L/∂Y = G: ∂L/∂W = XᵀG holds, G Xᵀ does not even have W's shape
CONTEXT = "<!-- symderiv: context Y = X W; X: 2 x 3; W: 3 x 4 -->\n\n"
HOLDS = "$$\\frac{\\partial L}{\\partial W} = X^\\top G$$\n"
FAILS = "$$\\frac{\\partial L}{\\partial W} = G X^\\top$$\n"
UNCHECKED = "$$\\frac{\\partial L}{\\partial W} = \\foo{X}$$\n"


def symderiv(*args: str, cwd: Path | None = None, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symderiv", *args], capture_output=True, text=True, cwd=cwd or ROOT,
                          input=stdin, timeout=timeout, stdin=None if stdin is not None else subprocess.DEVNULL)
