"""Family: output streams and exit codes (issue 19, item 7). A report that cannot be written is exit 2
with one line (or exit 2 alone when stderr is gone too); a reader that leaves early keeps the exit the
findings earned; an encoding without the math symbols still gets the whole report, in ASCII."""

from __future__ import annotations

import os
import subprocess

import pytest

from .harness import FALSE_EQ, SCRIPT, TRUE_EQ, clean, one_error, run


@pytest.fixture
def doc(tmp_path):
    p = tmp_path / "notes.md"
    p.write_text(f"# notes\n\n{TRUE_EQ}\n\n{FALSE_EQ}\n", encoding="utf-8")
    return str(p)


COMMANDS = [
    ["check", "{doc}"],
    ["check", "{doc}", "--format", "json"],
    ["claim", "(AB)^T = A^T B^T"],
    ["claim", "(AB)^T = B^T A^T", "--json"],
    ["verify"],
    ["claims"],
]
EARNED = {0: 1, 1: 1, 2: 1, 3: 0, 4: 0, 5: 0}  # the exit each command earns with a reader present


def _args(cmd: list[str], doc: str) -> list[str]:
    return [a.format(doc=doc) for a in cmd]


@pytest.mark.parametrize("i", range(len(COMMANDS)))
def test_full_disk_is_exit_2_with_one_line(i: int, doc: str) -> None:
    with open("/dev/full", "w") as full:
        r = clean(run(*_args(COMMANDS[i], doc), stdout=full.fileno()), 2)
    one_error(r, "stdout", "no space")


@pytest.mark.parametrize("i", range(len(COMMANDS)))
def test_closed_stdout_is_exit_2_with_one_line(i: int, doc: str) -> None:
    r = subprocess.run(["bash", "-c", 'exec "$0" "$@" >&-', SCRIPT, *_args(COMMANDS[i], doc)],
                       stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: ") and "stdout" in lines[0], r.stderr


@pytest.mark.parametrize("i", range(len(COMMANDS)))
def test_closed_stdout_and_stderr_is_exit_2_alone(i: int, doc: str) -> None:
    r = subprocess.run(["bash", "-c", 'exec "$0" "$@" >&- 2>&-', SCRIPT, *_args(COMMANDS[i], doc)], timeout=120)
    assert r.returncode == 2


@pytest.mark.parametrize("i", range(len(COMMANDS)))
def test_full_disk_and_closed_stderr_is_exit_2_alone(i: int, doc: str) -> None:
    r = subprocess.run(["bash", "-c", 'exec "$0" "$@" >/dev/full 2>&-', SCRIPT, *_args(COMMANDS[i], doc)], timeout=120)
    assert r.returncode == 2


@pytest.mark.parametrize("i", range(len(COMMANDS)))
def test_broken_pipe_keeps_the_exit_the_findings_earned(i: int, doc: str) -> None:
    r = subprocess.run(["bash", "-c", '"$0" "$@" | head -c 1 >/dev/null; exit ${PIPESTATUS[0]}', SCRIPT,
                        *_args(COMMANDS[i], doc)], stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == EARNED[i], r.stderr
    assert r.stderr == "", r.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["verify", "--help"], ["--show-completion", "bash"],
                                  ["--show-completion", "zsh"], ["claims"], ["--version"]])
def test_head_1_prints_no_traceback(args: list[str]) -> None:
    r = subprocess.run(["bash", "-c", '"$0" "$@" | head -1 >/dev/null; exit ${PIPESTATUS[0]}', SCRIPT, *args],
                       stderr=subprocess.PIPE, text=True, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "1", "", "99999999999999999999999"])
