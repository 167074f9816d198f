"""Random bytes, random Unicode and random nesting fed to `check` and `claim` (hypothesis): whatever
comes in, the exit is 0, 1 or 2, with no traceback and no internal error, within the time and memory
budgets. The counts are in docs/limits.md (40 examples each in `make test-hostile`, 5 in `make test`)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .harness import clean, run

EXAMPLES = 40 if os.environ.get("SYMDERIV_HOSTILE") == "all" else 5
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

PIECES = ["$", "$$", "\\[", "\\]", "{", "}", "\\frac{", "\\begin{aligned}", "\\end{aligned}", "\\left(", "\\right)", "(", ")",
          "^", "_", "A", "B", "X", "W", "=", "+", "\\sum_{i=1}^{n}", "\\mathbf{1}", "\\newcommand{\\a}[1]{#1#1}", "\\a{",
          "\n", "\r\n", "\r", " ", "> ", "- ", "```", "\\partial", "9" * 30, "\x00", "\ufeff", "𝟏", "ᵀ", "\\\\"]


@SETTINGS
@given(st.binary(max_size=4000))
def test_random_bytes_to_check(data: bytes) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".md", delete=False) as fh:
        fh.write(data)
    try:
        clean(run("check", fh.name, "--time-limit", "10"), 0, 1, 2, seconds=60)
    finally:
        os.unlink(fh.name)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=300))
def test_random_nesting_to_check(pieces: list[str]) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as fh:
        fh.write("".join(pieces) + "\n\n$$ (AB)^T = A^T B^T $$\n")
    try:
        r = clean(run("check", fh.name, "--time-limit", "10"), 0, 1, 2, seconds=60)
        if "```" not in pieces:  # an open code fence runs to the end of a Markdown file: then the equation is code
            assert "A^T B^T" in r.stdout  # the false equation at the end is never hidden
    finally:
        os.unlink(fh.name)


@SETTINGS
@given(st.text(max_size=400))
def test_random_unicode_to_claim(text: str) -> None:
    text = text.replace("\x00", "")
    if not text.strip() or text.startswith("-"):
        text = "x" + text
    clean(run("claim", text, "--time-limit", "10"), 0, 1, 2, seconds=60)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=120))
def test_random_nesting_to_claim(pieces: list[str]) -> None:
    text = "".join(pieces).replace("\x00", "")
    if not text.strip() or text.lstrip().startswith("-"):
        text = "x" + text
    clean(run("claim", text, "--time-limit", "10"), 0, 1, 2, seconds=60)
