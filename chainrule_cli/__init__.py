"""deriv: derivatives, gradients and the chain rule from the command line."""

__version__ = "0.1.0"
