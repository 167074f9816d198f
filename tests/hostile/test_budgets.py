"""Families: expansion without a bound, one equation sinks the file, signals (issue 19, items 1, 6, 8).
Budgets are enforced in worker processes: a claim past its time or memory budget is an `unchecked` finding
in check (the rest is judged) and exit 2 naming the budget in claim; an unexpected error is one claim's
`unchecked` finding; SIGINT is exit 130 with one line; SIGTERM leaves no child behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from .harness import FALSE_EQ, TRUE_EQ, clean, ended_by, one_error, reports_false, run, signal_after

HEAVY = ["I_{3000} I_{3000} = I_{3000}", r"\mathbf{1}_{3000}^T I_{3000} \mathbf{1}_{3000} = 3000"]


@pytest.mark.slow_hostile
@pytest.mark.parametrize("heavy", HEAVY)
@pytest.mark.parametrize("budget", [["--time-limit", "2"], ["--max-memory", "80M", "--time-limit", "60"]])
def test_a_claim_past_its_budget_is_unchecked_and_the_rest_is_judged(heavy: str, budget: list[str], tmp_path) -> None:
    p = tmp_path / "h.md"
    p.write_text(f"$$ {heavy} $$\n\n{FALSE_EQ}\n\n{TRUE_EQ}\n", encoding="utf-8")
    r = clean(run("check", str(p), *budget), 1, seconds=40)
    assert reports_false(r)
    assert "1 holds, 1 fails, 1 unchecked" in r.stdout
    assert ("--time-limit" in r.stdout) or ("--max-memory" in r.stdout)


@pytest.mark.slow_hostile
@pytest.mark.parametrize("heavy", HEAVY)
@pytest.mark.parametrize("budget,word", [(["--time-limit", "2"], "time"), (["--max-memory", "80M"], "memory")])
def test_claim_past_its_budget_is_exit_2_naming_it(heavy: str, budget: list[str], word: str) -> None:
    one_error(clean(run("claim", heavy, *budget), 2, seconds=40), word, "budget")


def _plant(code: str, argv: list[str]) -> subprocess.CompletedProcess:
    prog = f"import sys\n{code}\nsys.argv = ['symderiv', *{argv!r}]\nfrom symderiv.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "SYMDERIV_DEBUG"})


PLANTS = {
    "runtime": "raise RuntimeError('planted bug')",
    "key": "raise KeyError('y')",
    "attribute": "raise AttributeError(\"'Evaluator' object has no attribute 'loss'\")",
    "zero": "1 / 0",
}


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_an_internal_error_in_one_equation_never_sinks_the_file(kind: str, tmp_path) -> None:
    p = tmp_path / "p.md"
    p.write_text(f"$$ X Y = Y X $$\n\n{FALSE_EQ}\n", encoding="utf-8")
    plant = ("import symderiv.documents.judge as j\n_orig = j._once\n"
             "def _once(task, *a, **k):\n"
             f"    if 'X Y' in task.text:\n        {PLANTS[kind]}\n"
             "    return _orig(task, *a, **k)\nj._once = _once\n")
    r = _plant(plant, ["check", str(p)])
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert "internal error" in r.stdout and "please report" in r.stdout
    assert "A^T B^T" in r.stdout and "1 fails, 1 unchecked" in r.stdout
    strict = _plant(plant, ["check", str(p), "--strict", "--format", "json"])
    assert strict.returncode == 1


def test_the_library_leaves_the_callers_signal_handlers_alone(tmp_path) -> None:
    from symderiv.documents.run import Options, check_files

    p = tmp_path / "s.md"
    p.write_text(f"{FALSE_EQ}\n", encoding="utf-8")

    def mine(*_a: object) -> None:
        pass

    old = signal.signal(signal.SIGALRM, mine)
    try:
        reports = check_files([str(p)], Options(time_limit=5))
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, old)
    assert [f.verdict for f in reports[0].findings] == ["fails"]


SIGNAL_RUNS = [["verify", "--m", "64", "--k", "64", "--n", "64", "-q"], ["claim", HEAVY[0]], ["check", "{doc}"]]


@pytest.mark.slow_hostile
@pytest.mark.parametrize("delay", [0.8, 1.6, 2.4])
@pytest.mark.parametrize("which", range(len(SIGNAL_RUNS)))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_end_the_run_and_every_child(sig: int, which: int, delay: float, tmp_path) -> None:
    p = tmp_path / "h.md"
    p.write_text(f"$$ {HEAVY[0]} $$\n\n{FALSE_EQ}\n", encoding="utf-8")
    args = [str(p) if a == "{doc}" else a for a in SIGNAL_RUNS[which]]
    r = signal_after(args, sig, delay)
    if r.rc in (0, 1):  # it finished before the signal
        assert not r.survivors
        return
    ended_by(r, sig)  # the work runs in workers (check, claim) or a watched child (verify), ended at once


@pytest.mark.slow_hostile
@pytest.mark.parametrize("budget,word", [(["--time-limit", "1"], "time limit of 1 s"),
                                         (["--max-memory", "200M"], "memory budget of 200M")])
def test_verify_past_its_budget_is_exit_2_naming_it(budget: list[str], word: str) -> None:
    r = clean(run("verify", "--m", "64", "--k", "64", "--n", "64", "-q", *budget, timeout=60), 2, seconds=5,
              budget_mb=600)
    one_error(r, word)
