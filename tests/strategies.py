"""Hypothesis strategies shared by the property tests."""

from hypothesis import strategies as st


def expressions(variables: tuple[str, ...] = ("x", "y")):
    """Expression text from the grammar, with functions kept inside their domains."""
    atoms = st.sampled_from([*variables, "2", "3", "0.5", "1.25", "pi", "e"])

    def extend(inner):
        return st.one_of(
            st.builds(lambda a, b: f"{a} + {b}", inner, inner),
            st.builds(lambda a, b: f"{a} - ({b})", inner, inner),
            st.builds(lambda a, b: f"({a})({b})", inner, inner),
            st.builds(lambda a, b: f"({a}) * {b}", inner, inner),
            st.builds(lambda a, b: f"({a}) / (2 + ({b})^2)", inner, inner),
            st.builds(lambda a, k: f"({a})^{k}", inner, st.sampled_from(["2", "3", "-1"])),
            st.builds(lambda a: f"-{a}" if a[0] not in "-+" else f"-({a})", inner),
            st.builds(lambda a: f"2{a}" if a[0].isalpha() else f"2({a})", inner),
            st.builds(
                lambda f, a: f"{f}({a})",
                st.sampled_from(["sin", "cos", "exp", "tanh", "atan", "asinh"]),
                inner,
            ),
            st.builds(lambda a: f"sqrt(1 + ({a})^2)", inner),
            st.builds(lambda a: f"log(2 + ({a})^2)", inner),
        )

    return st.recursive(atoms, extend, max_leaves=6)
