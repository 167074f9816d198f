"""`derive`: parse the expression (the claim grammar), read the context (the claims
engine's), apply the rule table, identify the derivative, make it readable, then
hand the claim ∂F/∂V = answer to the claims engine. Only an answer that holds there
is returned; anything else is a `NotChecked` (exit 2), so a bug in the rules never
reaches a user. The result carries the Derivation every renderer prints."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from ..claims import check_claim
from ..claims.context import build_context, renumber
from ..claims.infer import infer
from ..claims.parser import ClaimParseError, parse
from ..claims.tree import Claim, Var
from ..derivation import Check, CheckRef, Derivation, Display, Prose, Step, Verdict
from ..errors import BadInput
from ..notation import Formula
from ..shapes import Spec
from . import algebra as al
from .algebra import ONE, NotLinear, Sum
from .identify import TRACE_RULES, flat_terms, gradient, jacobian, readable
from .printer import LATEX, TEXT, entry, latex, text
from .rules import CannotDerive, Differentiate

SCHEMA = "symderiv.derive/1"
CONVENTIONS = ("gradient", "numerator")
_BOLD = re.compile(r"\\(?:mathbf|boldsymbol|bm)\s*\{?\s*([A-Za-z])")


class NotChecked(BadInput):
    """The derived answer did not pass the claims engine; it is not shown."""


@dataclass
class Derived:
    expression: str
    wrt: str
    context: str
    convention: str
    kind: str  # gradient | jacobian | entries
    text: str
    latex: str
    shape: list[str]
    claim: str
    checked: list[dict[str, int]]
    proof: str
    reason: str
    upstream: str | None = None
    statement: str = ""
    derivation: Derivation | None = None
    steps: list[dict[str, str]] = field(default_factory=list)
    vec: dict[str, str] = field(default_factory=dict)  # column-major / row-major Kronecker forms, each checked
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "expression": self.expression,
            "wrt": self.wrt,
            "context": self.context,
            "convention": self.convention,
            "kind": self.kind,
            "result": {"text": self.text, "latex": self.latex, "shape": list(self.shape)},
            "claim": self.claim,
            "statement": self.statement,
            "upstream": self.upstream,
            "checked": [dict(a) for a in self.checked],
            "proof": self.proof,
            "reason": self.reason,
            "steps": [dict(s) for s in self.steps],
            "vec": dict(self.vec),
        }


def _one_formula(text_: str, what: str) -> Any:
    try:
        claim = parse(text_)
    except ClaimParseError as exc:
        raise BadInput(f"cannot read the {what}: {exc}") from None
    if claim.rels or len(claim.parts) != 1:
        raise BadInput(f"the {what} is an equation; give one expression", hint="such as 'tr(X W)'")
    return claim.parts[0]


def _size_names(d: Differentiate, assignment: dict[str, int]) -> dict[int, str]:
    c = d.typing.classes
    out: dict[int, str] = {}
    for i in range(len(c.parent)):
        r = c.find(i)
        v = c.value(r)
        if v is not None:
            out[r] = str(v)
        elif c.names[r]:
            out[r] = sorted(c.names[r])[0]
    return out


def derive(expression: str, wrt: str, context: str | None = None, convention: str = "gradient") -> Derived:
    """∂(expression)/∂(wrt), derived by the rules and checked by the claims engine."""
    if convention not in CONVENTIONS:
        raise BadInput(f"unknown convention {convention!r}", hint="choose gradient or numerator")
    started = time.perf_counter()
    context = (context or "").strip()
    ctx = build_context(context)
    node = renumber(_one_formula(expression, "expression"), ctx.numbered)
    var = renumber(_one_formula(wrt, "variable (--wrt)"), ctx.numbered)
    if not isinstance(var, Var) or var.sub is not None and not var.sub.isdigit():
        raise BadInput(f"--wrt {wrt!r} is not a letter", hint="such as --wrt W")
    typing = infer(ctx, Claim((node, var), ()))
    d = Differentiate(ctx, typing, var.letter, bold={m.group(1) for m in _BOLD.finditer(f"{expression} {wrt} {context}")})
    try:
        f, df = d.run(node)
        x = d.leaf(var)
        kind, answer, lhs = _identify(expression, wrt, node, var, f, df, x, convention)
    except (CannotDerive, NotLinear) as exc:
        raise BadInput(f"cannot derive ∂({expression})/∂{wrt}: {exc}") from None
    sizes = _size_names(d, {})
    claim = f"{lhs} = {text(answer)}" if kind != "entries" else lhs
    result = check_claim(claim, context=context, layout=convention)
    if result.verdict != Verdict.HOLDS and result.kind in ("ill-formed", "parse", "unsupported"):
        raise NotChecked(f"cannot check ∂({expression})/∂{wrt}: {result.reason}; no answer is printed")
    if result.verdict != Verdict.HOLDS:
        raise NotChecked(f"the derived answer did not pass the check ({result.verdict.value}: {result.reason}), "
                         "so it is not printed; this is a bug in symderiv's rules, please report it")
    out_text = text(answer) if kind != "entries" else claim.split(" = ", 1)[1]
    out_latex = latex(answer) if kind != "entries" else _plain_to_latex(out_text)
    shape = [sizes.get(dim, "1") for dim in answer.shape] if kind != "entries" else \
        [sizes.get(dim, "1") for dim in f.shape + x.shape]
    checked = result.checked.assignments if result.checked is not None else []
    shapes = result.checked.shapes if result.checked is not None else []
    out = Derived(expression, wrt, context, convention, kind, out_text, out_latex, shape, claim,
                  [dict(a) for a in checked] or [{}], result.proof or "sizes", result.reason,
                  d.upstream.name if d.upstream is not None else None)
    out.statement = result.statement or claim
    out.steps = [{"rule": a.rule.name, "statement": a.rule.statement, "text": f"{a.before} = {a.after}",
                  "latex": f"{a.latex_before} = {a.latex_after}"} for a in d.steps]
    out.steps.append({"rule": "identification", "statement": _identified_by(kind), "text": claim,
                      "latex": _claim_latex(kind, expression, wrt, answer, claim)})
    if kind == "entries":
        out.vec = _vec_forms(expression, node, var, df, f, sizes, context)
    out.derivation = _derivation(out, d, shapes)
    out.seconds = time.perf_counter() - started
    return out


def _identified_by(kind: str) -> str:
    return {"gradient": "df = tr(Mᵀ dX) ⇒ ∂f/∂X = M",
            "jacobian": "dy = J dx ⇒ ∂y/∂x = J (its transpose in the gradient convention)",
            "entries": "dY = Σ L dX R ⇒ ∂y_{i,j}/∂x_{p,q} = Σ L_{i,p} R_{q,j}"}[kind]


def _lhs(expression: str, wrt: str, node: Any) -> str:
    num = expression.strip() if isinstance(node, Var) else f"({expression.strip()})"
    return f"∂{num}/∂{wrt.strip()}"


def _identify(expression: str, wrt: str, node: Any, var: Var, f: Sum, df: Sum, x: al.Leaf,
              convention: str) -> tuple[str, Any, str]:
    if f.shape == (ONE, ONE):
        m = readable(gradient(df, x.shape))
        if convention == "numerator":
            m = readable(al.transpose(m))
        return "gradient", m, _lhs(expression, wrt, node)
    if f.shape[1] == ONE and x.shape[1] == ONE:
        j = readable(jacobian(df, f.shape))
        if convention == "gradient":
            j = readable(al.transpose(j))
        return "jacobian", j, _lhs(expression, wrt, node)
    if ONE in f.shape or ONE in x.shape:
        raise CannotDerive("a derivative between a vector and a matrix is not covered yet (matrices and "
                           "vectors each with their own kind are)")
    return "entries", df, _entries_claim(expression, var, node, df, x)


def _entries_claim(expression: str, var: Var, node: Any, df: Sum, x: al.Leaf) -> str:
    """∂y_{i,j}/∂x_{p,q} = Σ L_{i,p} R_{q,j} (R_{p,j} L_{i,q} for dXᵀ)."""
    y = f"{node.letter.lower()}_{{i,j}}" if isinstance(node, Var) and node.letter.isupper() else \
        f"({expression.strip()})_{{i,j}}"
    parts = []
    for t in flat_terms(df):
        k = next((i for i, fa in enumerate(t.chain) if isinstance(fa, al.Dx)), None)
        if k is None:
            h = t.chain[0]
            assert isinstance(h, al.Had)
            other = h.b if isinstance(h.a.terms[0].chain[0], al.Dx) else h.a
            body = f"{_entry_of(other, 'i', 'j')} δ_{{i,p}} δ_{{j,q}}"
        else:
            left = _part(t.chain[:k])
            right = _part(t.chain[k + 1:])
            tr = t.chain[k].t
            body = f"{entry(left, 'i', 'q' if tr else 'p', False)} {entry(right, 'p' if tr else 'q', 'j', False)}"
        scal = " ".join(TEXT.factor(s) for s in t.scalars)
        c = abs(t.coef)
        body = " ".join(p for p in ((TEXT.coef(c) if c != 1 else ""), scal, body) if p)
        parts.append(("− " if t.coef < 0 else "+ ") + body)
    if not parts:
        rhs = "0"
    else:
        rhs = " ".join(parts)
        rhs = rhs[2:] if rhs.startswith("+ ") else "−" + rhs[2:]
    return f"∂{y}/∂{var.letter.lower()}_{{p,q}} = {rhs}"


VEC_ORDERS = {"column-major": "F", "row-major": "C"}


def _vec_forms(expression: str, node: Any, var: Var, df: Sum, f: Sum, sizes: dict[int, str],
               context: str) -> dict[str, str]:
    """vec(L dX R) = (Rᵀ ⊗ L) vec(dX) column-major, (L ⊗ Rᵀ) row-major: one term, sizes with names,
    each form checked by the claims engine in its vec order (numerator layout), else left out."""
    from ..claims.decide import decide

    terms = flat_terms(df)
    if len(terms) != 1 or terms[0].scalars or not isinstance(node, Var):
        return {}
    t = terms[0]
    k = next((i for i, fa in enumerate(t.chain) if isinstance(fa, al.Dx)), None)
    if k is None or t.chain[k].t:
        return {}

    def side(chain: tuple[Any, ...], dim: int, transposed: bool) -> str | None:
        if not chain:
            name = sizes.get(dim, "")
            return f"I_{name}" if name.isalpha() and len(name) == 1 else None
        s = text(al.transpose(_chain_sum(chain)) if transposed else _chain_sum(chain))
        return s if len(chain) == 1 else f"({s})"

    left, right = side(t.chain[:k], f.shape[0], False), side(t.chain[k + 1:], f.shape[1], True)
    if left is None or right is None:
        return {}
    coef = "" if t.coef == 1 else ("−" if t.coef == -1 else TEXT.coef(t.coef) + " ")
    forms = {"column-major": f"{coef}{right} \\otimes {left}", "row-major": f"{coef}{left} \\otimes {right}"}
    ctx = build_context(context)
    out = {}
    for order, rhs in forms.items():
        claim = f"∂vec({node.letter})/∂vec({var.letter}) = {rhs}"
        try:
            outcome, _ = decide(ctx, renumber(parse(claim), ctx.numbered), "numerator", VEC_ORDERS[order])
        except Exception:  # noqa: BLE001 - a form the engine cannot decide is not shown
            continue
        if outcome.verdict == "holds":
            out[order] = claim  # \otimes: the claim grammar reads a Unicode ⊗ as a plain product
    return out


def _chain_sum(chain: tuple[Any, ...]) -> Sum:
    return Sum((al.Term(al.Fraction(1), (), chain),), al.chain_shape(chain))


def _part(chain: tuple[Any, ...]) -> Any:
    if not chain:
        return None
    if len(chain) == 1:
        return chain[0]
    return al.Group(Sum((al.Term(al.Fraction(1), (), chain),), al.chain_shape(chain)))


def _entry_of(s: Sum, r: str, c: str) -> str:
    if len(s.terms) == 1 and len(s.terms[0].chain) == 1 and s.terms[0].coef == 1 and not s.terms[0].scalars:
        return entry(s.terms[0].chain[0], r, c, False)
    return TEXT.paren(text(s)) + "_{" + r + "," + c + "}"


def _claim_latex(kind: str, expression: str, wrt: str, answer: Sum, claim: str) -> str:
    if kind == "entries":
        return _plain_to_latex(claim)
    num = expression.strip()
    return rf"\frac{{\partial {num if len(num) == 1 else LATEX.paren(num)}}}{{\partial {wrt.strip()}}} = {latex(answer)}"


def _plain_to_latex(s: str) -> str:
    return s.replace("δ", "\\delta").replace("∂", "\\partial ").replace("−", "-")


# --- the Derivation: one step per rule applied, then identification and the check ---------------


def _derivation(out: Derived, d: Differentiate, shapes: list[Any]) -> Derivation:
    steps: list[Step] = []
    where = ", ".join(f"{k} is {'×'.join(str(v) for v in dims)}" for k, dims in sorted(shapes[0].items())) \
        if shapes else ""
    intro = [Prose(f"The expression {out.expression}, differentiated with respect to {out.wrt}"
                   + (f" in the context {out.context}" if out.context else "") + ".")]
    if where:
        intro.append(Prose(f"Checked at {where}" + (" (and the other sizes listed below)." if len(shapes) > 1 else ".")))
    steps.append(Step("The expression", intro))
    for a in d.steps:
        steps.append(Step(f"Rule: {a.rule.statement}", [Display(Formula(f"{a.before} = {a.after}",
                                                                         f"{a.latex_before} = {a.latex_after}"))]))
    how = [Prose(r) for r in ((TRACE_RULES if out.kind == "gradient" else ()) + (_identified_by(out.kind),))]
    if out.upstream:
        how.append(Prose(f"{out.upstream} = ∂L/∂{d.ctx.output}, the upstream gradient."))
    steps.append(Step("Identification", how + [Display(Formula(out.statement, out.steps[-1]["latex"]))]))
    if out.vec:
        steps.append(Step("Vec forms (numerator layout, each checked in its vec order)",
                          [Prose(f"{order}: {claim}") for order, claim in out.vec.items()]))
    steps.append(Step("Checked by the claims engine", [CheckRef("answer")], Verdict.HOLDS))
    check = Check("answer", Formula(out.statement, out.steps[-1]["latex"]), Verdict.HOLDS, Verdict.HOLDS, out.reason)
    return Derivation(Spec(), steps, [check], "differentials", 0.0)
