"""The command line as a user meets it: options, errors, exit codes, pipes."""

import json

import pytest
import sympy as sp


def test_diff_needs_wrt_with_several_variables(deriv):
    ran = deriv("diff", "3x + y")
    assert ran.code == 2 and ran.out == ""
    assert ran.err == (
        "error: f has several variables (x, y); choose one with --wrt "
        "(e.g. --wrt x), or use 'deriv grad' for all partial derivatives\n"
    )


def test_syntax_error_has_caret(deriv):
    ran = deriv("diff", "6x^^2")
    assert ran.code == 2
    assert ran.err == "error: unexpected '^' (column 4)\n  6x^^2\n     ^\n"


def test_unknown_function_suggests(deriv):
    ran = deriv("diff", "sinn(x)")
    assert ran.code == 2 and "did you mean sin?" in ran.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("diff", "x", "--at", "x=1,y="), "error: --at: expected a value after 'y=' (column 7)"),
        (("diff", "x", "--at", "1"), "error: --at: expected name=value"),
        (("diff", "x", "--at", "x=1,x=2"), "error: --at: x is given twice"),
        (("diff", "x^2", "--at", "x=y"), "error: --at: the value of x must be a number"),
        (("diff", "x", "--wrt", "2"), "error: --wrt: expected a variable name"),
        (("diff", "x", "--wrt", "sin"), "error: --wrt: 'sin' is a function, not a variable"),
        (("grad", "x", "--vars", "x,,y"), "error: --vars: expected a variable name"),
        (("grad", "x", "--vars", "x,x"), "error: --vars: x is named twice"),
        (("diff", "x", "--order", "0"), "error: --order must be at least 1"),
        (("diff", "x", "--name", "2f"), "error: --name: expected a variable name"),
        (("diff", "x", "--notation", "foo"), "error: Invalid value for '--notation'"),
        (("diff",), "error: Missing argument 'EXPR'"),
        (("diff", "--fromat", "json", "x"), "error: No such option: --fromat"),
        (("diff", "x y", "--wrt", "x", "--wrt", "y", "--order", "2"), "error: use either --order"),
        (("grad", "5"), "error: f has no variables"),
        (("diff", "log(0)"), "error: the expression is undefined"),
        (("frobnicate",), "error: No such command 'frobnicate'"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(deriv, args, message):
    ran = deriv(*args)
    assert ran.code == 2 and ran.out == ""
    assert ran.err.startswith(message)
    assert "Traceback" not in ran.err


def test_undefined_at_a_point_is_exit_1(deriv):
    ran = deriv("diff", "1/x", "--at", "x=0")
    assert (ran.code, ran.err) == (
        1,
        "error: f is not defined at x = 0: division by zero (x = 0 there)\n",
    )
    assert ran.out == "f(x) = 1/x\ndf/dx = -1/x²\n"  # the general formula still stands


def test_not_real_at_a_point_is_exit_1(deriv):
    ran = deriv("diff", "sqrt(x)", "--at", "x=-1", "--notation", "lagrange")
    assert (ran.code, ran.err) == (
        1,
        "error: f is not real at x = -1: sqrt needs a non-negative argument, sqrt(-1)\n",
    )


def test_missing_point_value_is_exit_2(deriv):
    ran = deriv("grad", "x*y", "--at", "x=1")
    assert ran.code == 2 and "--at gives no value for y" in ran.err


def test_absent_variable_is_zero_with_a_note(deriv):
    ran = deriv("diff", "x^2", "--wrt", "z", "--format", "expr")
    assert (ran.code, ran.out, ran.err) == (0, "0\n", "note: f does not depend on z\n")


def test_vars_sets_order_and_may_add_variables(deriv):
    data = json.loads(deriv("grad", "x^2 y", "--vars", "z,y,x", "--format", "json").out)
    assert data["variables"] == ["z", "y", "x"] and data["result"] == ["0", "x**2", "2*x*y"]


def test_vars_leaving_one_out_notes_it(deriv):
    ran = deriv("grad", "x y z", "--vars", "y,x", "--format", "expr")
    assert ran.out == "x*z\ny*z\n"
    assert ran.err == "note: f also depends on z, which --vars leaves out\n"


def test_natural_variable_order(deriv):
    data = json.loads(deriv("grad", "x10 + x2 + b + z + y + x", "--format", "json").out)
    assert data["variables"] == ["x", "y", "z", "b", "x2", "x10"]


def test_name_labels_the_function(deriv):
    out = deriv("diff", "6x^2", "--name", "p", "--format", "plain").out
    assert out == "p(x) = 6x²\ndp/dx = 12x\n"


def test_at_accepts_expressions(deriv):
    data = json.loads(deriv("diff", "sin(x)", "--at", "x=pi/4", "--format", "json").out)
    assert data["value_exact"] == "sqrt(2)/2"
    assert abs(data["value"] - 2**0.5 / 2) < 1e-15
    plain = deriv("diff", "sin(x)", "--at", "x=pi/4", "--format", "plain").out
    assert plain.splitlines()[-1] == "at x = π/4: df/dx = √2/2 ≈ 0.7071067812"


def test_at_values_with_commas_inside_parentheses(deriv):
    data = json.loads(deriv("diff", "x^2", "--at", "x=log(8, 2)", "--format", "json").out)
    assert data["value"] == 6.0


def test_expr_with_at_prints_the_value(deriv):
    assert deriv("diff", "x^3", "--at", "x=2", "--format", "expr").out == "12\n"
    assert deriv("grad", "x y", "--at", "x=2,y=3", "--format", "expr").out == "3\n2\n"


def test_higher_and_mixed_derivatives(deriv):
    def plain(*args):
        return deriv("diff", *args, "--format", "plain").out.splitlines()[1]

    assert plain("x^4", "--order", "2") == "d²f/dx² = 12x²"
    assert plain("x^4", "--order", "2", "--notation", "lagrange") == "f''(x) = 12x²"
    assert plain("x^4", "--order", "3", "--notation", "lagrange") == "f'''(x) = 24x"
    assert plain("x^5", "--order", "4", "--notation", "lagrange") == "f⁽⁴⁾(x) = 120x"
    assert plain("x^4", "--order", "2", "--notation", "euler") == "D_x² f = 12x²"
    assert plain("x^2 y", "--wrt", "x", "--wrt", "y") == "∂²f/∂y∂x = 2x"
    assert plain("x^2 y", "--wrt", "x", "--wrt", "y", "--notation", "lagrange") == "f_xy = 2x"
    assert plain("x^2 y", "--wrt", "x", "--wrt", "y", "--notation", "euler") == "D_y D_x f = 2x"
    assert plain("x^3 y", "--wrt", "x", "--order", "2") == "∂²f/∂x² = 6x·y"


def test_abs_differentiates_to_sign(deriv):
    assert deriv("diff", "abs(x)", "--format", "expr").out == "sign(x)\n"


def test_version_and_help(deriv):
    assert deriv("--version").out.startswith("deriv 0.")
    for command in ("diff", "grad"):
        ran = deriv(command, "--help")
        assert ran.code == 0 and "Example: deriv" in ran.out and "--notation" in ran.out


def test_expression_may_start_with_minus(deriv):
    assert deriv("grad", "-0.5x + 0.25y^2", "--format", "expr").out == "-0.5\n0.5*y\n"
    assert deriv("diff", "-x^2", "--format", "expr").out == "-2*x\n"
    assert deriv("diff", "--format", "expr", "-x").out == "-1\n"
    assert deriv("diff", "--format=expr", "--", "-x^3").out == "-3*x**2\n"


# Through the installed console script, in a real subprocess


def test_installed_script_pipes_plain_text(deriv_process):
    ran = deriv_process("grad", "3*x+y")
    assert ran.code == 0 and "\x1b" not in ran.out
    assert ran.out.splitlines()[-2] == "∇f = (3, 1)ᵀ"


def test_installed_script_bad_input(deriv_process):
    ran = deriv_process("diff", "6x^^2")
    assert ran.code == 2 and ran.err.startswith("error: ") and "Traceback" not in ran.err


def test_installed_script_negative_expression(deriv_process):
    ran = deriv_process("grad", "-0.5x + 0.25y^2", "--format", "json")
    assert json.loads(ran.out)["result"] == ["-0.5", "0.5*y"]


def test_python_dash_m(deriv_process, monkeypatch):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "chainrule_cli", "diff", "6x^2", "--format", "expr"],
        capture_output=True,
        text=True,
    )
    assert (proc.returncode, proc.stdout) == (0, "12*x\n")


