"""The command-line conventions every subcommand follows (docs/ci.md, symderiv/cli/common.py):
-h/--help, -V/--version, shell completion, choices listed in help and errors, no
<int>/<str>/<bool> placeholders, the same common options everywhere, --quiet's meaning."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from symderiv import __version__
from symderiv.cli import app, common

SCRIPT = Path(sys.executable).parent / "symderiv"
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def run(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120, input=stdin,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


def one_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: ") and proc.stdout == "", proc.stderr
    return lines[0]


def test_the_commands_are_there() -> None:
    assert {"verify", "claim", "claims"} <= set(COMMANDS)


@pytest.mark.parametrize("where", [[], *([c] for c in ["verify", "claim", "claims"])])
def test_h_is_help(where: list[str]) -> None:
    short, long = run(*where, "-h"), run(*where, "--help")
    assert short.returncode == 0 == long.returncode
    assert short.stdout == long.stdout and "Usage: symderiv" in short.stdout


@pytest.mark.parametrize("args", [["-V"], ["--version"], ["verify", "-V"], ["claims", "--version"]])
def test_version(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 0 and proc.stdout == f"symderiv {__version__}\n"


def test_show_completion_bash() -> None:
    proc = run("--show-completion", "bash")
    assert proc.returncode == 0, proc.stderr
    assert "_SYMDERIV_COMPLETE" in proc.stdout and "complete" in proc.stdout


def test_completion_offers_the_choices() -> None:
    env = {"_SYMDERIV_COMPLETE": "complete_bash", "COMP_WORDS": "symderiv verify --layout ", "COMP_CWORD": "3"}
    proc = run(env=env)
    assert proc.returncode == 0 and proc.stdout.split() == ["zw", "zwt"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lists_choices_and_shows_no_type_placeholders(command: str) -> None:
    text = run(command, "--help").stdout
    assert not re.search(r"<(int|str|bool|float|text|integer)>", text, flags=re.I), text
    if command in ("verify", "claim"):
        assert "[zw|zwt]" in text
    if command == "verify":
        assert "[generic|sumsq]" in text and "[section|subsection|none]" in text
    if command == "claim":
        assert "[gradient|numerator]" in text


def test_the_placeholder_check_can_fail() -> None:
    """Negative control: typer's own rendering of a plain int option does show <int>."""
    demo = typer.Typer()

    @demo.command()
    def cmd(size: int = typer.Option(3, "--size")) -> None:
        """Demo."""

    from typer.testing import CliRunner

    assert "<int>" in CliRunner().invoke(demo, ["--help"], env={"COLUMNS": "120"}).stdout


@pytest.mark.parametrize("args,words", [
    (["verify", "--layout", "foo"], ["--layout", "zw", "zwt"]),
    (["verify", "--loss", "foo"], ["--loss", "generic", "sumsq"]),
    (["verify", "--heading-level", "chapter", "--latex", "-"], ["--heading-level", "section", "subsection", "none"]),
    (["claim", "x = 1", "--convention", "foo"], ["--convention", "gradient", "numerator"]),
    (["claim", "x = 1", "--layout", "numerator"], ["--layout", "--convention numerator"]),
    (["claim", "x = 1", "--layout", "gradient"], ["--layout", "--convention gradient"]),
])
def test_errors_name_the_option_and_its_choices(args: list[str], words: list[str]) -> None:
    line = one_error(run(*args))
    for word in words:
        assert word in line, line
    if "--convention" in args:
        assert "layout" not in line


def _options(command: str, application: typer.Typer = app) -> set[str]:
    group = typer.main.get_command(application)
    cmd = group.commands[command]  # type: ignore[attr-defined]
    root = typer.Context(group, info_name="symderiv", **group.context_settings)
    ctx = typer.Context(cmd, info_name=command, parent=root)
    names: set[str] = set()
    for param in cmd.get_params(ctx):
        names.update(param.opts + param.secondary_opts)
    return names


