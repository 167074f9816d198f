"""What a document means, read from its statements' trees: the loss it
differentiates under another letter, a worked example's symbolic sizes, Einstein's
convention when stated (and both readings when not), prose conditions and loop
ranges that never become context. Each case carries a false twin that must fail."""

from __future__ import annotations

from pathlib import Path

from symderiv.documents.run import Options, check_files

HEAD = "Let $Y = X W$ with $X \\in \\mathbb{R}^{N \\times D}$, $W \\in \\mathbb{R}^{D \\times M}$.\n\n"


def _findings(tmp_path: Path, body: str, name: str = "doc.md") -> list:
    doc = tmp_path / name
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    return rep.findings


def _verdicts(tmp_path: Path, body: str, name: str = "doc.md") -> list[tuple[int, str]]:
    return [(f.line, f.verdict) for f in _findings(tmp_path, body, name) if f.verdict != "definition"]


def test_a_loss_under_another_letter_is_downstream_of_the_layer(tmp_path: Path) -> None:
    for letter in ("E", "J", "C", "l"):
        body = HEAD + (f"$$\\frac{{\\partial {letter}}}{{\\partial W}} = X^T \\frac{{\\partial {letter}}}{{\\partial Y}}$$\n\n"
                       f"$$\\frac{{\\partial {letter}}}{{\\partial X}} = X^T \\frac{{\\partial {letter}}}{{\\partial Y}}$$\n")
        assert _verdicts(tmp_path, body) == [(3, "holds"), (5, "fails")], letter


def test_a_worked_example_with_symbolic_entries_fixes_its_sizes_until_the_next_heading(tmp_path: Path) -> None:
    body = ("# Example\n\n$$A = \\begin{bmatrix} a_{1,1} & a_{1,2} \\\\ a_{2,1} & a_{2,2} \\end{bmatrix}, \\quad "
            "B = \\begin{bmatrix} b_{1,1} & b_{1,2} & b_{1,3} \\\\ b_{2,1} & b_{2,2} & b_{2,3} \\end{bmatrix}$$\n\n"
            "$$C = A B$$\n\n$$c_{2,3} = a_{2,1} b_{1,3} + a_{2,2} b_{2,3}$$\n\n"
            "$$c_{2,3} = a_{2,1} b_{1,3} + a_{2,1} b_{2,3}$$\n\n"
            "# Next\n\n$$c_{2,3} = a_{2,1} b_{1,3} + a_{2,2} b_{2,3}$$\n")
    got = _verdicts(tmp_path, body)
    assert got[:2] == [(7, "holds"), (9, "fails")]
    assert got[2][0] == 13 and got[2][1] != "holds"  # the example's sizes end with its section


def test_einstein_stated_sums_and_unstated_names_both_readings(tmp_path: Path) -> None:
    claims = ("$$\\frac{\\partial L}{\\partial w_{kj}} = g_{ij} x_{ik}$$\n\n"
              "$$\\frac{\\partial L}{\\partial w_{kj}} = g_{ik} x_{ij}$$\n")
    head = HEAD + "with $G = \\frac{\\partial L}{\\partial Y}$.\n\n"
    assert _verdicts(tmp_path, "Repeated indices are summed (Einstein notation).\n\n" + head + claims) == \
        [(7, "holds"), (9, "fails")]
    unstated = _verdicts(tmp_path, head + claims)
    assert unstated[0] == (5, "unchecked")  # free as written it fails, summed it holds: never `fails`


def test_prose_conditions_and_loop_ranges_are_not_layers(tmp_path: Path) -> None:
    body = HEAD + ("The entry is zero unless $i = k$ and $j = p$, for $l = 1, \\ldots, L$.\n\n"
                   "$$\\frac{\\partial L}{\\partial W} = X^T \\frac{\\partial L}{\\partial Y}$$\n\n"
                   "$$\\frac{\\partial L}{\\partial W} = \\frac{\\partial L}{\\partial Y} X^T$$\n")
    assert _verdicts(tmp_path, body) == [(5, "holds"), (7, "fails")]


