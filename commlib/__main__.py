"""``python -m commlib report ...``: the same command line as ``commlib report ...``."""

from __future__ import annotations

import sys

from commlib.cli import main

if __name__ == "__main__":
    sys.exit(main())
