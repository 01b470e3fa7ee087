"""Labels in each notation and style."""

import pytest

from chainrule_cli.render.notation import Notation, derivative_label

L, G, E = Notation.leibniz, Notation.lagrange, Notation.euler

CASES = [
    # notation, wrt, partial, unicode, ascii, latex
    (L, ("x",), False, "df/dx", "df/dx", r"\frac{d f}{d x}"),
    (L, ("x", "x"), False, "d²f/dx²", "d^2f/dx^2", r"\frac{d^{2} f}{d x^{2}}"),
    (L, ("x",), True, "∂f/∂x", "df/dx", r"\frac{\partial f}{\partial x}"),
    (L, ("x", "y"), True, "∂²f/∂y∂x", "d^2f/dydx", r"\frac{\partial^{2} f}{\partial y \partial x}"),
    (
        L,
        ("x", "x", "y"),
        True,
        "∂³f/∂y∂x²",
        "d^3f/dydx^2",
        r"\frac{\partial^{3} f}{\partial y \partial x^{2}}",
    ),
    (G, ("x",), False, "f'(x)", "f'(x)", "f'(x)"),
    (G, ("x",) * 3, False, "f'''(x)", "f'''(x)", "f'''(x)"),
    (G, ("x",) * 4, False, "f⁽⁴⁾(x)", "f^(4)(x)", "f^{(4)}(x)"),
    (G, ("x",), True, "f_x", "f_x", "f_{x}"),
    (G, ("x", "x", "y"), True, "f_xxy", "f_xxy", "f_{xxy}"),
    (G, ("w1", "w2"), True, "f_w1,w2", "f_w1,w2", "f_{w_{1},w_{2}}"),
    (E, ("x",), False, "D_x f", "D_x f", "D_{x} f"),
    (E, ("x", "x"), False, "D_x² f", "D_x^2 f", "D_{x}^{2} f"),
    (E, ("x", "y"), True, "D_y D_x f", "D_y D_x f", "D_{y} D_{x} f"),
]


@pytest.mark.parametrize("notation, wrt, partial, unicode, ascii, latex", CASES)
def test_labels(notation, wrt, partial, unicode, ascii, latex):
    assert derivative_label("f", wrt, partial, notation, "unicode") == unicode
    assert derivative_label("f", wrt, partial, notation, "ascii") == ascii
    assert derivative_label("f", wrt, partial, notation, "latex") == latex
