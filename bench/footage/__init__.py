"""Footage storage benchmark: envelope encryption against a plain copy, range-read latency, ingest speed.

Run with ``.venv/bin/python -m bench.footage`` from the repository root (``--quick`` for a smoke run);
results go to bench/results/footage.json.
"""
