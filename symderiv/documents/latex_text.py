"""The text pylatexenc's walker is given: the document with long runs of plain prose shortened and
groups nested past the walker's depth read as spaces, with a map back to the document's positions.
The walker reads one character at a time and recurses once per group; these keep it linear and
within Python's stack on any input (a 10 MB line, braces 5,000 deep)."""

from __future__ import annotations

import re
from bisect import bisect_right

MAX_DEPTH = 100  # braces nested deeper than this are not groups to the walker (see Condensed)
KEEP = 256  # characters kept at each end of a long run of prose the walker is given (see Condensed)

_PLAIN_RUN = re.compile(r"[A-Za-z0-9 .,;:!?'\"()\-\t]{" + str(2 * KEEP + 64) + ",}")


_GROUP = re.compile(r"\\(begin|end)\s*\{[^{}]*\}|(?<!\\)[{}]")


class Condensed:
    """The text the walker reads: each long run of plain prose on one line (letters, digits, spaces,
    punctuation: nothing LaTeX gives a meaning) shortened to its first and last KEEP characters around
    one space. The walker reads one character at a time and joins a run by string concatenation, so a
    10 MB line took hours; it now reads a few kilobytes. `orig` maps a position back to the text."""

    def __init__(self, src: str) -> None:
        pieces, self.marks, last, delta = [], [(0, 0)], 0, 0
        for m in _PLAIN_RUN.finditer(src):
            a, b = m.start() + KEEP, m.end() - KEEP
            pieces += [src[last:a], " "]
            delta += b - a - 1
            self.marks.append((a - (delta - (b - a - 1)) + 1, delta))
            last = b
        self.text = "".join(pieces) + src[last:] if pieces else src
        self._starts = [w for w, _ in self.marks]
        self.deep = self._flatten()

    def _flatten(self) -> list[tuple[int, int]]:
        """Groups (braces, environments) nested deeper than MAX_DEPTH are read as spaces (the walker recurses
        once per group and Python's stack ends near 400 levels): the walker positions where such nesting
        starts and ends."""
        text = self.text
        if text.count("{") <= MAX_DEPTH:
            return []
        out, regions, depth, start = list(text), [], 0, -1
        for m in _GROUP.finditer(text):
            opens = m.group(0) == "{" or m.group(0).startswith("\\begin")
            depth += 1 if opens else -1
            if depth > MAX_DEPTH or (depth == MAX_DEPTH and not opens):
                out[m.start():m.end()] = " " * (m.end() - m.start())
                start = m.start() if start < 0 else start
            elif start >= 0:
                regions.append((start, m.start()))
                start = -1
        if start >= 0:
            regions.append((start, len(text)))
        if regions:
            self.text = "".join(out)
        return regions

    def orig(self, pos: int) -> int:
        return pos + self.marks[bisect_right(self._starts, pos) - 1][1]
