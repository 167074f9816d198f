"""Result files (--latex, --markdown): written whole or not at all, errors as one
line and exit 2, nothing left behind, and the same command gives the same bytes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from symderiv import output
from symderiv.errors import OutputError
from symderiv.output import write_output


def symderiv(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "symderiv", "verify", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


def assert_one_error_line(run: subprocess.CompletedProcess[str], *words: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symderiv: error: "), run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    for word in words:
        assert word in lines[0]


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("option", ["--latex", "--markdown"])
def test_missing_folder_exits_2(option: str, tmp_path: Path) -> None:
    run = symderiv(option, "/nonexistent/dir/x.tex", cwd=tmp_path)
    assert_one_error_line(run, "/nonexistent/dir/x.tex")
    assert not Path("/nonexistent").exists() and listing(tmp_path) == []


@pytest.mark.parametrize("option", ["--latex", "--markdown"])
def test_a_directory_as_the_file_exits_2_and_is_left_alone(option: str, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    run = symderiv(option, str(target), cwd=tmp_path)
    assert_one_error_line(run, "directory")
    assert listing(tmp_path) == ["out"] and listing(target) == ["keep.txt"]


def test_a_file_as_the_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    run = symderiv("--latex", str(tmp_path / "plain" / "x.tex"), cwd=tmp_path)
    assert_one_error_line(run)
    assert listing(tmp_path) == ["plain"] and (tmp_path / "plain").read_text() == "x"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc (a folder nobody can create files in)")
def test_an_unwritable_folder_exits_2() -> None:
    run = symderiv("--markdown", "/proc/x.md", cwd=Path("/tmp"))
    assert_one_error_line(run, "/proc/x.md")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_folder_exits_2_and_stays_empty(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        run = symderiv("--latex", str(folder / "x.tex"), cwd=tmp_path)
        assert_one_error_line(run)
        assert listing(folder) == []
    finally:
        folder.chmod(0o755)


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "derivation.tex"
    target.write_text("OLD " * 100_000)  # longer than the new text: no tail of it may survive
    before = target.stat().st_ino
    run = symderiv("--m", "3", "--k", "2", "--n", "4", "--latex", str(target), "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    fresh = symderiv("--m", "3", "--k", "2", "--n", "4", "--latex", "-", cwd=tmp_path).stdout
    assert target.read_text() == fresh and "OLD" not in fresh
    assert target.stat().st_ino != before  # a new file renamed over the old one, not rewritten in place
    assert listing(tmp_path) == ["derivation.tex"]


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    for n in (1, 2):
        run = symderiv("--m", "3", "--k", "2", "--n", "4", "--layout", "zwt", "--latex", f"a{n}.tex",
                       "--markdown", f"a{n}.md", "-q", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
    assert (tmp_path / "a1.tex").read_bytes() == (tmp_path / "a2.tex").read_bytes()
    assert (tmp_path / "a1.md").read_bytes() == (tmp_path / "a2.md").read_bytes()


def test_markdown_to_stdout_is_only_the_document(tmp_path: Path) -> None:
    run = symderiv("--markdown", "-", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.startswith("# ") and run.stderr == ""
    symderiv("--markdown", "x.md", "-q", cwd=tmp_path)
    assert (tmp_path / "x.md").read_text() == run.stdout


# --- write_output itself: failures mid-way leave the old file and no temporary ------------------


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.tex"
    target.write_text("old and whole")

    def refuse(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OutputError, match="No space left on device"):
        write_output(str(target), "new text")
    assert target.read_text() == "old and whole" and listing(tmp_path) == ["x.tex"]


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.md"
    target.write_text("old and whole")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()  # type: ignore[attr-defined]

        def write(self, text: str) -> None:
            self.fh.write(text[: len(text) // 2])  # type: ignore[attr-defined]
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(OutputError, match="Input/output error"):
        write_output(str(target), "new text " * 1000)
    assert target.read_text() == "old and whole" and listing(tmp_path) == ["x.md"]


def test_a_reader_sees_the_old_file_or_the_new_one_never_a_mix(tmp_path: Path) -> None:
    target = tmp_path / "x.tex"
    versions = ["A" * 400_000, "B" * 300_000]
    write_output(str(target), versions[0])
    seen: set[str] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(target.read_text())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(30):
            write_output(str(target), versions[i % 2])
    finally:
        done.set()
        reader.join()
    assert seen <= set(versions) and seen
    assert listing(tmp_path) == ["x.tex"]


# --- what is at the target: never replaced unless it is a regular file (issue 11) -------------------


def test_a_symlink_stays_a_link_and_its_target_gets_the_document(tmp_path: Path) -> None:
    real = tmp_path / "real.tex"
    real.write_text("old")
    link = tmp_path / "link.tex"
    link.symlink_to(real)
    run = symderiv("--latex", str(link), "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("\\documentclass") and listing(tmp_path) == ["link.tex", "real.tex"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "made.md")
    run = symderiv("--markdown", str(link), "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and (tmp_path / "made.md").read_text().startswith("# ")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_written_through_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    run = symderiv("--markdown", str(fifo), "-q", cwd=tmp_path)
    reader.join(timeout=120)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and listing(tmp_path) == ["pipe.md"]
    assert got and got[0].decode().startswith("# Gradients")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.tex"
    os.mkfifo(fifo)
    run = symderiv("--latex", str(fifo), cwd=tmp_path)
    assert_one_error_line(run, "pipe.tex", "nothing is reading")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_dev_null_is_written_through_and_stays_a_device(tmp_path: Path) -> None:
    run = symderiv("--latex", "/dev/null", "--markdown", "/dev/null", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and listing(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_dev_full_is_an_error_and_stays_a_device(tmp_path: Path) -> None:
    run = symderiv("--latex", "/dev/full", cwd=tmp_path)
    assert_one_error_line(run, "/dev/full", "No space left on device")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_bad_second_path_writes_nothing(tmp_path: Path) -> None:
    run = symderiv("--latex", "good.tex", "--markdown", "/nonexistent/x.md", cwd=tmp_path)
    assert_one_error_line(run, "/nonexistent/x.md")
    assert listing(tmp_path) == []
    (tmp_path / "good.tex").write_text("kept")
    run = symderiv("--latex", "good.tex", "--markdown", "/nonexistent/x.md", cwd=tmp_path)
    assert run.returncode == 2 and (tmp_path / "good.tex").read_text() == "kept"


def test_a_failure_while_writing_the_second_file_leaves_the_first_untouched(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.tex").write_text("old a")
    real_temp = output._temp
    calls: list[str] = []

    def second_fails(t: output.Target, data: bytes) -> str:
        calls.append(t.path)
        if len(calls) == 2:
            raise OutputError("cannot write b.md: Input/output error")
        return real_temp(t, data)

    monkeypatch.setattr(output, "_temp", second_fails)
    with pytest.raises(OutputError):
        output.write_outputs([(str(tmp_path / "a.tex"), "new a"), (str(tmp_path / "b.md"), "new b")])
    assert (tmp_path / "a.tex").read_text() == "old a" and listing(tmp_path) == ["a.tex"]


def test_an_empty_path_is_named_as_such(tmp_path: Path) -> None:
    run = symderiv("--latex", "", cwd=tmp_path)
    assert_one_error_line(run, "empty path")
    assert "directory" not in run.stderr


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    run = symderiv("--latex", "x.out", "--markdown", "./x.out", cwd=tmp_path)
    assert_one_error_line(run, "same file")
    assert listing(tmp_path) == []


def test_a_bad_path_fails_before_any_computation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """At 64³ the computation takes many seconds; a bad path must be refused before it starts."""
    from typer.testing import CliRunner

    import symderiv.cli.verify as cli_verify
    from symderiv.cli import app

    started: list[object] = []

    def never(spec: object, **kw: object) -> object:
        started.append(spec)
        raise AssertionError("the computation started")

    monkeypatch.setattr(cli_verify, "run_verify", never)
    size = ["--m", "64", "--k", "64", "--n", "64"]
    result = CliRunner().invoke(app, ["verify", *size, "--latex", "/nonexistent/dir/x.tex"])
    assert result.exit_code == 2 and started == []
    # negative control: with a good path the (planted) computation does start
    result = CliRunner().invoke(app, ["verify", *size, "--latex", str(tmp_path / "x.tex")])
    assert len(started) == 1 and not (tmp_path / "x.tex").exists()


def test_written_files_are_confirmed_on_stderr_unless_quiet(tmp_path: Path) -> None:
    run = symderiv("--latex", "d.tex", "--markdown", "d.md", "--no-steps", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    for name in ("d.tex", "d.md"):
        size = (tmp_path / name).stat().st_size
        assert f"symderiv: wrote {name} ({size:,} bytes)" in run.stderr.splitlines()
    quiet = symderiv("--latex", "d.tex", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_dev_stdout_is_stdout_even_when_redirected_to_a_file(tmp_path: Path) -> None:
    """The shell's file behind /dev/stdout is never resolved and replaced: /dev/stdout means '-'."""
    target = tmp_path / "out.tex"
    with target.open("w") as fh:
        inode = os.fstat(fh.fileno()).st_ino
        run = subprocess.run([sys.executable, "-m", "symderiv", "verify", "--latex", "/dev/stdout"], cwd=tmp_path,
                             stdout=fh, stderr=subprocess.PIPE, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    assert target.stat().st_ino == inode and listing(tmp_path) == ["out.tex"]
    same = symderiv("--latex", "-", cwd=tmp_path).stdout
    assert target.read_text() == same  # exactly what '-' prints: the document and nothing else


def test_dev_stderr_gets_the_document_through_the_stream(tmp_path: Path) -> None:
    run = symderiv("--markdown", "/dev/stderr", "-q", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout == "" and run.stderr.startswith("# Gradients")
    assert listing(tmp_path) == []
