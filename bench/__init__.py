"""Benchmarks: `python -m bench` runs them all; `python -m bench.<name> --quick` runs one, smaller."""
