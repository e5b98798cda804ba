"""Where the real public exports are: one rule for every benchmark and evaluation script.

``$COMMLIB_REALDATA`` when set, else the first ``shared/realdata`` folder beside this
checkout or one of its parents (``../shared/realdata`` next to the repository, as CI has
it). The folder is never copied into the repository; scripts skip with a message when it
is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def realdata(*parts: str) -> Path:
    """The real-data folder (or a path inside it); it may not exist.

    >>> realdata("boston311_2015").name
    'boston311_2015'
    """
    env = os.environ.get("COMMLIB_REALDATA")
    if env:
        base = Path(env)
    else:
        found = [p / "shared" / "realdata" for p in ROOT.parents]
        base = next((p for p in found if p.exists()), ROOT.parent / "shared" / "realdata")
    return base.joinpath(*parts)
