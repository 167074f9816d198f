"""`--framework torch`: an autograd.Function checked through apply and backward, plain
functions on tensors, TF32 off while checking. Skips cleanly where torch is absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from symderiv.impl import check_impl  # noqa: E402
from symderiv.impl.torch import exact_matmul, is_autograd_function  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "linear_torch.py")
SCRIPT = Path(sys.executable).parent / "symderiv"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), "check-impl", *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "NO_COLOR": "1"})


class ZWFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z, W, b):
        ctx.save_for_backward(Z, W)
        return Z @ W + b

    @staticmethod
    def backward(ctx, G):
        Z, W = ctx.saved_tensors
        return G @ W.T, Z.T @ G, G.sum(0)


class NoBiasSignFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, Z, W):
        ctx.save_for_backward(Z, W)
        return Z @ W

    @staticmethod
    def backward(ctx, G):
        Z, W = ctx.saved_tensors
        return G @ W.T, -(Z.T @ G)  # wrong: the sign


def test_example_function_passes_and_buggy_one_is_named() -> None:
    ok = run(f"{EXAMPLE}:LinearFn", "--layout", "zwt")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "torch on cpu, TF32 matmul off" in ok.stdout
    from symderiv.impl.loading import load

    doc = check_impl(load(f"{EXAMPLE}:BuggyLinearFn"), "buggy", layout="zwt").json()  # in-process: no second torch start-up
    import json as _json

    import jsonschema

    jsonschema.validate(doc, _json.loads((ROOT / "docs" / "schema" / "impl-1.json").read_text(encoding="utf-8")))
    assert doc["ok"] is False and doc["framework"] == "torch" and doc["mode"] == "integer"
    assert doc["outputs"]["dW"]["finding"]["mistake"] == "input clamped at zero"


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_autograd_function_in_both_dtypes(dtype: str) -> None:
    assert is_autograd_function(ZWFn) and not is_autograd_function(lambda: 0)
    report = check_impl(ZWFn, "ZWFn", dtype=dtype)
    assert report.ok and report.framework == "torch", report.text()
    big = check_impl(ZWFn, "ZWFn", m=130, k=70, n=66, dtype=dtype, trials=1)
    assert big.ok and (65, 129, 257) in big.shapes


def test_no_bias_function_sign_is_caught() -> None:
    report = check_impl(NoBiasSignFn, "nb", bias=False)
    f = report.findings["dW"]
    assert f is not None and f.mistake == "sign flipped" and report.findings["dZ"] is None


def test_wrong_shape_that_autograd_refuses_is_the_users_mistake_named() -> None:
    """autograd rejects a gradient of the wrong shape; what the backward returned is judged and named (exit 1)."""
    class Transposed(torch.autograd.Function):
        @staticmethod
        def forward(ctx, Z, W, b):
            ctx.save_for_backward(Z, W)
            return Z @ W + b

        @staticmethod
        def backward(ctx, G):
            Z, W = ctx.saved_tensors
            return G @ W.T, G.T @ Z, G.sum(0)

    report = check_impl(Transposed, "T")
    f = report.findings["dW"]
    assert f is not None and f.mistake == "transposed" and f.got_shape == (4, 2), report.text()
    assert report.findings["dZ"] is None and any("autograd refused" in n for n in report.notes)


def test_plain_function_on_tensors() -> None:
    def backward(Z, W, b, G):
        return G @ W.T, Z.T @ G, G.sum(0)

    def buggy(Z, W, b, G):
        return G @ W.T, Z.T @ G, G.mean(0)

    assert check_impl(backward, "plain", framework="torch").ok
    bad = check_impl(buggy, "plain", framework="torch").findings["db"]
    assert bad is not None and bad.mistake == "scaled by 1/m"


def test_tf32_is_off_while_checking_and_restored() -> None:
    torch.backends.cuda.matmul.allow_tf32 = True
    with exact_matmul() as state:
        assert state == {"allow_tf32": False, "cudnn_allow_tf32": False}
        assert torch.get_float32_matmul_precision() == "highest"
    assert torch.backends.cuda.matmul.allow_tf32 is True
    torch.backends.cuda.matmul.allow_tf32 = False


def test_a_session_that_mixed_the_two_tf32_apis_is_still_checked() -> None:
    """torch refuses to read the matmul precision once its newer API and the legacy flags were both used
    (as a notebook or a test session may have done): the check still runs, TF32 still off, nothing is left changed."""
    before = torch.backends.cuda.matmul.allow_tf32
    torch.set_float32_matmul_precision("high")
    torch.backends.cuda.matmul.allow_tf32 = False
    with pytest.raises(RuntimeError):
        torch.get_float32_matmul_precision()  # the state the check meets
    try:
        with exact_matmul() as state:
            assert state == {"allow_tf32": False, "cudnn_allow_tf32": False}
        assert torch.backends.cuda.matmul.allow_tf32 is False

        def backward(Z, W, b, G):
            return G @ W.T, Z.T @ G, G.sum(0)

        def buggy(Z, W, b, G):
            return G @ W.T, Z.T @ G, G.mean(0)

        assert check_impl(backward, "plain", framework="torch").ok
        assert check_impl(buggy, "plain", framework="torch").findings["db"].mistake == "scaled by 1/m"
    finally:
        torch.set_float32_matmul_precision("highest")  # a consistent state again for the tests that follow
        torch.backends.cuda.matmul.allow_tf32 = before


def test_symbolic_mode_refused_for_torch() -> None:
    from symderiv.errors import SymderivError

    with pytest.raises(SymderivError):
        check_impl(ZWFn, "ZWFn", mode="symbolic")