def test_an_index_definition_is_a_definition_and_defines_the_layer(tmp_path: Path) -> None:
    """y_{ij} = Σ_k w_{jk} x_{ik} + b_j is nn.Linear's layout (Y = X Wᵀ + b): ∂L/∂W = (∂L/∂Y)ᵀ X, not Xᵀ ∂L/∂Y."""
    body = ("$$y_{ij} = \\sum_k w_{jk} x_{ik} + b_j$$\n\n$$\\frac{\\partial L}{\\partial W} = "
            "\\frac{\\partial L}{\\partial Y}^T X$$\n\n"
            "$$\\frac{\\partial L}{\\partial W} = X^T \\frac{\\partial L}{\\partial Y}$$\n")
    doc = tmp_path / "doc.md"
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert [(f.line, f.verdict) for f in rep.findings] == [(1, "definition"), (3, "holds"), (5, "fails")]
    assert "X W^T" in rep.findings[0].reason
    other = body.replace("w_{jk} x_{ik}", "x_{ik} w_{kj}")  # the other layout: the verdicts swap
    doc.write_text(other, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert [(f.line, f.verdict) for f in rep.findings] == [(1, "definition"), (3, "fails"), (5, "holds")]


def test_layer_superscripts_name_layers_not_powers(tmp_path: Path) -> None:
    body = ("The layer: $z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}$.\n\n"
            "$$\\frac{\\partial L}{\\partial W^{[l]}} = \\frac{\\partial L}{\\partial z^{[l]}} a^{[l-1]T}$$\n\n"
            "$$\\frac{\\partial L}{\\partial W^{[l]}} = a^{[l-1]} \\frac{\\partial L}{\\partial z^{[l]}}^T$$\n\n"
            "$$\\frac{\\partial z^{[l]}}{\\partial W^{[l]}} = a^{[l-1]}$$\n\n"
            "$$\\frac{\\partial L}{\\partial a^{(l-1)}} = W^{(l)T} \\frac{\\partial L}{\\partial z^{(l)}}$$\n")
    assert _verdicts(tmp_path, body.replace("(l-1)", "[l-1]").replace("(l)", "[l]")) == \
        [(3, "holds"), (5, "fails"), (7, "fails"), (9, "holds")]
    bare = body.replace("^{[l]}", "^l").replace("^{[l-1]}", "^{l-1}").replace("^{[l-1]T}", "^{l-1}^T")
    assert _verdicts(tmp_path, bare)[:3] == [(3, "holds"), (5, "fails"), (7, "fails")]


def test_an_entry_of_a_labelled_weight_is_a_variable(tmp_path: Path) -> None:
    """∂z_j^l/∂w_{ij}^l: the entry (i, j) of layer l's weight, written either way round, is differentiated by;
    the indices swapped (the CompPhysics notes' own slip, w_{ji}) is caught."""
    body = ("$$\\boldsymbol{z}^l = \\left(\\boldsymbol{W}^l\\right)^T\\boldsymbol{a}^{l-1}+\\boldsymbol{b}^l$$\n\n"
            "$$\\frac{\\partial z_j^l}{\\partial w_{ij}^l} = a_i^{l-1}$$\n\n"
            "$$\\frac{\\partial z^l_j}{\\partial w^l_{ij}} = a^{l-1}_i$$\n\n"
            "$$\\frac{\\partial z_j^l}{\\partial w_{ji}^l} = a_i^{l-1}$$\n\n"
            "$$\\frac{\\partial z_j^l}{\\partial a_i^{l-1}} = w_{ij}^l$$\n\n"
            "$$\\frac{\\partial z_j^l}{\\partial a_i^{l-1}} = w_{ji}^l$$\n")
    assert _verdicts(tmp_path, body) == [(3, "holds"), (5, "holds"), (7, "fails"), (9, "holds"), (11, "fails")]


def test_labels_are_read_from_tokens() -> None:
    from symderiv.documents.labels import Labels, label_of

    assert label_of("^{[l-1]T}") == ("l-1", "T") and label_of("^{(i)}") == ("i", "") and label_of("^L") == ("L", "")
    assert label_of("^T") is None and label_of("^{2}") is None and label_of("^\\top") is None
    lab = Labels()
    assert lab.relabel("W^{[l]} a^{[l-1]} + x^2 + X^T") == "W_9 a_8 + x^2 + X^T"


def test_activations_and_the_backward_recursion_over_labelled_layers(tmp_path: Path) -> None:
    body = ("Forward: $z^{[l]} = W^{[l]} a^{[l-1]} + b^{[l]}$ and $a^{[l]} = g(z^{[l]})$.\n\n"
            "$$dz^{[l]} = da^{[l]} \\odot g'(z^{[l]})$$\n\n$$dz^{[l]} = da^{[l]} \\odot g(z^{[l]})$$\n\n"
            "$$dW^{[l]} = dz^{[l]} a^{[l-1]T}$$\n\n$$da^{[l-1]} = W^{[l]T} dz^{[l]}$$\n\n"
            "With $\\sigma$: $h = \\sigma(u)$, $u = V x$.\n\n"
            "$$\\frac{\\partial L}{\\partial u} = \\frac{\\partial L}{\\partial h} \\odot \\sigma(u) "
            "\\odot (1 - \\sigma(u))$$\n\n"
            "$$\\frac{\\partial L}{\\partial x} = V \\left(\\frac{\\partial L}{\\partial h} \\odot \\sigma'(u)\\right)$$\n")
    assert _verdicts(tmp_path, body) == [(3, "holds"), (5, "fails"), (7, "holds"), (9, "holds"), (13, "holds"),
                                         (15, "fails")]


def test_an_unusable_definition_is_shown_once_and_what_it_blocks_points_to_it(tmp_path: Path) -> None:
    body = ("$$Y = \\operatorname{softmax}(X W)$$\n\n"
            "$$\\frac{\\partial L}{\\partial W} = X^T \\frac{\\partial L}{\\partial Y}$$\n")
    doc = tmp_path / "doc.md"
    doc.write_text(body, encoding="utf-8")
    (rep,) = check_files([str(doc)], Options(jobs=1))
    assert [(f.line, f.verdict) for f in rep.findings] == [(1, "definition"), (3, "unchecked")]
    assert "line 1" in rep.findings[1].reason
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "symderiv", "check", str(doc)], capture_output=True, text=True).stdout
    assert "1:3" in out and "3:3" in out  # the definition shows without --verbose when it cannot be used


