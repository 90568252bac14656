"""Files of secrets made on first use (Django's secret key, the master key, the audit signing key).

Several processes start at once on one data directory (the web server, queue workers, recorders), and
each may find the file missing. The file is written whole under a temporary name, mode 0600 whatever the
umask, and linked into place: link() never replaces, so the first process's secret wins and the others
read it. A process never sees a half-written or empty file, and never fails because another was first.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def create_once(path: Path, content: bytes) -> None:
    """Create `path` holding `content` unless it exists; when another process creates it first, theirs stays."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
