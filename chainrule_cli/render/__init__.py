"""Renderers: results in, text out. One module per output format."""
