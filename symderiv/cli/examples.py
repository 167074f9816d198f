"""What each command's `-h` ends with: two or three examples to copy (they read the files in
examples/, where they are meant to be run; tests/ci/test_help.py runs them there) and the docs page;
and the order `symderiv -h` lists the commands in (verify first, the way the docs teach them)."""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, tuple[tuple[str, ...], str]] = {
    "verify": (("symderiv verify --m 3 --k 2 --n 4                # every step, then the summary",
                "symderiv verify --layout zwt --no-steps          # PyTorch's layer A = Z Wᵀ + b, summary only",
                "symderiv verify --json -q > verify.json          # one JSON document for CI"), "docs/verify.md"),
    "claim": (("symderiv claim 'dL/dW = X^T G' --context 'Y = X W'    # holds",
               "symderiv claim 'dL/dW = G X^T' --context 'Y = X W'    # fails, with the reason and a suggestion",
               "symderiv claim 'dL/db = 1^T G' --context 'Y = X W + b'"), "docs/claims.md"),
    "claims": (("symderiv claims                                  # every known identity and fallacy, verified live",
                "symderiv claims --json -q > claims.json"), "docs/claims.md"),
    "prove": (("symderiv prove                                   # for every m, k, n, in index notation",
               "symderiv prove --layout zwt --json -q > proof.json"), "docs/prove.md"),
    "check": (("symderiv check notes.md                          # fails: the notes hold false equations on purpose",
               "symderiv check . --output-format github --sarif symderiv.sarif --html report.html   # fails: CI, one run",
               "cat notes.md | symderiv check - --stdin-filename notes.md   # fails: an editor's buffer"), "docs/check.md"),
    "check-impl": (("symderiv check-impl linear_numpy.py:backward           # a correct NumPy backward",
                    "symderiv check-impl linear_numpy_buggy.py:backward     # fails: both mistakes named",
                    "symderiv check-impl linear_numpy.py:backward_zwt --layout zwt"), "docs/oracle.md"),
}
ORDER = ("verify", "claim", "claims", "prove", "check", "check-impl")


def epilog(command: str) -> str:
    lines, page = EXAMPLES[command]
    return ("Examples (from the examples/ folder of a clone):\n\n" + "\n\n".join(f"  {ln}" for ln in lines)
            + f"\n\nDocs: {page}")


def order(app: Any) -> None:
    """List the commands as the docs teach them: verify first."""
    def key(info: Any) -> int:
        name = info.name or info.callback.__name__.replace("_", "-")
        return ORDER.index(name) if name in ORDER else len(ORDER)

    app.registered_commands.sort(key=key)
