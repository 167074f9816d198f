"""Functions applied entry by entry, as exact symbols: an activation or a generic
function f(z) is the symbol f of its argument, and its derivatives follow rules,
one line each — the logistic σ' = σ(1 − σ), tanh' = 1 − tanh², ReLU' = the step,
exp' = exp, log' = 1/x, and a generic g' = g′ (a function of its own). After
symengine differentiates, its `Subs(Derivative(g(ξ), ξ), ξ, e)` is put back in
these forms, so that a claim's written g'(z) and the chain rule's meet as the same
polynomial in the same atoms."""

from __future__ import annotations

from math import factorial
from typing import Any

import symengine as se

# the name as written → the canonical name
NAMES = {"sigma": "σ", "σ": "σ", "sigmoid": "σ", "logistic": "σ", "tanh": "tanh", "exp": "exp", "log": "log",
         "ln": "log", "relu": "ReLU", "ReLU": "ReLU", "Relu": "ReLU", "RELU": "ReLU"}
GENERIC = ("f", "g", "h", "phi", "varphi", "psi")
TRANSCENDENTAL = ("σ", "tanh", "exp", "log")  # identities beyond the derivative rules are not decided
_T = se.Symbol("_t")


def canonical(name: str) -> str | None:
    """The canonical name of a function symderiv applies entry by entry (None: not one)."""
    name = name.strip().lstrip("\\")
    if name in NAMES:
        return NAMES[name]
    return name if name in GENERIC else None


def _atom(name: str, x: Any) -> Any:
    return se.function_symbol(name, x)


# ---- the rules: d/dξ name(ξ), at ξ = x -------------------------------------------
RULES = {
    "σ": lambda x: _atom("σ", x) * (1 - _atom("σ", x)),  # the logistic sigmoid
    "tanh": lambda x: 1 - _atom("tanh", x) ** 2,
    "ReLU": lambda x: _atom("step", x),  # the step (Heaviside); its value at 0 is never needed here
    "step": lambda x: se.Integer(0),
}


def rule(name: str, x: Any) -> Any:
    if name in RULES:
        return RULES[name](x)
    if name.rstrip("'") in GENERIC:
        return _atom(name + "'", x)  # g' is a function of its own; g'' after it
    raise ValueError(f"no derivative rule for the function {name}")


def apply(fn: str, order: int, x: Any) -> Any:
    """fn differentiated `order` times, at x, exactly."""
    if fn == "exp":
        return se.exp(x)
    if fn == "log":
        if order == 0:
            return se.log(x)
        return se.Integer((-1) ** (order - 1) * factorial(order - 1)) * x ** (-order)
    if fn in GENERIC:
        return _atom(fn + "'" * order, x)
    out = _atom(fn, _T)
    for _ in range(order):
        out = se.expand(normalize(se.diff(out, _T)))
    return out.subs({_T: x}) if order else _atom(fn, x)


def normalize(expr: Any) -> Any:
    """symengine's derivatives of function symbols put back in the rules' forms."""
    if not _has_derivative(expr):
        return expr
    return _rewrite(expr)


def _has_derivative(expr: Any) -> bool:
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, (se.Subs, se.Derivative)):
            return True
        stack.extend(e.args)
    return False


def _rewrite(expr: Any) -> Any:
    if isinstance(expr, se.Subs):
        deriv, var, point = expr.args
        if isinstance(deriv, se.Derivative) and len(deriv.args) == 2:
            f, v = deriv.args
            if isinstance(f, se.FunctionSymbol) and f.args == (v,) and v == var:
                return rule(f.get_name(), point)
        raise ValueError(f"a derivative symderiv has no rule for: {expr}")
    if isinstance(expr, se.Derivative):
        f, *vs = expr.args
        if len(vs) == 1 and isinstance(f, se.FunctionSymbol) and f.args == (vs[0],):
            return rule(f.get_name(), vs[0])
        raise ValueError(f"a derivative symderiv has no rule for: {expr}")
    if not expr.args:
        return expr
    return expr.func(*[_rewrite(a) for a in expr.args])


def transcendental(expr: Any) -> bool:
    """Whether the expression holds σ, tanh, exp or log: a nonzero difference then proves nothing."""
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, se.FunctionSymbol) and e.get_name() in TRANSCENDENTAL:
            return True
        if type(e).__name__ in ("exp", "log", "Log", "Exp") or (type(e).__name__ == "Pow" and e.args[0] == se.E):
            return True
        stack.extend(e.args)
    return False
