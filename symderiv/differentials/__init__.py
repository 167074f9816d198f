"""`symderiv derive`: the closed form of a derivative by matrix differentials (rules.py, a
table), identification (identify.py), a readable answer, and a check by the claims engine
before anything is shown (answer.py)."""

from __future__ import annotations
