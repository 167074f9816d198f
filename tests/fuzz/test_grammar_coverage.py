"""Which rules and tokens of the claim grammar the fuzzer's generated claims use (issue 15):
a rule or token never generated fails the test unless it is listed in NOT_GENERATED with the
reason, a list that may only shrink (a listed rule the generator now reaches must be removed)."""

from __future__ import annotations

import random
from pathlib import Path

from lark import Lark, Token, Tree

import symderiv.claims as claims_pkg
from symderiv.claims.parser import code_names, pair_norm_bars

from .generator import one_case

GRAMMAR = (Path(claims_pkg.__file__).parent / "claim.lark").read_text(encoding="utf-8")

# rules and tokens the generator does not write yet, with the reason
NOT_GENERATED = {
    # not written by the generator yet: matrix literals, braces, accents, \mathcal{L}, code names (W1, X.T via LETTERDIGIT),
    # unsupported commands, overbrace/underbrace
    "mrow", "matrix", "brace", "cmd", "accent", "loss", "dplain",
    "BEGIN", "END", "ROWSEP", "AMP", "OVERBRACE", "UNDERBRACE", "CMD", "ACCENT", "LETTERDIGIT", "LOSS",
    # added this round for documents: activations (σ'(z), g(z), g'(z)) and \mathbf{XW}; the fuzzer's reference has no
    # functions yet (tests/claims/test_claims_functions.py checks them against sympy meanwhile)
    "GFUNC", "apply", "call_prime", "boldprod",
    # backprop code beyond np.dot(A, B) and .t(): methods, axis sums, .grad, einsum, MATLAB sum; the reference has no
    # axis sums yet (tests/claims/test_claims_code.py checks each spelling and its false twin by hand meanwhile)
    "METHOD", "SUMAXIS", "GRADATTR", "NPSUM", "AXIS", "EINSUM", "method", "sum_axis", "grad_attr", "np_sum", "einsum",
    "matlab_sum",
    # second derivatives by a vector (Hessians); the fuzzer's reference has no second derivatives yet
    # (tests/claims/test_claims_hessian.py checks each against sympy's hessian meanwhile)
    "d2den", "dfrac2", "dop2", "dop2_frac",
}
STRUCTURAL = {"atom", "expr", "product", "term", "postfix"}  # inlined rules (?rule): never a node of their own


def _used(n: int = 600, seed: int = 15) -> set[str]:
    parser = Lark(GRAMMAR, parser="lalr", lexer="contextual", keep_all_tokens=True)
    rng = random.Random(seed)
    seen: set[str] = set()
    for _ in range(n):
        case = one_case(rng)
        try:
            tree = parser.parse(pair_norm_bars(code_names(case.claim)))
        except Exception:  # noqa: BLE001 - a claim the grammar rejects uses no rule
            continue
        stack = [tree]
        while stack:
            t = stack.pop()
            if isinstance(t, Tree):
                seen.add(str(t.data))
                stack.extend(t.children)
            elif isinstance(t, Token):
                seen.add(t.type)
    return seen


def _declared() -> set[str]:
    parser = Lark(GRAMMAR, parser="lalr", lexer="contextual")
    rules = {str(r.alias or r.origin.name).lstrip("?") for r in parser.rules}
    terms = {t.name for t in parser.terminals if not t.name.startswith("__") and t.name not in ("WS", "SPACING")}
    return {r for r in rules if not r.startswith("_")} | terms


def test_every_grammar_rule_is_generated_or_listed() -> None:
    used, declared = _used(), _declared()
    missing = sorted(declared - used - NOT_GENERATED - STRUCTURAL)
    assert not missing, f"grammar rules or tokens the fuzzer never generates: {missing}"


def test_the_not_generated_list_only_shrinks() -> None:
    used = _used()
    reached = sorted(NOT_GENERATED & used)
    assert not reached, f"now generated, remove from NOT_GENERATED: {reached}"