COMMON = {"--json", "--quiet", "-q", "--color", "--no-color", "--version", "-V", "--help", "-h"}
LAYER = {"--m", "--k", "--n", "--layout"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_takes_the_common_options(command: str) -> None:
    missing = COMMON - _options(command)
    assert not missing, f"{command} lacks {sorted(missing)}: use symderiv/cli/common.py"
    if command in ("verify", "claim"):
        assert LAYER <= _options(command)


def test_the_common_option_check_can_fail() -> None:
    """Negative control: a command written without common.py's options is reported."""
    demo = typer.Typer()

    @demo.command()
    def one(json_out: bool = typer.Option(False, "--json")) -> None:
        """Demo."""

    @demo.command()
    def two(quiet: common.Quiet = False) -> None:
        """Demo."""

    assert COMMON - _options("one", demo) >= {"--quiet", "-q", "-V", "-h"}
    assert "--json" not in _options("two", demo)


def test_quiet_silences_the_report_but_not_the_json() -> None:
    assert "--json" in common.Quiet.__metadata__[0].help  # type: ignore[attr-defined]
    proc = run("verify", "--json", "-q")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout)["schema"] == "symderiv.verify/1"
    quiet = run("verify", "-q")
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    claims = run("claims", "-q")
    assert claims.returncode == 0 and claims.stdout == "" and claims.stderr == ""
    claim = run("claim", "dL/dW = Z^T G", "-q")
    assert claim.returncode == 0 and claim.stdout == ""


def test_help_prints_the_exit_code_table() -> None:
    text = " ".join(run("--help").stdout.replace("│", " ").split())
    for code, meaning in common.EXIT_CODES:
        assert f"{code} {meaning}" in text


# --- piped output: no formula split across lines; the rejected fallacy never reads as confirmed ---


def _formulas() -> list[str]:
    """Every formula the console prints for the default shape, built from the Derivation (not from the output)."""
    from symderiv import Spec, verify
    from symderiv.derivation import Comparison, Display, Listing
    from symderiv.notation import Grid
    from symderiv.render.console import _poly, to_text

    d = verify(Spec(3, 2, 4))
    out: list[str] = []
    for step in d.steps:
        for block in step.blocks:
            if isinstance(block, Listing):
                out += [to_text(node) for node in block.nodes]
            elif isinstance(block, Display) and not isinstance(getattr(block.node, "rhs", None), Grid):
                out.append(to_text(block.node))  # (a matrix is shown as a table of its entries)
            elif isinstance(block, Comparison) and block.marks is not None:
                out += [_poly(x) for row in block.derived.rows for x in row]
    out += [to_text(c.statement) for c in d.checks]
    return [f for f in out if len(f) > 20]


def _split(output: str, formulas: list[str]) -> list[str]:
    lines = output.splitlines()
    return [f for f in formulas if not any(f in line for line in lines)]


def test_piped_output_splits_no_formula() -> None:
    formulas = _formulas()
    assert len(formulas) > 30 and max(map(len, formulas)) > 80  # long enough to be split at 80 columns
    proc = run("verify", env={"COLUMNS": "80"})
    assert proc.returncode == 0
    assert _split(proc.stdout, formulas) == []
    rules = [ln for ln in proc.stdout.splitlines() if re.match(r"\d+\. .*────", ln)]
    assert rules and all(len(ln) <= 80 for ln in rules)  # the step rules keep the terminal width


def test_the_split_check_can_fail() -> None:
    """Negative control: the same report on an 80-column terminal does split formulas, and the check sees it."""
    from rich.console import Console

    from symderiv import Spec, verify
    from symderiv.render.console import render

    console = Console(width=80, force_terminal=True, no_color=True, record=True)
    with console.capture():
        render(verify(Spec(3, 2, 4)), console)
    assert _split(console.export_text(), _formulas())


