"""Batch mode: `-` and `@file`, one expression per line, one record per line, errors per line."""

import json

import pytest


def records(out):
    return [json.loads(line) for line in out.splitlines()]


def test_json_lines_keep_order_and_line_numbers(deriv_process):
    ran = deriv_process("diff", "-", "--format", "json", stdin="6x^2\n\n# comment\nx^^2\nsin(x)\n")
    got = records(ran.out)
    assert [(r["line"], r.get("result")) for r in got] == [(1, "12*x"), (4, None), (5, "cos(x)")]
    assert got[1] == {
        "line": 4,
        "input": "x^^2",
        "error": {"message": "unexpected '^'", "exit": 2, "column": 3},
    }
    assert ran.err == "error: line 4: unexpected '^' (column 3)\n  x^^2\n    ^\n"
    assert ran.code == 2


def test_exit_code_is_the_highest_per_line(deriv_process):
    ran = deriv_process("diff", "-", "--format", "expr", stdin="1/x\nx^^2\n2^10^10\nx^2\n")
    assert ran.out == "-1/x**2\n\n\n2*x\n"  # one line per input line, empty where it failed
    assert ran.code == 3
    assert [
        line.split(":")[1].strip() for line in ran.err.splitlines() if line.startswith("error")
    ] == ["line 2", "line 3"]


def test_all_good_is_exit_0(deriv_process):
    ran = deriv_process("grad", "-", "--format", "expr", stdin="3x+y\nx^2 y\n")
    assert (ran.code, ran.out, ran.err) == (0, "3, 1\n2*x*y, x**2\n", "")


def test_math_failures_per_line(deriv_process):
    ran = deriv_process("diff", "-", "--at", "x=0", "--format", "expr", stdin="1/x\nx^2\n")
    assert ran.out == "\n0\n"
    assert ran.err == "error: line 1: f is not defined at x = 0: division by zero (x = 0 there)\n"
    assert ran.code == 1


def test_empty_input(deriv_process):
    assert deriv_process("diff", "-", stdin="").code == 0
    ran = deriv_process("diff", "-", stdin="\n# nothing here\n\n")
    assert (ran.code, ran.out, ran.err) == (0, "", "")


def test_final_line_without_newline_and_crlf(deriv_process):
    ran = deriv_process("diff", "-", "--format", "expr", stdin="x^2\r\nx^3\r\nx^4")
    assert (ran.code, ran.out) == (0, "2*x\n3*x**2\n4*x**3\n")


def test_not_utf8_and_nul_are_errors_for_their_line(tmp_path, deriv_process):
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"x^2\nx\xff\nx\x00y\nx^3\n")
    ran = deriv_process("diff", f"@{path}", "--format", "expr")
    assert ran.out == "2*x\n\n\n3*x**2\n"
    assert "error: line 2: the line is not valid UTF-8 text" in ran.err
    assert "error: line 3: the line holds a NUL byte" in ran.err
    assert ran.code == 2


def test_at_file(deriv, tmp_path):
    path = tmp_path / "loss.txt"
    path.write_text("3x + y\n-0.5x + 0.25y^2\n")
    ran = deriv("grad", f"@{path}", "--format", "json")
    assert [r["result"] for r in records(ran.out)] == [["3", "1"], ["-0.5", "0.5*y"]]


@pytest.mark.parametrize(
    "argument, message",
    [
        ("@/no/such/file", "error: cannot read /no/such/file: No such file or directory"),
        ("@", "error: @ needs a file name"),
    ],
)
def test_unreadable_file(deriv, argument, message):
    ran = deriv("diff", argument)
    assert ran.code == 2 and ran.err.startswith(message)


def test_plain_records_are_separated_by_a_blank_line(deriv_process):
    ran = deriv_process("diff", "-", "--format", "plain", stdin="6x^2\nx^3\n")
    assert ran.out == "f(x) = 6x²\ndf/dx = 12x\n\nf(x) = x³\ndf/dx = 3x²\n"


def test_a_timeout_stops_one_line_only(deriv_process):
    ran = deriv_process(
        "diff",
        "-",
        "--order",
        "8",
        "--timeout",
        "1",
        "--format",
        "expr",
        stdin="x^9\nsin(x)^x^x^x\nx^8\n",
    )
    assert ran.out == "362880*x\n\n40320\n"
    assert ran.err == "error: line 2: computation exceeded 1 s (raise it with --timeout)\n"
    assert ran.code == 3


def test_notes_carry_the_line(deriv_process):
    ran = deriv_process("diff", "-", "--wrt", "z", "--format", "expr", stdin="x\n")
    assert ran.err == "note: line 1: f does not depend on z\n"


def test_chain_in_batch(deriv_process):
    ran = deriv_process("chain", "-", "--format", "json", stdin="sin(x^2)\n(3x+1)^5\n")
    assert [r["inner"] for r in records(ran.out)] == [{"u": "x**2"}, {"u": "3*x + 1"}]


def test_expr_output_lines_up_with_the_input_lines(deriv_process):
    # blank and comment lines give empty lines too, so `paste inputs <(deriv ...)` lines up
    lines = ["x^2", "", "# a comment", "x^^2", "sin(x)", "1/x"]
    ran = deriv_process("diff", "-", "--format", "expr", stdin="\n".join(lines) + "\n")
    assert ran.out.split("\n")[:-1] == ["2*x", "", "", "", "cos(x)", "-1/x**2"]


def test_a_line_undefined_at_the_point_is_a_record_that_says_why(deriv_process):
    ran = deriv_process("diff", "-", "--at", "x=0", "--format", "json", stdin="1/x\nx^2\n")
    first, second = records(ran.out)
    assert (first["line"], first["value"], first["differentiable"]) == (1, None, False)
    assert "division by zero" in first["message"]
    assert (second["line"], second["value_exact"]) == (2, "0")
    assert ran.code == 1
