"""Positions in a source text: offsets to 1-based lines and columns, and a
scanner that respects braces, for the other modules of this room."""

from __future__ import annotations

import bisect


class Positions:
    """Offset → (line, column), both 1-based."""

    def __init__(self, src: str) -> None:
        self.starts = [0]
        i = src.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = src.find("\n", i + 1)

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def line_start(self, line: int) -> int:
        return self.starts[min(max(line - 1, 0), len(self.starts) - 1)]


def read_group(s: str, i: int) -> tuple[str, int] | None:
    """The brace group starting at s[i] == '{' (its inside, the offset after it), or None."""
    if i >= len(s) or s[i] != "{":
        return None
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
        j += 1
    return None


def skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t\n":
        i += 1
    return i
