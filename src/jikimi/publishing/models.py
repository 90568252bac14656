"""Published policy versions (immutable once published)."""
