"""What every test needs around the audit log's protections (R40).

- Each test keeps its own checkpoint file: a checkpoint one test signed must not be read by another
  test's verification (its database holds a different log), nor by a developer's own runs.
- Django empties the tables between transactional tests with one TRUNCATE on PostgreSQL, which the
  audit tables' TRUNCATE trigger (audit migration 0003) refuses. Only in the test run, the flush runs
  with `session_replication_role = replica`, under which ordinary triggers do not fire; setting it
  needs superuser rights, which the test database's user has and an application role never does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations


@pytest.fixture(autouse=True)
def _audit_anchor_of_this_test(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Not created until a test anchors (FileAnchor makes the folder).
    folder = tmp_path_factory.getbasetemp() / "audit_anchor" / uuid.uuid4().hex
    settings.JIKIMI_AUDIT_ANCHOR_PATH = str(folder / "audit_anchor.jsonl")
    settings.JIKIMI_AUDIT_ANCHOR_S3_URL = ""
    settings.JIKIMI_AUDIT_ANCHOR_EMAILS = []


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_truncate_trigger() -> Iterator[None]:
    original = DatabaseOperations.sql_flush

    def sql_flush(self: DatabaseOperations, *args: Any, **kwargs: Any) -> list[str]:
        statements = original(self, *args, **kwargs)
        if not statements:
            return statements
        # SET LOCAL ends with the flush's own transaction.
        return ["SET LOCAL session_replication_role = replica", *statements]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    try:
        yield
    finally:
        DatabaseOperations.sql_flush = original  # type: ignore[method-assign]
