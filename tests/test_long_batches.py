"""Long batches hold (issue 23): the worker is recycled between lines as it grows, a line that
breaks the memory budget after others is asked again of a fresh worker, and only a line over
the budget on its own fails. The progress line appears only on a terminal, or when asked."""

import os
import pty
import subprocess
from functools import partial

import pytest
from conftest import installed_deriv, read_terminal

from chainrule_cli import worker
from chainrule_cli.errors import OverBudget

MIB = 2**20
kept: list = []  # what the handler leaves behind, in the child: an earlier line's leftovers


def handler(request):
    """ "keep N": leave N MiB behind; "need N": use N MiB for this request only."""
    what, size = request.split()
    block = bytearray(int(size) * MIB)
    if what == "keep":
        kept.append(block)
    return len(block) // MIB


def budget_above_a_fresh_worker(room_mb: int) -> worker.Budget:
    """A budget `room_mb` above what a fresh worker under it takes: its VM, of which its thread
    stack is a quarter of the budget (at most WORKER_STACK_MB). The probe's own budget is
    roomy, since this process's VM grows with the threads earlier tests ran (each leaves a
    malloc arena reserved)."""
    from chainrule_cli.limits import WORKER_STACK_MB

    probe = worker.Worker(lambda _: worker.memory(), worker.Budget(10, 100_000))
    try:
        _, vm = probe.ask(None)
    finally:
        probe.close()
    base = vm // MIB - WORKER_STACK_MB  # without the stack
    if (base + WORKER_STACK_MB + room_mb) // 4 >= WORKER_STACK_MB:
        return worker.Budget(10, base + WORKER_STACK_MB + room_mb)
    return worker.Budget(10, -(-(base + room_mb) * 4 // 3))  # budget = base + budget/4 + room


def largest_block(_request: object) -> int:
    """In a worker: the most MiB it can still allocate in one piece (to 2 MiB)."""
    low, high = 0, 4096
    while high - low > 2:
        middle = (low + high) // 2
        try:
            bytearray(middle * MIB)
            low = middle
        except MemoryError:
            high = middle
    return low


def test_a_line_over_the_budget_after_others_is_asked_again_of_a_fresh_worker(monkeypatch):
    """Half the room left behind by three lines, then a line that needs two thirds: over the
    budget in that worker, within it in a fresh one. The room is measured, since the C
    library may reserve more or less for the worker's thread."""
    monkeypatch.setattr(worker, "RECYCLE_SHARE_OF_ROOM", 10.0)  # no recycling: the retry alone
    budget = worker.Budget(10, budget_above_a_fresh_worker(160).memory_mb, recycle_mb=10**6)
    room = worker.run_limited(partial(largest_block, None), budget)
    sixth = room // 6
    asked = worker.Worker(handler, budget)
    try:
        assert [asked.ask(f"keep {sixth}") for _ in range(3)] == [sixth] * 3
        assert asked.ask(f"need {4 * sixth}") == 4 * sixth
        assert asked.retried == 1
    finally:
        asked.close()


def test_a_line_over_the_budget_on_its_own_still_fails(monkeypatch):
    budget = budget_above_a_fresh_worker(160)
    asked = worker.Worker(handler, budget)
    try:
        assert asked.ask("keep 10") == 10
        with pytest.raises(OverBudget, match="on its own in a fresh worker"):
            asked.ask("need 400")
        assert asked.ask("need 10") == 10  # and the next line runs
    finally:
        asked.close()


def test_the_worker_is_recycled_between_lines_as_it_grows():
    asked = worker.Worker(handler, worker.Budget(10, 2048, recycle_mb=20))
    try:
        answers = [asked.ask(f"keep {n}") for n in (5, 10, 10, 10, 10, 10)]
        assert answers == [5, 10, 10, 10, 10, 10] and asked.recycled >= 1 and asked.retried == 0
    finally:
        asked.close()


LINES = "".join(f"{a}x^{a % 5 + 2} + sin({a}x)*tanh(x^2 + {a})\n" for a in range(1, 61))


def test_recycling_changes_no_output(deriv_process):
    """Recycled after every line (1 MiB of growth) or never: the same lines, in order."""
    once = deriv_process("diff", "-", "--format", "expr", stdin=LINES)
    often = deriv_process(
        "diff", "-", "--format", "expr", stdin=LINES, env={"DERIV_RECYCLE_MB": "1"}
    )
    assert once.code == often.code == 0 and once.out == often.out
    assert len(often.out.splitlines()) == 60


def test_a_bad_recycling_setting(deriv_process):
    ran = deriv_process("diff", "x^2", env={"DERIV_RECYCLE_MB": "none"})
    assert ran.code == 2 and "DERIV_RECYCLE_MB must be a whole number" in ran.err


def test_no_progress_line_on_a_pipe(deriv_process, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text(LINES * 3)
    ran = deriv_process("diff", f"@{path}", "--format", "expr")
    assert "lines/s" not in ran.err
    asked = deriv_process("diff", f"@{path}", "--format", "expr", env={"DERIV_PROGRESS": "1"})
    assert "lines/s" in asked.err and asked.out == ran.out


def test_a_progress_line_on_a_terminal(tmp_path):
    """stderr a terminal (a pseudo-terminal here), stdout a file: the progress line is drawn
    on the terminal, and the results in the file are the same as without it."""
    path = tmp_path / "lines.txt"
    path.write_text(LINES * 3)
    leader, follower = pty.openpty()
    with open(tmp_path / "out.txt", "w") as out:
        proc = subprocess.Popen(
            [*installed_deriv(), "diff", f"@{path}", "--format", "expr"],
            stdout=out,
            stderr=follower,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        os.close(follower)
        drawn = read_terminal(leader)
        proc.wait(timeout=120)
    os.close(leader)
    assert proc.returncode == 0 and b"lines/s" in drawn
    assert len((tmp_path / "out.txt").read_text().splitlines()) == 180


def smallest_budget_for_a_line(deriv_process) -> int:
    """The least DERIV_MEMORY_MB (to 4 MiB) under which a batch of one cheap line runs: what a
    fresh worker of this deriv takes on this machine (its thread stack is a quarter of it)."""
    low, high = 64, 1024  # fails, runs
    while high - low > 4:
        middle = (low + high) // 2
        ran = deriv_process("diff", "-", stdin="x^2\n", env={"DERIV_MEMORY_MB": str(middle)})
        low, high = (low, middle) if ran.code == 0 else (middle, high)
    return high


def wide_line(number: int, rng) -> str:
    """A sum of 40 distinct terms: about 0.7 MiB left in SymPy's caches, measured."""
    functions = ("sin", "cos", "exp", "tanh", "atan")
    return " + ".join(
        f"{rng.randint(2, 999)}*{rng.choice(functions)}({rng.randint(2, 999)}x + {number})"
        for _ in range(40)
    )


def test_a_batch_under_a_small_budget_crossing_it_loses_no_line(deriv_process):
    """A budget 21 MiB above the least a line needs (16 MiB of room, a quarter of it goes to
    the stack); 40 lines leave about 28 MiB behind, more than one worker has room for. Every
    line is answered, once and in order (line n's derivative keeps its "x + n)")."""
    import random

    rng = random.Random(23)
    lines = "".join(wide_line(number, rng) + "\n" for number in range(1, 41))
    budget = smallest_budget_for_a_line(deriv_process) + 21
    ran = deriv_process(
        "diff", "-", "--format", "expr", stdin=lines, env={"DERIV_MEMORY_MB": str(budget)}
    )
    assert ran.code == 0 and "error" not in ran.err
    answers = ran.out.splitlines()
    assert len(answers) == 40
    assert all(f"x + {number})" in answer for number, answer in enumerate(answers, 1))


def test_a_line_over_the_budget_on_its_own_fails_with_its_line_number(deriv_process):
    """2^(2^31 + 30) as an exact number is 256 MiB: over a 300 MiB budget in any worker."""
    ran = deriv_process(
        "diff",
        "-",
        "--at",
        "x=2",
        "--format",
        "expr",
        stdin="x^2\nx^(2^31)\nx^3\n",
        env={"DERIV_MEMORY_MB": "300"},
    )
    assert ran.code == 3 and ran.out == "4\n\n12\n"
    assert "error: line 2: computation exceeded the memory limit" in ran.err
    assert "on its own in a fresh worker" in ran.err


def test_a_spawned_worker_reports_its_memory_and_is_recycled_the_same_way():
    asked = worker.Worker(handler, worker.Budget(10, 2048, recycle_mb=20), backend="spawn")
    try:
        answers = [asked.ask(f"keep {n}") for n in (5, 10, 10, 10)]
        assert answers == [5, 10, 10, 10] and asked.recycled == 1 and asked.retried == 0
    finally:
        asked.close()
