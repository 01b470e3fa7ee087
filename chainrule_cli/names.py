"""Names that look like products: `xy` beside `x` and `y` is one variable, as documented, but
a reader may have meant x·y, so deriv says how it read the name."""

from __future__ import annotations

from collections.abc import Iterable


def looks_like_product(name: str, others: Iterable[str]) -> list[str] | None:
    """The shortest split of name into two or more of the other names, or None: xy -> [x, y]."""
    parts = sorted({o for o in others if o != name and o}, key=len, reverse=True)
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(name) + 1):
        for part in parts:
            start = end - len(part)
            if start in best and name[start:end] == part:
                candidate = best[start] + [part]
                if end not in best or len(candidate) < len(best[end]):
                    best[end] = candidate
    split = best.get(len(name))
    return split if split and len(split) >= 2 else None


def product_like(names: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each multi-letter name that splits into others of the same input: [("xy", ["x", "y"])]."""
    names = list(dict.fromkeys(names))
    found = []
    for name in names:
        if len(name) > 1:
            split = looks_like_product(name, names)
            if split:
                found.append((name, split))
    return found
