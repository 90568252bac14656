"""Recording capacity: how many simulated cameras one machine records (remux + encrypt + store).

See __main__.py; run with ``python -m bench.recording`` from the repository's root.
"""
