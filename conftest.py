# The whole suite (tests/ and src/jikimi) can run with the clock shifted; see tests/clock_shift.py.
pytest_plugins = ["tests.clock_shift", "tests.audit_log", "tests.servers"]
