"""Reproducible measurements of the course's recipes (run with ``python -m benchmarks.recipes``)."""
