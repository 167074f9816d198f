"""Layer superscripts: `W^{[l]}`, `a^{(l-1)}`, `z^L`, `x^{(i)}` name a layer (or an
example), never a power. Each label the document writes is given a digit of its
own, and the superscript is read as the numbered name the claims engine knows
(`W^{[l]}` → `W_7`, so `z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}` is a layer whose
input is a^{[l-1]}); a transpose after the label (`a^{[l-1]T}`) stays. Found
with the claim grammar's tokens."""

from __future__ import annotations

from typing import Any

_BASES = ("LETTER", "GREEK", "DNAME", "RBRACE")
_BARE = ("l", "L", "l-1", "l+1", "L-1", "L+1", "l-2", "l+2", "L-2")


def _content(sup: str) -> str:
    s = sup[1:].strip()
    return s[1:-1].strip() if s.startswith("{") and s.endswith("}") else s


def label_of(sup: str) -> tuple[str, str] | None:
    """`^{[l-1]T}` → ('l-1', 'T'); `^L` → ('L', ''); None for a power or a transpose."""
    s = _content(sup).replace(" ", "")
    for a, b in (("[", "]"), ("(", ")")):
        if s.startswith(a) and b in s:
            k = s.index(b)
            label, rest = s[1:k], s[k + 1:]
            if label and rest in ("", "T", "\\top", "\\intercal", "\\prime", "'"):
                return label, rest
            return None
    if s in _BARE:
        return s, ""
    return None


def _entry(letter: str, digit: str, sub: str) -> str:
    """The entry `sub` of the numbered name: a matrix's (two indices) is read from its upper-case name."""
    from ..claims.tree import index_parts

    inner = sub[1:].strip()
    inner = inner[1:-1] if inner.startswith("{") and inner.endswith("}") else inner
    name = letter.upper() if len(index_parts(inner)) == 2 and len(letter) == 1 else letter
    return f"({name}_{digit})_{{{inner}}}"


class Labels:
    """The digits given to a document's layer labels, in order of first use."""

    DIGITS = "9876543210"

    def __init__(self) -> None:
        self.digit: dict[str, str] = {}

    def of(self, label: str) -> str | None:
        if label not in self.digit:
            if len(self.digit) >= len(self.DIGITS):
                return None
            self.digit[label] = self.DIGITS[len(self.digit)]
        return self.digit[label]

    def relabel(self, text: str) -> str:
        """The text with every layer superscript read as a numbered name."""
        from .statements import _tokens

        if "^" not in text:
            return text
        toks = _tokens(text)
        out, pos = [], 0
        for k, t in enumerate(toks):
            if t.type != "SUP" or k == 0 or t.start_pos is None or t.start_pos < pos:
                continue
            got = label_of(str(t))
            prev = toks[k - 1]
            after = toks[k + 1] if k + 1 < len(toks) else None
            if got is None:
                continue
            if prev.type in ("LETTER", "GREEK") and after is not None and after.type == "SUB" and not got[1]:
                # w^l_{jk}: the entry (j, k) of layer l's w, written (W_9)_{jk}
                digit = self.of(got[0])
                if digit is not None:
                    out.append(text[pos:prev.start_pos] + _entry(str(prev), digit, str(after)))
                    pos = after.start_pos + len(str(after))
                continue
            if prev.type == "SUB" and k >= 2 and toks[k - 2].type in ("LETTER", "GREEK") and not got[1]:
                base = toks[k - 2]  # w_{jk}^l: the same, the other way round
                digit = self.of(got[0])
                if digit is not None:
                    out.append(text[pos:base.start_pos] + _entry(str(base), digit, str(prev)))
                    pos = t.start_pos + len(str(t))
                continue
            if prev.type in _BASES:
                digit = self.of(got[0])
                if digit is not None:
                    rest = f"^{{{got[1]}}}" if got[1] else ""
                    out.append(text[pos:t.start_pos] + f"_{digit}" + rest)
                    pos = t.start_pos + len(str(t))
        return "".join(out) + text[pos:] if out else text

    def note(self) -> str:
        return ", ".join(f"^{{{label}}} → _{d}" for label, d in self.digit.items())


def _parts(label: str) -> tuple[str, int] | None:
    """'l-1' → ('l', -1), 'L' → ('L', 0); None for a label that is not a layer's (an example's i, a number)."""
    s = label.replace(" ", "")
    if not s or s[0] not in "lL":
        return None
    if len(s) == 1:
        return s, 0
    if s[1] in "+-" and s[2:].isdigit():
        return s[0], int(s[1:])
    return None


def _numbered(text: str, digits: set[str], bases: tuple[str, ...] = _BASES) -> list[tuple[Any, Any, str]]:
    """(the token before, the subscript token, its digit) for every numbered name (W_9, \\delta_9) in a text."""
    from .statements import _tokens

    toks = _tokens(text)
    return [(toks[k - 1], t, str(t)[1:].strip("{} ")) for k, t in enumerate(toks)
            if t.type == "SUB" and k > 0 and toks[k - 1].type in bases and str(t)[1:].strip("{} ") in digits]


