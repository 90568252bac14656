"""Fixtures of the disclosure tests."""

from jikimi.disclosure.tests.intake_world import intake_stores, intake_world

__all__ = ["intake_stores", "intake_world"]
