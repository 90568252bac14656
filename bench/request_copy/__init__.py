"""A request's masked copy, end to end: vault → window → masked clip → sealed package → AES-256 ZIP.

    .venv/bin/python -m bench.request_copy [--runs 3] [--fps 30] [--minutes 10]

See __main__.py. Writes bench/results/request_copy.json.
"""
