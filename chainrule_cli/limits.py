"""Every static limit in one place, so the parser, the tests and docs/ cite the same numbers."""

MAX_EXPRESSION_LENGTH = 100_000  # characters of one expression
MAX_NESTING_DEPTH = 500  # parentheses and function calls inside each other
MAX_IDENTIFIER_LENGTH = 64  # characters of one variable name
MAX_NUMBER_DIGITS = 1_000  # digits of one numeric literal
MAX_DECIMAL_EXPONENT = 1_000  # |n| in a literal such as 1e-n
MAX_POWER_BITS = (
    2**31
)  # estimated size of a numeric power, in bits: 9^9^9 passes (kept unevaluated)
EVALUATED_POWER_BITS = 4_096  # numeric powers up to this size are computed while parsing
MAX_DERIVATIVE_ORDER = 1_000
MAX_VARIABLES = 10_000

# The budget of one computation, in a forked worker (see worker.py).
DEFAULT_TIMEOUT_SECONDS = 10.0  # --timeout, or DERIV_TIMEOUT
DEFAULT_MEMORY_MB = 2048  # DERIV_MEMORY_MB
WORKER_STACK_MB = 256
WORKER_RECURSION_LIMIT = 50_000

# A batch worker is replaced by a fresh fork between lines (never during one) once it has grown
# this much since its first line, or has used this share of the room the memory budget leaves
# above that first line: SymPy's caches and Python's heap only grow.
RECYCLE_GROWTH_MB = 64
RECYCLE_SHARE_OF_ROOM = 0.5
