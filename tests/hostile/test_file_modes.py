"""Family: file modes (issue 19, item 11): an overwritten output keeps its permissions; a new one follows the umask."""

from __future__ import annotations

import os
import stat

import pytest

from .harness import clean, run


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o664, 0o400 | 0o200, 0o755])
@pytest.mark.parametrize("option", ["--latex", "--markdown"])
def test_an_overwritten_file_keeps_its_mode(mode: int, option: str, tmp_path) -> None:
    p = tmp_path / "out.txt"
    p.write_text("old\n")
    os.chmod(p, mode)
    clean(run("verify", option, str(p), "-q"), 0)
    assert stat.S_IMODE(os.stat(p).st_mode) == mode
    assert p.read_text() != "old\n"


def test_a_new_file_follows_the_umask(tmp_path) -> None:
    p = tmp_path / "new.tex"
    r = run("verify", "--latex", str(p), "-q", env={})
    clean(r, 0)
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o666 & ~mask
