"""Layer superscripts: `W^{[l]}`, `a^{(l-1)}`, `z^L`, `x^{(i)}` name a layer (or an
example), never a power. Each label the document writes is given a digit of its
own, and the superscript is read as the numbered name the claims engine knows
(`W^{[l]}` → `W_7`, so `z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}` is a layer whose
input is a^{[l-1]}); a transpose after the label (`a^{[l-1]T}`) stays. Found
with the claim grammar's tokens."""

from __future__ import annotations

from typing import Any

_BASES = ("LETTER", "DNAME", "RBRACE")
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
        prev: Any = None
        for t in toks:
            if t.type == "SUP" and prev is not None and prev.type in _BASES and t.start_pos is not None:
                got = label_of(str(t))
                digit = self.of(got[0]) if got else None
                if got and digit is not None:
                    rest = f"^{{{got[1]}}}" if got[1] else ""
                    out.append(text[pos:t.start_pos] + f"_{digit}" + rest)
                    pos = t.start_pos + len(str(t))
            prev = t
        return "".join(out) + text[pos:] if out else text

    def note(self) -> str:
        return ", ".join(f"^{{{label}}} → _{d}" for label, d in self.digit.items())
