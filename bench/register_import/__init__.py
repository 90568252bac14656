"""Hostile register files: what refusing each costs (time, peak memory). See __main__.py."""
