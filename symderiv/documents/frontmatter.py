"""YAML front matter at the top of a Markdown file (`---` … `---`): never math; its
KaTeX `macros:` map (`"\\RR": "\\mathbb{R}"`, arguments as #1, #2) defines macros as
a document's `\\newcommand`s do. Read line by line, for that one map only."""

from __future__ import annotations

import json

from .macros import Macro

_OPEN = ("---\n", "---\r\n")


def span(src: str) -> int:
    """The end offset of the front matter (0: there is none)."""
    if not src.startswith(_OPEN):
        return 0
    for close in ("\n---\n", "\n...\n", "\n---\r\n"):
        k = src.find(close, 3)
        if k >= 0:
            return k + len(close)
    if src.endswith("\n---"):
        return len(src)
    return 0


def blank(src: str) -> str:
    """The text with its front matter turned into blank lines (offsets and line numbers kept)."""
    end = span(src)
    return "".join(c if c == "\n" else " " for c in src[:end]) + src[end:] if end else src


def _scalar(text: str) -> str | None:
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] == '"':
        try:
            value = json.loads(t)  # YAML's double-quoted scalars escape as JSON strings do
        except ValueError:
            return None
        return value if isinstance(value, str) else None
    if len(t) >= 2 and t[0] == t[-1] == "'":
        return t[1:-1].replace("''", "'")
    return t or None


def macros(src: str) -> list[Macro]:
    """The `macros:` map of the front matter (KaTeX's option, as static-site generators pass it)."""
    end = span(src)
    if not end:
        return []
    out: list[Macro] = []
    inside, offset = False, 0
    for line in src[:end].splitlines(keepends=True):
        stripped = line.strip()
        if not line.startswith((" ", "\t")):
            inside = stripped.rstrip(":").strip() in ("macros", "katex_macros", "katexMacros") and stripped.endswith(":")
        elif inside and ":" in stripped:
            key, _, value = stripped.partition('": ') if stripped.startswith('"') else stripped.partition(": ")
            name = _scalar(key + ('"' if stripped.startswith('"') else ""))
            body = _scalar(value)
            if name and body and name.startswith("\\") and name[1:].isalpha():
                nargs = max((int(body[i + 1]) for i in range(len(body) - 1) if body[i] == "#" and body[i + 1].isdigit()),
                            default=0)
                out.append(Macro(name[1:], nargs, body, None, offset))
        offset += len(line)
    return out