def test_ascii_terminal_gets_ascii_maths(deriv_process):
    ran = deriv_process(
        "grad", "-0.5x + 0.25y^2", "--format", "plain", env={"PYTHONIOENCODING": "ascii"}
    )
    assert ran.code == 0
    assert ran.out == (
        "f(x, y) = -0.5x + 0.25y^2\ndf/dx = -0.5\ndf/dy = 0.5y\ngrad f = (-0.5, 0.5y)^T\n"
    )


def test_through_typers_cli_runner():
    from typer.testing import CliRunner

    from chainrule_cli.cli import app

    result = CliRunner().invoke(app, ["grad", "3x + y", "--format", "expr"])
    assert (result.exit_code, result.stdout) == (0, "3\n1\n")
    result = CliRunner().invoke(
        app, ["diff", "6x^2", "--notation", "lagrange", "--format", "plain"]
    )
    assert result.stdout == "f(x) = 6x²\nf'(x) = 12x\n"


def test_no_color_keeps_pretty_output_free_of_escapes(deriv, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    ran = deriv("grad", "3x + y", "--format", "pretty")
    assert "∇f = (3, 1)ᵀ" in ran.out and "\x1b" not in ran.out


def test_deriv_alone_shows_help(deriv):
    ran = deriv()
    assert ran.code == 0 and "diff" in ran.out and ran.err == ""


def test_the_answer_is_tidied_and_simplify_is_never_longer(deriv):
    # (x² - 1)/(x - 1) is x + 1 where defined: its derivative is 1 there, and a note says where
    plain = deriv("diff", "(x^2 - 1)/(x - 1)", "--format", "expr")
    assert plain.out == "1\n" and "x ≠ 1" in plain.err
    for text in ("(x^2 - 1)/(x - 1)", "sin(x)^2 + cos(x)^2 + x", "x/(1 - x^2)"):
        default = sp.sympify(deriv("diff", text, "--format", "expr").out)
        thorough = sp.sympify(deriv("diff", text, "--simplify", "--format", "expr").out)
        assert sp.count_ops(thorough) <= sp.count_ops(default)