def test_a_name_for_the_error_is_read_as_the_gradient_it_names(tmp_path: Path) -> None:
    """δ^l = ∂C/∂z^l names a gradient (nothing to check); afterwards δ^l, δ^{l+1}, an entry δ_j, a bold δ are that
    gradient: true uses hold, a transposed one fails, and an unlabelled δ_{11} after a labelled definition is not
    guessed at (it stays undefined)."""
    body = ("The layer $z^l = W^l a^{l-1} + b^l$ and the cost $C$.\n\n"
            "Write $\\delta^l=\\frac{\\partial C}{\\partial z^l}$ for the error of layer $l$.\n\n"
            "$$\\frac{\\partial C}{\\partial b^l}=\\delta^l$$\n\n"
            "$$\\frac{\\partial C}{\\partial W^l}=\\delta^l (a^{l-1})^T$$\n\n"
            "$$\\frac{\\partial C}{\\partial W^l}=a^{l-1} (\\delta^l)^T$$\n\n"
            "$$\\frac{\\partial C}{\\partial b^l_{1}}=\\delta_{1}$$\n")
    got = _verdicts(tmp_path, body)
    assert got[:3] == [(5, "holds"), (7, "holds"), (9, "fails")] and got[3][1] == "unchecked"
    entries = ("The layer $\\boldsymbol{z} = W \\boldsymbol{a} + \\boldsymbol{b}$ and the loss $L$.\n\n"
               "$$\\boldsymbol{\\delta} = \\frac{\\partial L}{\\partial \\boldsymbol{z}}$$\n\n"
               "$$\\frac{\\partial L}{\\partial \\boldsymbol{b}} = \\boldsymbol{\\delta}$$\n\n"
               "$$\\frac{\\partial L}{\\partial b_j} = \\delta_j$$\n\n"
               "$$\\frac{\\partial L}{\\partial W} = \\boldsymbol{a} \\boldsymbol{\\delta}^T$$\n")
    assert _verdicts(tmp_path, entries) == [(5, "holds"), (7, "holds"), (9, "fails")]


