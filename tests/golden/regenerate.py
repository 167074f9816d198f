#!/usr/bin/env python3
"""Rewrite the golden files from the current renderers (`make golden`); review the diff.

Each golden file is what `symderiv verify --m 3 --k 2 --n 4 --latex FILE` (or
`--markdown FILE`) writes."""

from __future__ import annotations

from pathlib import Path

from symderiv.render import latex, markdown
from symderiv.shapes import Spec
from symderiv.verify import verify

HERE = Path(__file__).resolve().parent


def main() -> None:
    d = verify(Spec(3, 2, 4))
    for name, text in (("verify-3-2-4.tex", latex.render(d)), ("verify-3-2-4.md", markdown.render(d))):
        (HERE / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
