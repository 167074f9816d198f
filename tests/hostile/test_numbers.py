"""Family: numbers of any length (issue 19, item 2). A number past Python's 4,300-digit conversion limit,
or past what an index can hold, is refused by name (one line; `unchecked` in a document) and never sinks
the run: a false equation beside it is still reported."""

from __future__ import annotations

import pytest

from .harness import FALSE_EQ, clean, one_error, reports_false, run

BIG = "9" * 5000
MID = "9" * 20  # past a 64-bit index
CLAIMS = [
    f"X_{{{BIG}}} = X_{{{BIG}}}", f"A^{{{BIG}}} = A^{{{BIG}}}", rf"\mathbf{{1}}_{{{MID}}}^T X = X",
    rf"\mathbf{{1}}_{{{BIG}}}^T X = X",
    rf"X \in \mathbb{{R}}^{{{BIG} \times 2}}", f"x = {BIG}", f"x = {BIG}.5", f"x = 0.{BIG}", f"x^{{{MID}}} = x",
    f"I_{{{MID}}} X = X", f"I_{{{BIG}}} X = X", rf"\sum_{{i=1}}^{{{BIG}}} x_i = y", rf"\sum_{{i={BIG}}}^{{n}} x_i = y",
    f"X_{{{MID}, 1}} = 0", f"(A B)^{{{MID}}} = A", rf"\sum_{{i=1}}^{{10^{{{MID}}}}} x_i = y", f"E_{{{MID}{MID}}} = 0",
    f"x = {BIG}/{BIG}", f"2^{{{MID}}} = x", f"\\frac{{{BIG}}}{{2}} = x", f"x_{{{BIG}}} = {BIG}",
]


@pytest.mark.parametrize("i", range(len(CLAIMS)))
def test_a_long_number_in_a_claim_is_one_clear_reason(i: int) -> None:
    r = clean(run("claim", CLAIMS[i]), 2)
    assert "digits" in r.stdout and "longer than" in r.stdout, r.stdout[-500:]
    assert len(r.stdout) < 2000  # the number is not echoed back in full


@pytest.mark.slow_hostile
@pytest.mark.parametrize("i", range(len(CLAIMS)))
def test_a_long_number_never_hides_a_false_equation(i: int, tmp_path) -> None:
    p = tmp_path / "n.md"
    p.write_text(f"$$ {CLAIMS[i]} $$\n\n{FALSE_EQ}\n", encoding="utf-8")
    if r"\in" in CLAIMS[i]:  # a declaration: the context it poisons makes the next equation unchecked, with the reason
        r = clean(run("check", str(p), "--strict"), 1)
        assert "A^T B^T" in r.stdout and "unchecked" in r.stdout and "digits" in r.stdout
        return
    r = clean(run("check", str(p), "--verbose"), 1)
    assert reports_false(r), r.stdout[-1500:]


@pytest.mark.parametrize("context", [f"X: {BIG} x 2", f"n = {BIG}", f"X: {MID} x {MID}", rf"X \in R^{{{BIG} x 2}}", f"N = {MID}"])
@pytest.mark.parametrize("command", ["claim", "check"])
def test_a_long_number_in_a_context_is_exit_2(context: str, command: str, tmp_path) -> None:
    p = tmp_path / "n.md"
    p.write_text(f"{FALSE_EQ}\n", encoding="utf-8")
    target = "X = X" if command == "claim" else str(p)
    one_error(clean(run(command, target, "--context", context), 2), "context", "digits")


@pytest.mark.parametrize("size", [BIG, MID, "1" + "0" * 30, "-" + MID])
@pytest.mark.parametrize("command", [["verify"], ["claim", "X = X"]])
@pytest.mark.parametrize("option", ["--m", "--k", "--n"])
def test_a_long_size_option_is_exit_2(size: str, command: list[str], option: str) -> None:
    one_error(clean(run(*command, option, size), 2))
