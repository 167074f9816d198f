"""A name for the loss's gradient by a layer's quantity, as backprop notes write it:
`δ^l = ∂C/∂z^l` (the "error" of layer l), `\\boldsymbol{\\delta} = ∂L/∂\\boldsymbol{z}`,
entry by entry `δ_j^l = ∂C/∂z_j^l`. The document defines the name, so it is read as
that gradient wherever it appears: δ^l as dz^l (the claims engine's ∂L/∂z^l), δ^{l+1} as
dz^{l+1} (a definition written with a layer label holds at every label), an entry δ_j
as (dz)_j. Read from the statement's tree; rewritten on the claim grammar's tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .statements import LOSS_LETTERS, Statement, _tokens, splice

_NAMES = ("GREEK", "LETTER")


@dataclass(frozen=True)
class ErrorName:
    name: str  # as the tokens write it: \delta, e, δ
    target: str  # the letter whose gradient it is: z
    labelled: bool  # written with a layer label (δ^l = ∂C/∂z^l): it holds at every label
    loss: str = "L"  # the scalar differentiated (C): the name is ∂C/∂z only while C is the document's loss


def _base(node: Any) -> tuple[Any, str | None] | None:
    """A name alone or one entry of it: (the Var, the entry's subscript or None)."""
    from ..claims.tree import At, Var

    if isinstance(node, At) and isinstance(node.a, Var):
        return node.a, node.sub
    if isinstance(node, Var):
        return node, None
    return None


def error_name(st: Statement, loss: str | None, digits: frozenset[str]) -> ErrorName | None:
    """`N = ∂C/∂X` (C the loss), with N and X alike: both with the same layer label or neither, and the same
    entry subscript or none. None for anything else (then the statement is read as before)."""
    from ..claims.tree import Deriv, Var

    if len(st.sides) != 2 or st.rels[0] not in ("=", ":=", "\\coloneqq", "\\equiv", "≡", "\\triangleq"):
        return None
    lhs, rhs = st.sides[0].node, st.sides[1].node
    if not isinstance(rhs, Deriv) or rhs.kind != "partial" or not isinstance(rhs.num, Var) or rhs.num.sub is not None:
        return None
    if rhs.num.letter != (loss or "L") and rhs.num.letter not in LOSS_LETTERS:
        return None
    a, b = _base(lhs), _base(rhs.den)
    if a is None or b is None or a[1] != b[1]:
        return None
    (n, _), (x, _) = a, b
    if not x.letter.isalpha() or len(x.letter) != 1 or n.letter == x.letter:
        return None
    n_label = n.sub if n.sub in digits else None
    x_label = x.sub if x.sub in digits else None
    if n_label != x_label or (n.sub is not None and n_label is None) or (x.sub is not None and x_label is None):
        return None
    name = next((str(t) for t in _tokens(st.sides[0].text) if t.type in _NAMES), None)
    if name is None:
        return None
    return ErrorName(name, x.letter, n_label is not None, rhs.num.letter)


def rewrite(text: str, names: list[ErrorName], digits: frozenset[str]) -> str:
    """The text with every use of a defined error name written as the gradient it names (dz_9, (dz)_j)."""
    if not names or not any(n.name in text for n in names):
        return text
    toks = _tokens(text)
    edits: list[tuple[int, int, str]] = []
    for k, t in enumerate(toks):
        rule = next((n for n in names if t.type in _NAMES and str(t) == n.name), None)
        if rule is None or t.start_pos is None:
            continue
        start, end, last = t.start_pos, t.start_pos + len(str(t)), k
        if k >= 2 and toks[k - 1].type == "LBRACE" and toks[k - 2].type == "BOLD" and k + 1 < len(toks) \
                and toks[k + 1].type == "RBRACE":  # \boldsymbol{\delta}
            start, end, last = toks[k - 2].start_pos, toks[k + 1].start_pos + 1, k + 1
        after = toks[last + 1] if last + 1 < len(toks) else None
        label = str(after)[1:].strip("{} ") if after is not None and after.type == "SUB" else None
        if label is not None and label in digits:
            if rule.labelled:
                edits.append((start, after.start_pos + len(str(after)), f"d{rule.target}_{label}"))
        elif not rule.labelled:  # (a labelled δ^l says nothing of an unlabelled δ_{11}: which layer's is not said)
            edits.append((start, end, f"(d{rule.target})" if label is not None else f"d{rule.target}"))
    return splice(text, edits)