def test_a_chain_rule_in_jacobian_order_is_unchecked_not_a_mistake(tmp_path: Path) -> None:
    """∂C/∂b = ∂C/∂z ∂z/∂b is a product of derivatives whose shapes fit only as Jacobians (numerator layout):
    both readings are named. A transposed gradient written without the chain still fails (negative control)."""
    body = ("The layer $z = W a + b$ and the cost $C$.\n\n"
            "$$\\frac{\\partial C}{\\partial b}=\\frac{\\partial C}{\\partial z}\\frac{\\partial z}{\\partial b}$$\n\n"
            "$$\\frac{\\partial C}{\\partial W}=a^T \\frac{\\partial C}{\\partial z}^T$$\n")
    found = {f.line: f for f in _findings(tmp_path, body, "chain.md") if f.verdict != "definition"}
    assert found[3].verdict == "unchecked" and "numerator layout" in found[3].reason and "gradient" in found[3].reason
    assert found[5].verdict == "fails"


def test_plain_tex_font_switches_are_read() -> None:
    from symderiv.claims import check_claim

    r = check_claim("\\frac{\\partial {\\cal C}}{\\partial W} = X^T G", context="Y = X W; C = \\frac{1}{2}\\|Y\\|_F^2")
    assert r.verdict.value in ("holds", "fails")  # read, not a parse error; {\\cal C} is the letter C
    from symderiv.claims.parser import old_fonts

    assert old_fonts("{\\cal C} + {\\bf x}") == "C        + \\bm{x} "


def test_an_activation_written_entry_by_entry_is_the_layer(tmp_path: Path) -> None:
    """a_j^l = f(z_j^l) = 1/(1+exp(−z_j^l)) defines a^l = σ(z^l): σ' = σ(1 − σ) then holds of it. Negative
    control: with f left generic (no formula), the same derivative claim must not hold."""
    layer = "The layer $z^l = W^l a^{l-1} + b^l$.\n\n"
    claim = "$$\\frac{\\partial a_j^l}{\\partial z_j^l} = a_j^l(1-a_j^l)$$\n"
    logistic = layer + "$$a_j^l = f(z_j^l) = \\frac{1}{1+\\exp{-(z_j^l)}}$$\n\n" + claim
    assert _verdicts(tmp_path, logistic) == [(5, "holds")]
    generic = layer + "$$a_j^l = g(z_j^l)$$\n\n" + claim.replace("(1-a_j^l)", "(1-a_j^l) + 0 g'(z_j^l)")
    assert [v for _, v in _verdicts(tmp_path, generic)] != ["holds"]


def test_the_output_layer_is_the_instance_l_equals_L(tmp_path: Path) -> None:
    """Layers defined once for every l: a claim about layer L (and L−1) is read at l = L. A claim that mixes
    l and L is not (two different layers): it stays unchecked."""
    body = ("$$z^l = \\left(W^l\\right)^T a^{l-1} + b^l$$\n\n"
            "$$\\frac{\\partial z_j^L}{\\partial w_{ij}^L} = a_i^{L-1}$$\n\n"
            "$$\\frac{\\partial z_j^L}{\\partial w_{ij}^L} = a_j^{L-1}$$\n\n"
            "$$\\frac{\\partial z_j^L}{\\partial w_{ij}^l} = a_i^{l-1}$$\n")
    got = _verdicts(tmp_path, body)
    assert got[:2] == [(3, "holds"), (5, "fails")] and got[2] == (7, "unchecked")


