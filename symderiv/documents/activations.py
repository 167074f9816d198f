"""An activation written entry by entry: `a_j = σ(z_j)`, `a_j^l = \\tanh(z_j^l)`, and a generic
function with its formula after it, `a_j^l = f(z_j^l) = \\frac{1}{1+\\exp{-(z_j^l)}}`. The same
index on both sides and a known activation of one entry: the layer `a = σ(z)`, read entry by
entry; a formula that is the logistic function makes f the logistic σ (so σ' = σ(1 − σ) holds
of it, and a generic f' would not). A generic `a_i = f(z_i)` with no formula is not read as the
layer: notes write it for one neuron with an activation of its own. Read from the statement's tree."""

from __future__ import annotations

from typing import Any

from .statements import Statement

_FUNCTIONS = {"σ": "\\sigma", "tanh": "\\tanh"}
_GENERIC = ("f", "g", "h", "phi", "varphi", "psi")


def _entry(node: Any, digits: frozenset[str]) -> tuple[str, str] | None:
    """`(a_9)_{j}` or `a_j`: (the name as the context writes it, the index) — one index letter."""
    from ..claims.tree import At, Var

    if isinstance(node, At) and isinstance(node.a, Var) and node.a.style != "greek" and node.a.sub in digits:
        name, index = f"{node.a.letter}_{node.a.sub}", node.sub
    elif isinstance(node, Var) and node.style != "greek" and node.sub is not None and node.sub not in digits:
        name, index = node.letter, node.sub
    else:
        return None
    index = index.strip("{} ")
    if len(index) != 1 or not index.isalpha() or len(name.split("_")[0]) != 1:
        return None
    return name, index


def _is_logistic(node: Any, arg: Any) -> bool:
    """1/(1 + exp(−x)) with x the argument."""
    from ..claims.tree import Add, Apply, Div, Neg, Num

    if not (isinstance(node, Div) and isinstance(node.a, Num) and node.a.value == 1 and isinstance(node.b, Add)):
        return False
    for one, e in ((node.b.a, node.b.b), (node.b.b, node.b.a)):
        if isinstance(one, Num) and one.value == 1 and isinstance(e, Apply) and e.fn == "exp" and e.order == 0 \
                and isinstance(e.a, Neg) and e.a.a == arg:
            return True
    return False


def entrywise_activation(st: Statement, digits: frozenset[str]) -> tuple[str, str | None] | None:
    """(the layer's text, the generic function the formula shows to be σ, else None), or None when the
    statement is not an activation written entry by entry."""
    from ..claims.tree import Apply

    if len(st.sides) not in (2, 3) or any(r not in ("=", "\\equiv", "≡") for r in st.rels):
        return None
    nodes = [s.node for s in st.sides]
    if any(n is None for n in nodes):
        return None
    out, app = _entry(nodes[0], digits), nodes[1]
    if out is None or not isinstance(app, Apply) or app.order != 0:
        return None
    arg = _entry(app.a, digits)
    if arg is None or arg[1] != out[1] or arg[0] == out[0]:
        return None
    fn = app.fn
    logistic = len(nodes) == 3 and _is_logistic(nodes[2], app.a)
    if len(nodes) == 3 and not logistic:
        return None
    if fn in _GENERIC:  # f with no formula may be one neuron's own activation (a_i = f(z_i)): not the layer
        if not logistic:
            return None
        shown = "\\sigma"
    elif fn in _FUNCTIONS and not (logistic and fn != "σ"):
        shown = _FUNCTIONS[fn]
    else:
        return None
    return f"{out[0]} = {shown}({arg[0]})", (fn if logistic and fn in _GENERIC else None)


def rename_function(text: str, names: dict[str, str]) -> str:
    """Every application of a function the document showed to be another (f → \\sigma), on the grammar's tokens."""
    from .statements import _tokens, splice

    if not names or not any(n in text for n in names):
        return text
    return splice(text, [(t.start_pos, t.start_pos + len(str(t)), names[str(t)] + " ") for t in _tokens(text)
                         if t.type == "GFUNC" and str(t) in names and t.start_pos is not None])
