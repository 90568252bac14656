"""Masking benchmark: jikimi against deface 1.5.0 on a labelled synthetic 1080p clip and real clips.

Run with ``.venv/bin/python -m bench.masking`` from the repository root.
"""