def test_the_rejected_fallacy_is_not_marked_as_confirmed() -> None:
    out = run("verify").stdout
    (line,) = [ln for ln in out.splitlines() if "∂A/∂W = Zᵀ " in ln and "rejected" in ln]
    assert "✓" not in line and "✗" in line and "rejected, as expected" in line
    assert not re.search(r"fails.*✓|✓.*fails", out)
    heading = [ln for ln in out.splitlines() if ln.startswith("8. ")][0]
    assert "(holds)" not in heading and "(as expected)" in heading
    summary = [ln for ln in out.splitlines() if "jacobian_A_W_is_Zt" in ln][0]
    assert "✓" not in summary and "yes" in summary


def test_abridged_table_says_how_many_entries_are_hidden() -> None:
    proc = run("verify", "--m", "8", "--k", "8", "--n", "8")
    assert proc.returncode == 0
    hidden = [ln for ln in proc.stdout.splitlines() if "more entries" in ln]
    assert hidden and all("53 more entries" in ln for ln in hidden[:1])  # 64 entries of ∂L/∂W, 11 shown


@pytest.mark.parametrize("command", ["verify", "claims"])
def test_a_reader_closing_the_pipe_early_is_not_a_failure(command: str) -> None:
    """`symderiv verify | head -1`: rich alone would exit 1 ("not as expected"); the edge makes it 0, silently."""
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", f"'{SCRIPT}' {command} | head -1"], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "COLUMNS": "80"})
    assert proc.returncode == 0 and proc.stderr == "" and len(proc.stdout.splitlines()) == 1


def _terms(line: str) -> list[str]:
    return [t for t in re.split(r"\s*(?:=|\+|−)\s+", line.strip()) if t]


@pytest.mark.parametrize("width", [30, 50, 80])
def test_on_a_terminal_formulas_break_only_between_terms(width: int) -> None:
    import textwrap

    from symderiv.render.console import formula_lines

    formulas = [f for f in _formulas() if len(f) > width]
    assert formulas
    for text in formulas:
        lines = formula_lines("  " + text, width)
        assert " ".join(ln.strip() for ln in lines) == text  # nothing lost, nothing added
        whole = set(_terms(text))
        assert all(set(_terms(ln)) <= whole for ln in lines), lines  # every piece is a whole term
        assert all(len(ln) <= width for ln in lines if len(_terms(ln)) > 1)
    # negative control: plain word wrapping does cut a term (∂L/∂a₁₁ | z₁₁) somewhere, and the check sees it
    naive = [textwrap.wrap(f, width) for f in formulas]
    assert any(not set(_terms(ln)) <= set(_terms(f)) for f, lines in zip(formulas, naive) for ln in lines)


# --- packaging: typed, run installs the runtime only, bench rewrites no tracked file ----------------

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_typed() -> None:
    import symderiv

    assert (Path(symderiv.__file__).parent / "py.typed").is_file()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # shipped as package data


@pytest.mark.skipif(not (ROOT / ".git").exists() or not __import__("shutil").which("make"), reason="needs make and git")
def test_make_run_installs_no_dev_extra_and_bench_writes_no_tracked_file() -> None:
    fresh = {**os.environ, "VENV": "/nonexistent-venv"}  # a dry run as on a fresh machine
    run_plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, env=fresh).stdout
    test_plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, env=fresh).stdout
    assert "pip install" in run_plan and "[dev]" not in run_plan
    assert "'.[dev]'" in test_plan and ".ci/install-renderers" in test_plan
    source = (ROOT / "bench" / "run.py").read_text(encoding="utf-8")
    assert 'OUT = HERE / "out"' in source and '(HERE / "results.json")' not in source
    ignored = subprocess.run(["git", "check-ignore", "-q", "bench/out/results.json"], cwd=ROOT)
    assert ignored.returncode == 0  # bench/out is ignored by git
    tracked = subprocess.run(["git", "ls-files", "bench"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not [f for f in tracked if f.startswith("bench/out/") or f.endswith(".json")]
