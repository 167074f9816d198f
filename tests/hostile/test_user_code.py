"""check-impl and the user's code (issue 19, the "check-impl and user code" family): the user's module
runs in a watched child process under a time limit and a memory budget; whatever the code does
(loop, os._exit, sys.exit, allocate gigabytes, crash the interpreter, print into the JSON, close
its streams, leave processes and threads behind, return odd types), the run ends with 0, 1 or 2,
one error line naming what happened, no traceback and nothing left running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from .harness import clean, ended_by, one_error, run, signal_after

RIGHT = "return G @ W.T, Z.T @ G, G.sum(axis=0)\n"


def _module(tmp_path: Path, body: str, top: str = "") -> str:
    p = tmp_path / "user_backward.py"
    p.write_text("import os, sys, time\nimport numpy as np\n" + textwrap.dedent(top)
                 + "def backward(Z, W, b, G):\n" + textwrap.indent(textwrap.dedent(body), "    "), encoding="utf-8")
    return f"{p}:backward"


# (body of backward, words the one error line must hold)
ENDS = {
    "os._exit(0)": ("os._exit(0)\n", ["ended the process", "exit status 0"]),
    "os._exit(1)": ("os._exit(1)\n", ["ended the process", "exit status 1"]),
    "os._exit after a right call": ("backward.n = getattr(backward, 'n', 0) + 1\nif backward.n > 3:\n    os._exit(0)\n"
                                    + RIGHT.strip() + "\n", ["ended the process"]),
    "sys.exit(0)": ("sys.exit(0)\n", ["SystemExit"]),
    "SystemExit()": ("raise SystemExit()\n", ["SystemExit"]),
    "a segfault": ("import ctypes\nctypes.string_at(0)\n", ["died of SIGSEGV"]),
    "abort()": ("os.abort()\n", ["died of SIGABRT"]),
    "kills itself": ("os.kill(os.getpid(), 9)\n", ["died of SIGKILL"]),
    "input()": ("input()\n", ["EOFError"]),
    "reads stdin": ("sys.stdin.read()\nraise ValueError('no input')\n", ["ValueError"]),
    "recursion": ("def f(x):\n    return f(x) + 1\nreturn f(1)\n", ["RecursionError"]),
    "4 GiB at once": ("x = np.ones(1 << 29)\n" + RIGHT.strip() + "\n", ["memory budget", "--max-memory"]),
    "gigabytes bit by bit": ("keep = [bytearray(1 << 24) for _ in range(400)]\n" + RIGHT.strip() + "\n",
                             ["memory budget"]),
    "a huge list": ("x = [0] * (1 << 31)\n" + RIGHT.strip() + "\n", ["memory budget"]),
}


@pytest.mark.parametrize("name", list(ENDS))
def test_user_code_that_ends_or_crashes_the_process_is_exit_2_with_one_line(name: str, tmp_path) -> None:
    body, words = ENDS[name]
    r = clean(run("check-impl", _module(tmp_path, body), "--time-limit", "30", timeout=60), 2, seconds=31)
    one_error(r, "user_backward.py:backward", *words)


@pytest.mark.parametrize("where", ["os._exit(0)\n", "sys.exit(0)\n", "import ctypes\nctypes.string_at(0)\n",
                                   "while True:\n    pass\n"])
def test_user_code_that_misbehaves_at_import_is_exit_2(where: str, tmp_path) -> None:
    target = _module(tmp_path, RIGHT, top=where)
    r = clean(run("check-impl", target, "--time-limit", "3", timeout=30), 2, seconds=4.5)
    one_error(r, "user_backward.py")


LOOPS = {
    "a busy loop": "while True:\n    pass\n",
    "a loop in C": "while True:\n    np.linalg.inv(np.eye(300) + 1e-3)\n",
    "sleeping": "time.sleep(10_000)\n",
    "a child process left behind": "import subprocess\nsubprocess.Popen(['sleep', '1000'])\nwhile True:\n    pass\n",
    "ignores SIGTERM": "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "catches every exception": "while True:\n    try:\n        time.sleep(10)\n    except BaseException:\n        pass\n",
}


def _group_left(marker: str) -> list[str]:
    out = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.split()
    return [p for p in out if int(p) != os.getpid()]


@pytest.mark.slow_hostile
@pytest.mark.parametrize("name", list(LOOPS))
def test_user_code_that_never_returns_is_stopped_at_the_time_limit(name: str, tmp_path) -> None:
    target = _module(tmp_path, LOOPS[name])
    r = clean(run("check-impl", target, "--time-limit", "2", timeout=30), 2, seconds=3.5)
    one_error(r, "time limit of 2 s", "--time-limit")
    time.sleep(0.3)
    assert not _group_left("sleep 1000"), "a process the user's code started survived"


@pytest.mark.slow_hostile
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_looping_user_code_within_a_second(sig: int, tmp_path) -> None:
    target = _module(tmp_path, LOOPS["catches every exception"])
    ended_by(signal_after(["check-impl", target], sig, 1.5), sig)
    assert not _group_left(str(tmp_path / "user_backward.py")), "the user's code survived"


PRINTS = {
    "print": "print('hello from the backward')\n",
    "print to stderr": "print('hello from the backward', file=sys.stderr)\n",
    "os.write(1, …)": "os.write(1, b'hello from the backward\\n')\n",
    "os.write(2, …)": "os.write(2, b'hello from the backward\\n')\n",
    "sys.stdout.write without a newline": "sys.stdout.write('hello from the backward')\n",
    "replaces sys.stdout": "sys.stdout = open(os.devnull, 'w')\nprint('hello from the backward', file=sys.stderr)\n",
}


@pytest.mark.parametrize("name", list(PRINTS))
def test_what_the_code_prints_never_enters_the_json(name: str, tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, PRINTS[name] + RIGHT), "--json"), 0)
    doc = json.loads(r.stdout)  # nothing but the JSON document on stdout
    assert doc["function"].endswith("user_backward.py:backward")
    assert "hello from the backward" not in r.stdout
    assert "hello from the backward" in r.stderr  # shown after the report, on stderr


def test_the_printed_output_follows_the_human_report(tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, PRINTS["print"] + RIGHT)), 0)
    assert "hello from the backward" not in r.stdout
    assert "correct:" in r.stdout
    assert r.stderr.splitlines()[0].startswith("── ") and "printed" in r.stderr.splitlines()[0]


@pytest.mark.parametrize("body", ["os.close(1)\nos.close(2)\n" + RIGHT, "sys.stdout = None\nsys.stderr = None\n" + RIGHT,
                                  "sys.stdout.close()\n" + RIGHT])
def test_code_that_closes_its_streams_never_loses_the_report(body: str, tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, body), "--json"), 0, 2)
    if r.rc == 0:
        json.loads(r.stdout)
    else:  # its second call meets the stream it closed: that is the code's error, reported as one line
        one_error(r, "user_backward.py:backward")


ODD = {
    "a string": "return 'dZ', 'dW', 'db'\n",
    "a dict": "return {1: 2}, None, 3\n",
    "None": "return None\n",
    "a generator": "return (x for x in range(3))\n",
    "one value": "return G\n",
    "five values": "return G, G, G, G, G\n",
    "a huge int": "return 10 ** 5000, Z.T @ G, G.sum(axis=0)\n",
    "objects": "return np.array([object()] * 6).reshape(3, 2), Z.T @ G, G.sum(axis=0)\n",
    "complex": "return (G @ W.T) * 1j, Z.T @ G, G.sum(axis=0)\n",
    "nan": "return G @ W.T * np.nan, Z.T @ G, G.sum(axis=0)\n",
    "an object whose __eq__ raises": "class X:\n    def __eq__(self, o):\n        raise RuntimeError('no')\n"
                                     "    __array_priority__ = 1000\nreturn X(), X(), X()\n",
}


WRONG_TYPE = {"a string", "a dict", "None", "a generator", "one value", "five values", "an object whose __eq__ raises"}


@pytest.mark.parametrize("name", list(ODD))
def test_odd_return_values_are_a_finding_or_one_line(name: str, tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, ODD[name]), "--json"), 2 if name in WRONG_TYPE else 1)
    if r.rc == 1:  # numbers, wrong ones (NaN, complex, a 5,000-digit int, object entries): a finding
        assert json.loads(r.stdout)["ok"] is False
    else:
        one_error(r, "user_backward.py:backward")


@pytest.mark.parametrize("option", ["--m", "--k", "--n"])
def test_a_huge_size_is_refused_before_any_allocation(option: str, tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, RIGHT), option, "1000000000"), 2)  # 14.9 GiB were it allocated
    one_error(r)


def test_the_default_time_limit_is_documented() -> None:
    from symderiv.cli.impl import DEFAULT_SECONDS

    text = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")
    assert f"{DEFAULT_SECONDS:g} s" in text and "check-impl" in text


def test_a_right_backward_still_passes_in_the_cage(tmp_path) -> None:
    r = clean(run("check-impl", _module(tmp_path, RIGHT)), 0)
    assert "correct:" in r.stdout and not r.stderr.strip()
