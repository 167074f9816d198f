"""[tool.symderiv]: every documented key read, an unknown key rejected with a did-you-mean, a wrong type
rejected in one line (exit 2); the keys documented in docs/check.md are exactly the keys accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from symderiv.documents import config
from symderiv.errors import BadInput

from .helpers import CONTEXT, FAILS, HOLDS, ROOT, symderiv


def write(folder: Path, body: str) -> Path:
    p = folder / "pyproject.toml"
    p.write_text("[project]\nname = 'notes'\n\n[tool.symderiv]\n" + body, encoding="utf-8")
    return p


def test_every_key_is_read(tmp_path: Path) -> None:
    write(tmp_path, 'context = "Y = X W; X: 2 x 3; W: 3 x 4"\nstrict = true\nconvention = "numerator"\n'
                    'exclude = ["drafts/"]\nextend-exclude = ["old.md"]\nignore = "tmp/*"\n')
    c = config.load([str(tmp_path)])
    assert (c.context, c.strict, c.convention) == ("Y = X W; X: 2 x 3; W: 3 x 4", True, "numerator")
    assert c.exclude == ["drafts/"] and c.ignore == ["tmp/*", "old.md"] and c.root == str(tmp_path.resolve())


def test_no_section_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    c = config.load([str(tmp_path)])
    assert (c.context, c.strict, c.convention, c.exclude, c.ignore) == (None, False, "gradient", None, [])


@pytest.mark.parametrize(("body", "message"), [
    ("stict = true\n", "unknown key 'stict' (did you mean 'strict'?)"),
    ("extend_exclude = []\n", "unknown key 'extend_exclude' (did you mean 'extend-exclude'?)"),
    ("colour = 1\n", "unknown key 'colour' (known keys: context, strict, convention"),
    ("strict = 'yes'\n", "strict must be true or false"),
    ("context = 3\n", "context must be a string"),
    ("convention = 'rows'\n", "convention must be gradient or numerator"),
    ("exclude = [1]\n", "exclude must be a list (or one string) of gitignore-style patterns"),
    ("extend-exclude = {a = 1}\n", "extend-exclude must be a list (or one string)"),
])
def test_a_bad_key_is_one_line_and_exit_2(tmp_path: Path, body: str, message: str) -> None:
    write(tmp_path, body)
    with pytest.raises(BadInput, match=re.escape(message)):
        config.load([str(tmp_path)])
    (tmp_path / "n.md").write_text(CONTEXT + HOLDS, encoding="utf-8")
    r = symderiv("check", "n.md", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("symderiv: error: ") and message in r.stderr


def test_broken_toml_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.symderiv\nstrict = true\n", encoding="utf-8")
    (tmp_path / "n.md").write_text(CONTEXT + HOLDS, encoding="utf-8")
    r = symderiv("check", "n.md", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("symderiv: error: cannot read ") and "Traceback" not in r.stderr


def test_the_configuration_changes_the_verdicts(tmp_path: Path) -> None:
    """Strict and the context really act (a config read but not applied would pass the key tests)."""
    (tmp_path / "n.md").write_text(FAILS.replace("G X^\\top", "X^\\top G"), encoding="utf-8")  # no context of its own
    assert symderiv("check", "n.md", "--strict", cwd=tmp_path).returncode == 1  # unchecked: no context
    write(tmp_path, 'context = "Y = X W; X: 2 x 3; W: 3 x 4"\nstrict = true\n')
    assert symderiv("check", "n.md", cwd=tmp_path).returncode == 0
    write(tmp_path, 'context = "Y = W X; W: 4 x 2; X: 2 x 3"\n')
    assert symderiv("check", "n.md", cwd=tmp_path).returncode == 1


def test_the_documented_keys_are_the_accepted_keys() -> None:
    text = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    section = text[text.index("## Options and configuration"):]
    section = section[:section.index("\n## ", 5)]
    documented = set(re.findall(r"^\| `([\w-]+)` \|", section[section.index("| key |"):], flags=re.M))
    assert documented == set(config.KEYS)
