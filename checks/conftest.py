"""Real-data checks: run by `make check-real`, never by `make test`.

They read the real public exports in ``../shared/realdata`` (or ``$COMMLIB_REALDATA``),
which are never copied into this repository, and skip with a message when the folder
is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("COMMLIB_REALDATA", ROOT.parent / "shared" / "realdata"))


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"{REALDATA} not found: real-data checks skipped")
    return REALDATA


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
