"""``python -m jikimi.engine …`` — see cli.py."""

import sys

from jikimi.engine.cli import main

sys.exit(main())
