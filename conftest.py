# The whole suite (tests/ and src/jikimi) can run with the clock shifted; see tests/clock_shift.py.
pytest_plugins = ["tests.clock_shift", "tests.audit_log", "tests.servers"]

from hypothesis import HealthCheck, settings  # noqa: E402

# The machine running the suite is shared and noisy (2 cores, other work beside): time is no measure
# of a property test's correctness, so no per-example deadline and no "too slow" health check.
settings.register_profile("jikimi", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("jikimi")