def test_the_backward_recursion_reads_layer_l_plus_1_as_layer_l_one_label_up(tmp_path: Path) -> None:
    """δ^l = (W^{l+1})^T δ^{l+1} ⊙ σ'(z^l): layer l+1 is the document's own definitions one label up, so the
    recursion is decided; with the transpose dropped (the classic slip) it fails."""
    body = ("The layers $z^l = W^l a^{l-1} + b^l$ and $a^l = \\sigma(z^l)$, the cost $C$.\n\n"
            "Write $\\delta^l = \\frac{\\partial C}{\\partial z^l}$.\n\n"
            "$$\\delta^l = (W^{l+1})^T \\delta^{l+1} \\odot \\sigma'(z^l)$$\n\n"
            "$$\\delta^l = W^{l+1} \\delta^{l+1} \\odot \\sigma'(z^l)$$\n\n"
            "$$\\delta_j^l = \\sum_k \\delta_k^{l+1} w_{kj}^{l+1} \\sigma'(z_j^l)$$\n\n"
            "$$\\delta_j^l = \\sum_k \\delta_k^{l+1} w_{jk}^{l+1} \\sigma'(z_j^l)$$\n")
    assert _verdicts(tmp_path, body) == [(5, "holds"), (7, "fails"), (9, "holds"), (11, "fails")]


def test_nielsens_four_equations_with_a_lowercase_weight_matrix(tmp_path: Path) -> None:
    """Nielsen's notation: z^l = w^l a^{l-1} + b^l with a lower-case w^l that the document writes entry by entry
    (w^l_{jk}), so a matrix, one reading; δ^l_j ≡ ∂C/∂z^l_j. BP2–BP4 hold; a swapped index and a dropped
    transpose (planted) fail."""
    body = ("The weighted input $z^l = w^l a^{l-1} + b^l$ and the activation $a^l = \\sigma(z^l)$.\n\n"
            "Define the error $\\delta^l_j \\equiv \\frac{\\partial C}{\\partial z^l_j}$.\n\n"
            "$$\\delta^l = ((w^{l+1})^T \\delta^{l+1}) \\odot \\sigma'(z^l)$$\n\n"
            "$$\\frac{\\partial C}{\\partial b^l_j} = \\delta^l_j$$\n\n"
            "$$\\frac{\\partial C}{\\partial w^l_{jk}} = a^{l-1}_k \\delta^l_j$$\n\n"
            "$$\\frac{\\partial C}{\\partial w^l_{jk}} = a^{l-1}_j \\delta^l_k$$\n\n"
            "$$\\delta^l = (w^{l+1} \\delta^{l+1}) \\odot \\sigma'(z^l)$$\n")
    assert _verdicts(tmp_path, body) == [(5, "holds"), (7, "holds"), (9, "holds"), (11, "fails"), (13, "fails")]


