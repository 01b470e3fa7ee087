"""The text format: one layout of labelled lines, written plain or styled (pretty)."""
