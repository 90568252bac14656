"""Vault at scale: existence-check latency over ~10 M segment rows, and one day of retention.

See __main__.py; run with ``python -m bench.vault`` (``--quick`` for a smoke run) from the repository's root.
"""
