"""Running the console script the way a hostile user would, and the checks every
hostile case shares: an exit code from the table, at most one error line, no
traceback, the peak memory of the child (os.wait4's rusage) under the budget,
and the wall time under the limit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPT = str(Path(sys.executable).parent / "symderiv")
BUDGET_MB = 1024 + 256  # the default 1 GiB budget of a worker plus the parent's own interpreter
EXITS = {0, 1, 2, 130}


@dataclass
class Result:
    rc: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float

    @property
    def errors(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run(*args: str, stdin: bytes | str | None = None, env: dict[str, str] | None = None, timeout: float = 120,
        cwd: str | None = None, stdout: int | None = None, stderr: int | None = None) -> Result:
    """Run `symderiv ARGS`; stdout/stderr may be file descriptors to hand over instead of pipes."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("SYMDERIV_DEBUG", None) if "SYMDERIV_DEBUG" not in (env or {}) else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if data is not None:
            inp.write(data)
            inp.seek(0)
        start = time.monotonic()
        proc = subprocess.Popen([SCRIPT, *args], stdin=inp if data is not None else subprocess.DEVNULL,
                                stdout=out if stdout is None else stdout, stderr=err if stderr is None else stderr,
                                env=full_env, cwd=cwd, start_new_session=True)
        deadline = start + timeout
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, 9)
                pid, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise AssertionError(f"symderiv {' '.join(a[:40] for a in args)} ran past {timeout} s")
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Result(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                      usage.ru_maxrss / 1024, seconds)


def clean(r: Result, *codes: int, budget_mb: float = BUDGET_MB, seconds: float | None = None, max_errors: int = 1) -> Result:
    """The shared assertions: the exit code (one of `codes`, always one of 0/1/2/130), no traceback,
    at most one error line (exactly one `symderiv: error:` line when the exit is 2 from an error), memory
    and time within bounds."""
    assert r.rc in EXITS, (r.rc, r.stderr[-2000:])
    if codes:
        assert r.rc in codes, (r.rc, codes, r.stderr[-2000:], r.stdout[-2000:])
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr[-3000:]
    errors = [line for line in r.errors if line.startswith("symderiv: error:")]
    assert len(errors) <= max_errors, r.stderr
    assert not any("internal error" in e for e in errors), errors
    assert r.peak_mb < budget_mb, f"peak {r.peak_mb:.0f} MB"
    if seconds is not None:
        assert r.seconds < seconds, f"{r.seconds:.1f} s"
    return r


def one_error(r: Result, *words: str) -> str:
    """Exactly one stderr line, an error naming `words`."""
    assert len(r.errors) == 1, r.stderr
    line = r.errors[0]
    assert line.startswith("symderiv: error: "), line
    for w in words:
        assert w.lower() in line.lower(), (w, line)
    return line


FALSE_EQ = "$$ (AB)^T = A^T B^T $$"  # a false equation: whatever else is in the file, it must be reported
TRUE_EQ = "$$ (AB)^T = B^T A^T $$"


def reports_false(r: Result) -> bool:
    """The human or JSON report names the false equation as a fail."""
    return r.rc == 1 and ("fails" in r.stdout) and "A^T B^T" in r.stdout


def descendants(pid: int) -> list[int]:
    """Every descendant of `pid` (children, grandchildren, …)."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    kids = [int(x) for x in out]
    return kids + [g for k in kids for g in descendants(k)]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@dataclass
class Signalled:
    rc: int
    stderr: str
    took: float  # seconds from the signal to the exit
    survivors: list[int]  # descendants at the signal still alive after the exit


def signal_after(args: list[str], sig: int, delay: float) -> Signalled:
    """Start `symderiv ARGS`, send `sig` after `delay` seconds, wait for the exit."""
    proc = subprocess.Popen([SCRIPT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(delay)
    kids = descendants(proc.pid)
    proc.send_signal(sig)
    sent = time.monotonic()
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)
    took = time.monotonic() - sent
    time.sleep(0.3)
    return Signalled(proc.returncode, err.decode("utf-8", "replace"), took, [k for k in kids if alive(k)])


def ended_by(r: Signalled, sig: int) -> None:
    """Within a second of the signal: SIGINT is exit 130 with one line, SIGTERM death by the signal; no survivor."""
    assert not r.survivors, "a child survived"
    assert r.took < 1.0, r.took  # issue 19: within a second
    if sig == signal.SIGINT:
        assert r.rc == 130
        assert r.stderr.splitlines() == ["symderiv: error: interrupted"]
    else:
        assert r.rc == -signal.SIGTERM
        assert "Traceback" not in r.stderr
