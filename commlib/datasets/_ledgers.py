"""Synthetic sample tables for the ledgers notebooks (every record invented).

``SAMPLES`` maps a sample name to (file name in ``data/sample/``, builder). A builder
takes no arguments and returns a DataFrame, deterministically; ``write_sample`` writes
it as UTF-8 CSV and ``load_sample(name)`` reads it back (or rebuilds it in memory).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

SAMPLES: dict[str, tuple[str, Callable[[], pd.DataFrame]]] = {}
