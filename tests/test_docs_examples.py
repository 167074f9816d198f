"""Every `symderiv …` command shown in README.md and docs/*.md is run, and its exit
code checked, so that the documentation cannot drift from the behaviour.

The convention (also in docs/index.md and the README):

- Commands are found in code blocks only: fenced blocks tagged sh, bash, shell,
  console or untagged, and 4-space indented blocks. A command is a line that
  starts with `symderiv ` (or `$ symderiv ` in a console block), or a pipeline
  with `| symderiv ` in it. In a yaml block, a `run: symderiv …` step is one.
- The comment after the command says what it must exit with: `# exit N` is N,
  `# holds…` is 0, `# fails…` is 1, `# unchecked…` is 2, any other comment or
  none is 0. In a console block a following `$ echo $?` and number give the
  code instead, and every output line shown between the command and the next
  `$` must appear in the real output (stdout and stderr).
- `# not run: <reason>` skips a line that cannot run as shown; the reason is
  required and listed by `test_not_run_lines_give_a_reason`.
- Each block runs in a fresh temporary folder (files it writes never land in
  the repository), with its commands in order, through `bash -o pipefail`, with
  the installed `symderiv` first on PATH. Input files examples need (such as
  `notes.md` for `symderiv check notes.md`) live in examples/, whose files are
  copied into the folder first: the docs say to run the examples from examples/,
  so a reader who pastes them there gets what the docs show.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from symderiv.cli.common import EXIT_CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FIXTURES = ROOT / "examples"
BIN = Path(sys.executable).parent
SHELL_TAGS = {"", "sh", "bash", "shell", "console"}
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+-]*)")


@dataclass(frozen=True)
class Example:
    doc: str
    line: int  # 1-based line of the command in the document
    block: int  # the code block it is in (examples of one block share a folder)
    command: str
    expect: int | None  # None: not run
    reason: str = ""  # why not run
    output: tuple[str, ...] = ()  # lines a console block shows after the command

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def split_comment(line: str) -> tuple[str, str]:
    """The command and its trailing shell comment (a # outside quotes, after a blank)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def expectation(comment: str) -> tuple[int | None, str]:
    """(exit code, reason not run) from a command's comment."""
    low = comment.lower()
    if low.startswith("not run"):
        return None, comment.partition(":")[2].strip()
    found = re.match(r"exit (\d+)", low)
    if found:
        return int(found.group(1)), ""
    for word, code in (("holds", 0), ("fails", 1), ("unchecked", 2)):
        if low.startswith(word):
            return code, ""
    return 0, ""


def is_command(text: str) -> bool:
    return text.startswith("symderiv ") or text == "symderiv" or bool(re.search(r"\|\s*symderiv\b", text))


def _blocks(text: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """(tag, [(line number, line)]) for every fenced and indented code block."""
    lines = text.splitlines()
    blocks: list[tuple[str, list[tuple[int, str]]]] = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            marker, tag, body = fence.group(2), fence.group(3).lower(), []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(marker):
                body.append((i + 1, lines[i]))
                i += 1
            blocks.append((tag, body))
            i += 1
            continue
        if lines[i].startswith("    ") and (i == 0 or not lines[i - 1].strip()):
            body = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                if lines[i].strip():
                    body.append((i + 1, lines[i][4:]))
                i += 1
            blocks.append(("", body))
            continue
        i += 1
    return blocks


def examples_in(doc: str, text: str) -> list[Example]:
    out: list[Example] = []
    for number, (tag, body) in enumerate(_blocks(text)):
        if tag in ("yaml", "yml"):
            for line_no, line in body:
                step = re.match(r"\s*-?\s*run:\s*(.*)$", line)
                if step and is_command(step.group(1)):
                    command, comment = split_comment(step.group(1))
                    code, reason = expectation(comment)
                    out.append(Example(doc, line_no, number, command, code, reason))
            continue
        if tag not in SHELL_TAGS:
            continue
        console = tag == "console" or any(line.startswith("$ ") for _, line in body)
        for pos, (line_no, line) in enumerate(body):
            raw = line[2:] if console and line.startswith("$ ") else line
            if console and not line.startswith("$ "):
                continue
            if not is_command(raw.strip()):
                continue
            command, comment = split_comment(raw.strip())
            code, reason = expectation(comment)
            shown: list[str] = []
            if console:
                rest = body[pos + 1:]
                for k, (_, after) in enumerate(rest):
                    if after.startswith("$ "):
                        if after.strip() == "$ echo $?" and k + 1 < len(rest) and rest[k + 1][1].strip().isdigit():
                            code = int(rest[k + 1][1].strip()) if not comment else code
                        break
                    shown.append(after)
            out.append(Example(doc, line_no, number, command, code, reason, tuple(shown)))
    return out


def all_examples() -> list[Example]:
    found: list[Example] = []
    for path in DOCS:
        found += examples_in(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    return found


EXAMPLES = all_examples()
RUN = [e for e in EXAMPLES if e.expect is not None]


def prepare(folder: Path) -> None:
    if FIXTURES.is_dir():
        for item in FIXTURES.iterdir():
            (shutil.copytree if item.is_dir() else shutil.copy)(item, folder / item.name)


def run_example(example: Example, folder: Path) -> list[str]:
    """Run one example in `folder`; the problems found (empty when it behaves as documented)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1", "COLUMNS": "100"}
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", example.command], cwd=folder, capture_output=True,
                          text=True, timeout=300, env=env, stdin=subprocess.DEVNULL)
    problems = []
    if proc.returncode != example.expect:
        problems.append(f"{example.id}: `{example.command}` exited {proc.returncode}, the doc says {example.expect}"
                        f"\n  stderr: {proc.stderr.strip()[:500]}")
    both = proc.stdout + proc.stderr
    for line in example.output:
        if line.strip() and line.strip() not in both:
            problems.append(f"{example.id}: the doc shows {line.strip()!r}, the command printed {both.strip()[:500]!r}")
    return problems


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    made: dict[tuple[str, int], Path] = {}
    for e in RUN:
        key = (e.doc, e.block)
        if key not in made:
            made[key] = tmp_path_factory.mktemp("docs")
            prepare(made[key])
    return made


def test_the_docs_have_examples() -> None:
    docs = {e.doc for e in RUN}
    assert {"README.md", "docs/claims.md", "docs/latex.md", "docs/ci.md"} <= docs, docs
    assert len(RUN) >= 20
    assert {e.expect for e in RUN} >= {0, 1, 2}  # examples of success, failure and bad input


@pytest.mark.parametrize("example", RUN, ids=[e.id for e in RUN])
def test_example_exits_as_documented(example: Example, folders: dict[tuple[str, int], Path]) -> None:
    problems = run_example(example, folders[(example.doc, example.block)])
    assert not problems, "\n".join(problems)


def test_not_run_lines_give_a_reason() -> None:
    skipped = [e for e in EXAMPLES if e.expect is None]
    for e in skipped:
        assert len(e.reason) >= 8, f"{e.id}: '# not run:' needs a reason"
    print("\n".join(f"not run: {e.id}: {e.command}  ({e.reason})" for e in skipped))


# --- the checker itself: it finds commands, reads their comments, and catches a changed example ---


SAMPLE = """# A page

    symderiv verify --m 0                 # exit 2: sizes start at 1
    symderiv claim 'a # b = c'            # holds

```console
$ symderiv verify --latex /nonexistent/dir/x.tex
symderiv: error: cannot write /nonexistent/dir/x.tex: the folder /nonexistent/dir does not exist
$ echo $?
2
```

```python
symderiv = 1  # not a command
```

```yaml
- run: symderiv claims -q
```

    symderiv check notes.md   # not run: the file is the reader's own
"""


def test_the_parser_reads_the_convention() -> None:
    found = examples_in("sample.md", SAMPLE)
    assert [(e.line, e.command, e.expect) for e in found] == [
        (3, "symderiv verify --m 0", 2),
        (4, "symderiv claim 'a # b = c'", 0),  # a # inside quotes is not a comment
        (7, "symderiv verify --latex /nonexistent/dir/x.tex", 2),
        (18, "symderiv claims -q", 0),
        (21, "symderiv check notes.md", None),
    ]
    assert found[2].output == ("symderiv: error: cannot write /nonexistent/dir/x.tex: the folder /nonexistent/dir "
                               "does not exist",)
    assert found[4].reason == "the file is the reader's own"


def test_a_changed_example_is_caught(tmp_path: Path) -> None:
    """Negative controls: a wrong exit code and a wrong shown output are both reported."""
    wrong_code = Example("x.md", 1, 0, "symderiv claim 'dY/dW = X^T' --context 'Y = X W'", 0)  # it fails: exit 1
    assert any("exited 1, the doc says 0" in p for p in run_example(wrong_code, tmp_path))
    right_code = Example("x.md", 1, 0, "symderiv claim 'dY/dW = X^T' --context 'Y = X W'", 1)
    assert run_example(right_code, tmp_path) == []
    wrong_output = Example("x.md", 1, 0, "symderiv verify --m 0", 2, output=("symderiv: error: all is well",))
    assert any("the doc shows" in p for p in run_example(wrong_output, tmp_path))
    edited = SAMPLE.replace("--m 0                 # exit 2", "--m 3                 # exit 2")
    (changed,) = [e for e in examples_in("sample.md", edited) if e.line == 3]
    assert run_example(changed, tmp_path)  # the example changed, the comment did not: caught


# --- one exit-code table, word for word, in the README, docs/ci.md and --help ---------------------


@pytest.mark.parametrize("doc", ["README.md", "docs/ci.md"])
def test_the_exit_code_table_is_the_same_everywhere(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", text, flags=re.M)
    assert [(int(c), m) for c, m in rows] == list(EXIT_CODES)


def test_ci_job_installs_from_the_repository() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    job = text[text.index("```yaml", text.index("## A CI job")):]
    job = job[:job.index("```", 7)]
    for step in ("actions/checkout@", "actions/setup-python@", "python -m pip install .", "run: symderiv verify"):
        assert step in job, step
    assert not re.search(r"pip install symderiv\b", text)
    assert "make " not in job  # the job needs nothing but pip and the checkout


def test_fixtures_reach_the_examples(tmp_path: Path) -> None:
    """Input files in examples/ are in the folder an example runs in (e.g. notes.md)."""
    prepare(tmp_path)
    assert (tmp_path / "notes.md").read_text(encoding="utf-8").startswith("# Notes")
    uses = Example("x.md", 1, 0, "test -f notes.md && symderiv claims -q", 0)
    assert run_example(uses, tmp_path) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_example(uses, empty)  # negative control: without the fixture the same example fails