def test_a_labelled_layer_written_entry_by_entry_and_what_is_not_a_claim(tmp_path: Path) -> None:
    """z^l_j = Σ_k w^l_{jk} a^{l-1}_k + b^l_j (also with a bound named by a size, Σ_{k=1}^{n_{l-1}}) is the layer
    z^l = w^l a^{l-1} + b^l: BP4 holds and its swapped indices fail. Not claims to reject: a loop's range
    (l+1 = L), δ^L before the document names it (not Kronecker's δ), ∂b/∂z of the layer's input by its output."""
    for layer in ("z^l_j = \\sum_k w^l_{jk} a^{l-1}_k+b^l_j", "z^l_j = \\sum_{k=1}^{n_{l-1}} w^l_{jk} a^{l-1}_k+b^l_j"):
        body = (f"As ${layer}$ holds.\n\n"
                "$$\\frac{\\partial z_j^l}{\\partial w_{jk}^l} = a_k^{l-1}$$\n\n"
                "$$\\frac{\\partial z_j^l}{\\partial w_{jk}^l} = a_j^{l-1}$$\n\n"
                "Until $l+1 = L$, with $\\delta^L = \\Sigma'(z^L) \\nabla_a C$ and "
                "$\\frac{\\partial b_j^l}{\\partial z_j^l} = 1$.\n")
        got = _verdicts(tmp_path, body)
        assert got[:2] == [(3, "holds"), (5, "fails")], (layer, got)
        assert all(v == "unchecked" for line, v in got[2:]) and len(got) == 4, got  # l+1 = L is a definition


def test_inline_math_over_lines_with_matrices_and_a_chain_cut_by_an_ellipsis(tmp_path: Path) -> None:
    """Jupyter's `$X = ⏎ \\begin{pmatrix} … \\end{pmatrix}$`: a line opening a matrix inside a paragraph does not end
    it. X = (x_1; …; x_n) makes n X's length; a chain's links before an ellipsis are judged: X ⊙ Y = Σ_k x_k y_k
    (the NNDL-solutions slip) fails, while true links before the ellipsis only make it unchecked."""
    head = ("Take $X = \n\\begin{pmatrix}x_1 \\\\ x_2 \\\\ \\ldots \\\\ x_n \\end{pmatrix}$\n"
            "and $Y = \n\\begin{pmatrix}y_1 \\\\ y_2 \\\\ \\ldots \\\\ y_n \\end{pmatrix}$\n")
    wrong = head + ("then $X \\odot Y = Y \\odot X = \\sum\\limits_{k=1}^n x_k y_k = \n"
                    "\\begin{pmatrix}x_1 & 0 \\\\ 0 & \\ddots\\end{pmatrix}\n\\begin{pmatrix}y_1 \\\\ \\ldots\\end{pmatrix}$\n")
    right = head + ("then $X \\odot Y = Y \\odot X = \\begin{pmatrix}x_1 & 0 \\\\ 0 & \\ddots\\end{pmatrix}"
                    "\n\\begin{pmatrix}y_1 \\\\ \\ldots\\end{pmatrix}$\n")
    bad = _findings(tmp_path, wrong)
    assert [f.verdict for f in bad if f.line == 5] == ["fails"] and "scalar" in bad[-1].reason
    assert all(f.verdict == "definition" for f in bad if f.line < 5)
    good = [f for f in _findings(tmp_path, right) if f.line == 5]
    assert [f.verdict for f in good] == ["unchecked"] and "hold" in good[0].reason and "ellipsis" in good[0].reason
    # outside any $…$ a matrix opening a line is still a display of its own: found, never silent
    bare = _findings(tmp_path, "The weights are\n\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}\nand that is all.\n")
    assert [f.line for f in bare] == [2]


def test_an_error_name_for_another_scalar_is_not_the_loss_gradient(tmp_path: Path) -> None:
    """δ = ∂C/∂z where the claims differentiate J: δ is not ∂J/∂z (J may average C over examples), so a claim that
    uses δ for ∂J/∂b is not decided by reading δ as the loss's gradient. Control: with C the loss, it holds."""
    other = ("The layer $z = W a + b$.\n\n$$\\frac{\\partial J}{\\partial W} = \\frac{\\partial J}{\\partial z} a^T$$\n\n"
             "Write $\\delta = \\frac{\\partial C}{\\partial z}$.\n\n$$\\frac{\\partial J}{\\partial b} = \\delta$$\n")
    assert [v for line, v in _verdicts(tmp_path, other) if line == 7] != ["holds"]
    same = other.replace("{\\partial C}", "{\\partial J}")
    assert [v for line, v in _verdicts(tmp_path, same) if line == 7] == ["holds"]
