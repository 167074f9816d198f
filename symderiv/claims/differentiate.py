"""Derivatives for the evaluator: what a derivative is taken with respect to,
which definitions to substitute first, and how the result is laid out (the
gradient convention or numerator layout; a 4-index Jacobian, output first),
and the refusal of derivatives of things that do not involve the variable."""

from __future__ import annotations

from typing import Any

import symengine as se

from .functions import normalize
from .report import text
from .tree import At, Deriv, DName, Unsup, Var, Vec, walk
from .values import Arr, Unsupported, terms


class Derivatives:
    """Mixed into Evaluator (which provides evaluate, var, vec, letter, spend, …)."""

    ctx: Any
    t: Any
    layout: str
    loss: Any
    raw: dict
    owner_of: dict
    _prepared: dict

    def wrt(self, den: Any, env: dict[str, int]) -> Arr:
        """The independent symbols a derivative is taken with respect to."""
        if isinstance(den, DName):
            den = Var(den.letter, den.sub)
        if isinstance(den, Vec):
            return self.vec(self.wrt(den.a, env))
        if isinstance(den, At) and isinstance(den.a, Var):
            value = self.evaluate(den, env)  # (W_9)_{ij}: an entry of a numbered matrix (a layer's w_{ij}^l)
        elif not isinstance(den, Var):
            raise Unsupported("a derivative with respect to an expression (not a matrix, vector or entry)")
        else:
            if den.letter == "L" and den.sub is None:
                raise Unsupported("a derivative with respect to the loss")
            up = self.ctx.upstream
            if up and self.loss is not None and den.letter in (up, up.lower()):
                raise Unsupported("G is the upstream gradient of an arbitrary loss; derivatives with respect to it "
                                  "are not defined")
            value = self.var(den, env)
            if value.shape == () and den.sub is None and den.letter in self.ctx.shapes and den.letter in self.t.vectors:
                value = self.letter(den.letter)  # x: 1 declares a vector of length 1, not a scalar: ∂y/∂x is a Jacobian
        if any(not (x.is_Symbol) for x in value.data):
            raise Unsupported("a derivative with respect to something that is not a variable")
        return value

    def check_loss_depends(self, den: Any) -> None:
        """∂L/∂X for an X the context never mentions is not 'zero': it is a question
        about another model, so the claim stays unchecked."""
        while isinstance(den, Vec):
            den = den.a
        if not isinstance(den, (Var, DName)):
            return
        letter = den.letter
        greek = isinstance(den, Var) and den.style == "greek"
        owner = letter if (letter.isupper() or letter in self.t.vectors or greek) else letter.upper()
        exprs = [e for _, e in self.ctx.defs] + ([self.ctx.loss] if self.ctx.loss is not None else [])
        known = set(self.ctx.defined) | {v.letter for e in exprs for v in walk(e) if isinstance(v, Var)}
        known |= {k.upper() for k in known if k.islower() and k not in self.t.vectors}
        if owner not in known and letter not in known:
            raise Unsupported(f"L does not depend on {owner} in this context ({self.ctx.describe()}); "
                              f"give a context that uses {owner}, such as Y = {owner} W")

    def _owner(self, node: Any) -> str | None:
        if isinstance(node, At):  # (z_9)_{j}: an entry of the numbered name's
            return self._owner(node.a)
        if isinstance(node, DName):
            return node.letter
        if not isinstance(node, Var):
            return None
        L = node.letter
        if node.style == "greek":
            return L if L == self.ctx.upstream else None
        if node.sub is None or L.isupper() or L in self.t.vectors or L == self.ctx.upstream:
            return L
        return L.upper()

    def letters_of(self, node: Any) -> set[str]:
        """The letters an expression depends on, through the context's definitions and the loss."""
        out: set[str] = set()
        for n in walk(node):
            if isinstance(n, Var) and n.letter == "L" and n.sub is None and n.style == "plain":
                out |= {x for x in (self.ctx.output, self.ctx.upstream) if x}
                if self.ctx.loss is not None:
                    out |= self.letters_of(self.ctx.loss)
                continue
            owner = self._owner(n)
            if isinstance(n, DName):
                out |= self.letters_of(Var("L"))
            if owner:
                out.add(owner)
        defs = dict(self.ctx.defs)
        todo = [x for x in out if x in defs]
        while todo:
            x = todo.pop()
            for y in self.letters_of_plain(defs[x]):
                if y not in out:
                    out.add(y)
                    if y in defs:
                        todo.append(y)
        return out

    def letters_of_plain(self, node: Any) -> set[str]:
        return {o for n in walk(node) if (o := self._owner(n))}

    def check_depends(self, node: Deriv) -> None:
        """∂Y/∂X where Y does not involve X at all (Y free, or defined without X) is not 'zero'
        in anyone's notes: it means the context is missing, so the claim stays unchecked."""
        den = node.den
        while isinstance(den, Vec):
            den = den.a
        owner = self._owner(den)
        if any(isinstance(n, Unsup) for n in walk(node.num)):
            return  # evaluating it says what is not supported
        if owner is None or owner in self.letters_of(node.num):
            return
        num = text(node.num)
        raise Unsupported(f"{num} does not involve {owner} in this context ({self.ctx.describe()}), so "
                          f"∂{num}/∂{owner} would be a trivial zero; give the definition that relates them, "
                          f"such as --context 'Y = X W + b'")

    def prepared(self, expr: Any, v: Any) -> Any:
        owner = self.owner_of.get(v)
        key = (expr, owner or "")
        if key not in self._prepared:
            if owner is None:
                out = self.substitute(expr)
            else:
                later = [d for d, _ in self.ctx.defs][[d for d, _ in self.ctx.defs].index(owner) + 1:]
                out = expr
                for letter in reversed(later):
                    if letter not in self.t.matrices:
                        continue
                    syms = self.letter(letter)
                    out = out.subs(dict(zip(syms.data, self.raw[letter].data)))
                out = se.expand(out)
            self.spend(terms(out))
            self._prepared[key] = out
        return self._prepared[key]

    def deriv(self, node: Deriv, env: dict[str, int]) -> Arr:
        if isinstance(node.num, Var) and node.num.letter == "L" and node.num.sub is None and self.loss is None:
            raise Unsupported("L is the loss, but the context defines no output (give one, such as Y = X W)")
        if isinstance(node.num, Var) and node.num.letter == "L" and node.num.sub is None:
            self.check_loss_depends(node.den)
        self.check_depends(node)
        num = self.evaluate(node.num, env)
        den = self.wrt(node.den, env)
        if len(num.shape) > 2:
            raise Unsupported("derivatives of a 4-index array are not supported")
        d = []
        for f in num.data:
            row = []
            for v in den.data:
                p = self.prepared(f, v)
                self.spend(terms(p))
                row.append(normalize(se.diff(p, v)))
            d.append(row)
        if num.shape == ():
            grad = Arr(den.shape, tuple(d[0]))
            if node.kind == "nabla" or self.layout == "gradient" or den.shape == ():
                return grad
            r, c = den.shape
            return Arr((c, r), tuple(grad.data[i * c + j] for j in range(c) for i in range(r)))
        if den.shape == ():
            return Arr(num.shape, tuple(row[0] for row in d))
        if 1 in num.shape and 1 in den.shape:  # vector by vector: a Jacobian matrix
            a, b = len(num.data), len(den.data)
            if self.layout == "numerator":
                return Arr((a, b), tuple(d[i][j] for i in range(a) for j in range(b)))
            return Arr((b, a), tuple(d[i][j] for j in range(b) for i in range(a)))
        return Arr(num.shape + den.shape, tuple(x for row in d for x in row))
