"""Packaging: the wheel carries the LICENSE, the JSON schemas and KaTeX; the sdist carries docs, tests'
data and examples; and the wheel, installed in a fresh virtual environment outside the repository,
runs verify, claim, check (with a configuration file), prove and check-impl, on this Python and on
3.10 and the newest Python the machine has (pyenv's), where their packages are installable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .helpers import FAILS, HOLDS, ROOT

PYENV = Path(os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))) / "versions"


def test_the_schemas_in_the_package_are_the_documented_ones() -> None:
    docs = sorted(p.name for p in (ROOT / "docs" / "schema").glob("*.json"))
    package = sorted(p.name for p in (ROOT / "symderiv" / "schemas").glob("*.json"))
    assert docs == package and docs
    for name in docs:
        assert (ROOT / "docs" / "schema" / name).read_bytes() == (ROOT / "symderiv" / "schemas" / name).read_bytes(), name


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0:
        pytest.fail(f"python -m build failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return out


@pytest.mark.slow
def test_wheel_contents(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for schema in ("check-1", "verify-1", "claim-1", "impl-1"):
        assert f"symderiv/schemas/{schema}.json" in names
    assert "symderiv/claims/claim.lark" in names and "symderiv/py.typed" in names
    assert "symderiv/documents/formats/assets/katex/katex.min.js" in names
    assert sum(n.endswith(".woff2") for n in names) >= 10
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Project-URL: Homepage," in meta and "Classifier: Programming Language :: Python :: 3.10" in meta
    assert "Requires-Dist: torch<3,>=2.1; extra == \"torch\"" in meta or "torch>=2.1" in meta
    assert 'tomli>=1.1; python_version < "3.11"' in meta


@pytest.mark.slow
def test_sdist_contents(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for need in ("LICENSE", "README.md", "action.yml", ".pre-commit-hooks.yaml", "docs/check.md", "docs/schema/check-1.json",
                 "tests/corpus/linear-notes.md", "tests/documents/schema/sarif-schema-2.1.0.json", "examples/linear_numpy.py"):
        assert need in names, need
    assert not any("node_modules" in n or "__pycache__" in n for n in names)


def pythons() -> list[str]:
    found = [sys.executable]
    for minor in ("3.10", "3.13", "3.12"):
        cands = sorted(PYENV.glob(f"{minor}.*/bin/python{minor}")) if PYENV.is_dir() else []
        if cands and not any(f"python{minor}" in p for p in found):
            found.append(str(cands[-1]))
            if minor == "3.13":
                break
    return found


SMOKE = """set -e
cd "$WORK"
symderiv verify --m 2 --k 2 --n 2 > /dev/null
symderiv claim 'dL/dW = X^T G' --context 'Y = X W' > /dev/null
symderiv prove > /dev/null
python -c "import symderiv, sys; assert 'site-packages' in symderiv.__file__, symderiv.__file__; \
from symderiv.schemas import load; assert load('check-1')"
symderiv check notes.md --html report.html -q
grep -q 'class="katex' report.html || grep -q 'katex' report.html
set +e; symderiv check bad.md -q; [ $? -eq 1 ] || exit 41
symderiv check-impl layer.py:backward > /dev/null || exit 42
printf '[tool.symderiv]\\nstict = true\\n' > pyproject.toml
symderiv check notes.md 2> err.txt; [ $? -eq 2 ] && grep -q "did you mean 'strict'" err.txt || exit 43
echo smoke-ok
"""


@pytest.mark.slow
@pytest.mark.parametrize("python", pythons(), ids=lambda p: Path(p).name)
def test_the_installed_wheel_outside_the_repository(dist: Path, python: str, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], capture_output=True,
                         text=True, timeout=900)
    if pip.returncode != 0:
        pytest.skip(f"{Path(python).name}: the package indexes here cannot install the dependencies: {pip.stderr[-300:]}")
    work = tmp_path / "work"
    work.mkdir()
    (work / "pyproject.toml").write_text('[tool.symderiv]\ncontext = "Y = X W; X: 2 x 3; W: 3 x 4"\nstrict = true\n',
                                         encoding="utf-8")
    (work / "notes.md").write_text(HOLDS, encoding="utf-8")  # holds only with the configured context
    (work / "bad.md").write_text(FAILS, encoding="utf-8")
    (work / "layer.py").write_text("def backward(Z, W, b, G):\n    return G @ W.T, Z.T @ G, G.sum(axis=0)\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}", WORK=str(work), NO_COLOR="1")
    r = subprocess.run(["bash", "-c", SMOKE], capture_output=True, text=True, timeout=600, env=env, cwd=work)
    assert r.returncode == 0 and "smoke-ok" in r.stdout, r.stdout[-2000:] + r.stderr[-2000:]
    assert not str(work).startswith(str(ROOT)) and shutil.which("symderiv", path=str(venv / "bin"))