def _used(text: str, digits: set[str]) -> set[str]:
    return {d for _, _, d in _numbered(text, digits)}


def _renamed(text: str, mapping: dict[str, str]) -> str:
    from .statements import splice

    return splice(text, [(t.start_pos, t.start_pos + len(str(t)), f"_{mapping[d]}")
                         for _, t, d in _numbered(text, set(mapping)) if t.start_pos is not None])


def as_generic_layer(labels: Labels, claim: str, context: str | None, layer_names: list[str]) -> tuple[str, str | None] | None:
    """A claim about the output layer L (z^L, a^{L-1}, the loss at a^L) where the document defines its layers once,
    for every l: layer L is the instance l = L, so the claim and the context are read with L as l (L−1 as l−1).
    None where that is not so: the claim also names a layer l, or a layer is defined at L itself, or some L-label
    has no l-label beside it."""
    inv = {d: label for label, d in labels.digit.items()}
    digits = set(inv)
    used = _used(claim, digits)
    if not used or any((_parts(inv[d]) or ("", 0))[0] != "L" for d in used):
        return None
    for name in layer_names:
        d = name.rpartition("_")[2]
        if d in digits and (_parts(inv[d]) or ("", 0))[0] != "l":
            return None
    generic = {p: d for d, label in inv.items() if (p := _parts(label)) is not None and p[0] == "l"}
    mapping: dict[str, str] = {}
    items = context.split("; ") if context else []  # the context's items, joined by describe(); each lexes alone
    for d in used.union(*(_used(item, digits) for item in items)):
        p = _parts(inv[d])
        if p is None or p[0] != "L":
            continue
        if ("l", p[1]) not in generic:
            return None
        mapping[d] = generic[("l", p[1])]
    return _renamed(claim, mapping), ("; ".join(_renamed(item, mapping) for item in items) if context else context)


def with_next_layer(labels: Labels, claim: str, context: str | None, has_loss: bool) -> tuple[str, dict[str, str]] | None:
    """A claim about layers l and l+1 (δ^l from δ^{l+1}) where the document defines its layers once, for every l:
    the context gains layer l+1, the same definitions one label up (l → l+1, l−1 → l), after layer l. Only with
    no written loss (the loss is then any function of the last output, as before); None where it does not apply."""
    if not context or has_loss:
        return None
    inv = {d: label for label, d in labels.digit.items()}
    digits = set(inv)
    parts = {d: _parts(label) for d, label in inv.items()}
    used = _used(claim, digits)
    if not used or any(parts[d] is None or parts[d][0] != "l" or parts[d][1] not in (-1, 0, 1) for d in used):  # type: ignore[index]
        return None
    by = {p: d for d, p in parts.items() if p is not None}
    if ("l", 1) not in by or ("l", 0) not in by or ("l", 1) not in {parts[d] for d in used}:
        return None
    up = {by[("l", 0)]: by[("l", 1)]}
    if ("l", -1) in by:
        up[by[("l", -1)]] = by[("l", 0)]
    items = context.split("; ")
    extra = []
    for item in items:
        lhs, eq, _ = item.partition(" = ")
        here = _used(item, digits)
        if not eq or not here or not here <= set(up) or by[("l", 0)] not in _used(lhs, digits):
            continue
        extra.append(_renamed(item, up))
    if not extra or any(by[("l", 1)] in _used(item, digits) for item in items):
        return None
    return "; ".join(items + extra), up


def match_case(labels: Labels, claim: str, context: str | None) -> str:
    """W_9 in a claim where the context has only w_9 (the layer `z^l = w^l a^{l-1} + b^l`, an entry `w^l_{jk}`, which
    the labels read as the matrix W's): the claim's name is the context's."""
    from .statements import splice

    digits = set(labels.digit.values())
    if not context or not digits:
        return claim
    known = {f"{tok}_{d}" for item in context.split("; ") for tok, _, d in _numbered(item, digits, ("LETTER",))}
    return splice(claim, [(tok.start_pos, tok.start_pos + len(str(tok)), str(tok).swapcase())
                          for tok, _, d in _numbered(claim, digits, ("LETTER",))
                          if f"{tok}_{d}" not in known and f"{str(tok).swapcase()}_{d}" in known
                          and tok.start_pos is not None])


def two_index_names(st: Any) -> set[str]:
    """Names a statement writes an entry of with two indices: (w_9)_{jk} gives w_9, w_{jk} gives w."""
    from ..claims.tree import At, Var, index_parts

    out: set[str] = set()
    for n in st.nodes():
        if isinstance(n, At) and isinstance(n.a, Var) and n.a.sub is not None and len(index_parts(n.sub.strip("{} "))) == 2:
            out.add(f"{n.a.letter}_{n.a.sub}")
        elif isinstance(n, Var) and n.sub is not None and not n.sub.isdigit() and len(index_parts(n.sub)) == 2:
            out.add(n.letter)
    return out