def test_odd_columns_still_print_the_whole_report(columns: str, doc: str) -> None:
    r = clean(run("check", doc, env={"COLUMNS": columns}), 1)
    assert "A^T B^T" in r.stdout and "1 fails" in r.stdout


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_an_encoding_without_math_symbols_still_gets_the_whole_report(encoding: str, doc: str) -> None:
    r = clean(run("check", doc, "--verbose", env={"PYTHONIOENCODING": encoding}), 1)
    assert "1 holds, 1 fails" in r.stdout and "A^T B^T" in r.stdout
    c = clean(run("claim", "dL/dW = Z^T G", env={"PYTHONIOENCODING": encoding}), 0)
    assert "holds" in c.stdout
    v = clean(run("verify", env={"PYTHONIOENCODING": encoding}), 0)
    assert "dL/dW" in v.stdout or "∂L/∂W" in v.stdout.replace("d", "∂") or v.stdout


def test_ascii_json_stays_valid_json(doc: str) -> None:
    import json

    r = clean(run("check", doc, "--format", "json", env={"PYTHONIOENCODING": "ascii"}), 1)
    data = json.loads(r.stdout)
    assert data["schema"] == "symderiv.check/1"


@pytest.mark.parametrize("value", ["inf", "1e308", "nan", "0", "-1", "-inf", "abc", "1e999"])
def test_time_limit_must_be_finite_and_positive(value: str, doc: str) -> None:
    one_error(clean(run("check", doc, "--time-limit", value), 2), "--time-limit")


@pytest.mark.parametrize("value", ["12Q", "0", "1", "-1G", "1e9", "G"])
def test_max_memory_must_be_an_amount(value: str, doc: str) -> None:
    one_error(clean(run("check", doc, "--max-memory", value), 2), "--max-memory")


@pytest.mark.parametrize("context", ["X: (((", "Y = X W +", "))", "X: 3 x", "X: 99999999999999999999 x 2"])
def test_an_unreadable_context_is_exit_2(context: str, doc: str) -> None:
    one_error(clean(run("check", doc, "--context", context), 2), "context")


def test_an_unreadable_configured_context_is_exit_2(tmp_path, doc: str) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.symderiv]\ncontext = "X: (("\n')
    one_error(clean(run("check", doc), 2), "pyproject.toml", "context")


@pytest.mark.parametrize("toml", ["tool = 5\n", "tool = 'x'\n", "[tool]\nsymderiv = 3\n", "[tool.symderiv]\nstrict = 'y'\n",
                                  "[tool.symderiv]\nignore = 4\n", "[tool.symderiv]\ncontext = 4\n", "tool = [\n"])
def test_configuration_of_the_wrong_type_is_exit_2(toml: str, tmp_path, doc: str) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    one_error(clean(run("check", doc), 2), "pyproject.toml")


@pytest.mark.parametrize("name", ["a\nb.md", "\x1b[31mred.md", "tab\there.md", "bell\x07.md", "cr\rx.md"])
def test_control_characters_in_file_names_are_escaped(name: str, tmp_path) -> None:
    r = clean(run("check", str(tmp_path / name)), 2)
    one_error(r, "cannot read")
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "\r" not in r.stderr
    assert "\x1b" not in r.stdout


@pytest.mark.parametrize("value,on", [("0", False), ("false", False), ("False", False), ("", False), ("no", False),
                                      ("1", True), ("true", True), ("TRUE", True)])
def test_symderiv_debug_reads_0_1_true_false(value: str, on: bool, tmp_path) -> None:
    # a config file that sinks the run with an internal error is not at hand: use a planted one through -c python
    code = ("import sys, symderiv.cli.verify as v\n"
            "def boom(*a, **k): raise RuntimeError('planted')\n"
            "v.run_verify = boom\nsys.argv = ['symderiv', 'verify']\nfrom symderiv.cli import main\nmain()\n")
    env = {**os.environ, "SYMDERIV_DEBUG": value}
    r = subprocess.run([os.path.join(os.path.dirname(SCRIPT), "python"), "-c", code], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 3
    assert ("Traceback" in r.stderr) == on, r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("symderiv: error: internal error: RuntimeError: planted")
