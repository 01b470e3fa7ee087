"""Batch mode: `-` and `@file`, one expression per line, one record per line, errors per line."""

import json

import pytest


def records(out):
    return [json.loads(line) for line in out.splitlines()]


def test_json_lines_keep_order_and_line_numbers(deriv_process):
    ran = deriv_process("diff", "-", "--format", "json", stdin="6x^2\n\n# comment\nx^^2\nsin(x)\n")
    assert [(r["line"], r["result"]) for r in records(ran.out)] == [(1, "12*x"), (5, "cos(x)")]
    assert ran.err == "error: line 4: unexpected '^' (column 3)\n  x^^2\n    ^\n"
    assert ran.code == 2


def test_exit_code_is_the_highest_per_line(deriv_process):
    ran = deriv_process("diff", "-", "--format", "expr", stdin="1/x\nx^^2\n2^10^10\nx^2\n")
    assert ran.out == "-1/x**2\n2*x\n"
    assert ran.code == 3
    assert [
        line.split(":")[1].strip() for line in ran.err.splitlines() if line.startswith("error")
    ] == ["line 2", "line 3"]


def test_all_good_is_exit_0(deriv_process):
    ran = deriv_process("grad", "-", "--format", "expr", stdin="3x+y\nx^2 y\n")
    assert (ran.code, ran.out, ran.err) == (0, "3, 1\n2*x*y, x**2\n", "")


def test_math_failures_per_line(deriv_process):
    ran = deriv_process("diff", "-", "--at", "x=0", "--format", "expr", stdin="1/x\nx^2\n")
    assert ran.out == "0\n"
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
    assert ran.out == "2*x\n3*x**2\n"
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
    assert ran.out == "362880*x\n40320\n"
    assert ran.err == "error: line 2: computation exceeded 1 s (raise it with --timeout)\n"
    assert ran.code == 3


def test_notes_carry_the_line(deriv_process):
    ran = deriv_process("diff", "-", "--wrt", "z", "--format", "expr", stdin="x\n")
    assert ran.err == "note: line 1: f does not depend on z\n"


def test_chain_in_batch(deriv_process):
    ran = deriv_process("chain", "-", "--format", "json", stdin="sin(x^2)\n(3x+1)^5\n")
    assert [r["inner"] for r in records(ran.out)] == [{"u": "x**2"}, {"u": "3*x + 1"}]
