"""`symderiv prove`: options in (the shared ones, and verify's outputs), the
index-notation proof (sympy, loaded here only), the same renderers out."""

from __future__ import annotations

from typing import Annotated

import typer

from ..shapes import Spec
from . import common
from .examples import epilog
from .root import app
from .verify import Fragment, Heading, HeadingLevel, Latex, Markdown, Outputs, Steps


@app.command(epilog=epilog("prove"))
def prove(
    layout: common.LayoutOpt = "zw",
    bias: common.Bias = True,
    loss: common.LossOpt = common.Loss.generic,
    steps: Steps = True,
    json_out: Annotated[bool, common.json_option("symderiv.verify/1, method index")] = False,
    latex: Latex = None,
    markdown: Markdown = None,
    fragment: Fragment = False,
    heading_level: Heading = HeadingLevel.section,
    quiet: common.Quiet = False,
    color: common.Color = None,
    version: common.Version = False,
) -> None:
    """Prove ∂L/∂W = ZᵀG, ∂L/∂Z = GWᵀ, ∂L/∂B = 1ᵀG and the Jacobian ∂a_ij/∂w_pq = z_ip δ_jq for every m, k, n,
    in index notation."""
    spec = Spec(layout=layout, bias=bias, loss=common.value(loss))
    outputs = Outputs(latex, markdown, json_out, fragment, heading_level)
    from ..prove.derivation import prove as run_prove

    derivation = run_prove(spec)
    outputs.deliver(derivation, quiet, color, steps)
    raise typer.Exit(0 if derivation.ok else 1)
