"""Hostile register files: what refusing each costs (time, peak memory). See __main__.py.
Large registers (광양시, a synthetic 20,000 devices): import, render, export. See scale.py."""
