"""Identity columns of a Dask frame, chosen as :func:`commlib.clean.find_identity_columns` does."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib.clean._arrow import _is_text_column
from commlib.clean._columns import (
    _CANONICAL,
    _SAMPLE,
    IDENTITY_SHARE,
    _content_share,
    identity_by_header,
)


def _filled(s: pd.Series) -> pd.Series:
    """The cells the content test samples from (filled, not blank), as ``str``."""
    filled = s.dropna()
    if filled.dtype.kind == "f" and len(filled) and (filled == filled.round()).all():
        filled = filled.astype("int64")
    filled = filled.astype("str")
    return filled[filled.str.strip() != ""]


def _counts(part: pd.DataFrame, cols: list[str]) -> list[int]:
    return [len(_filled(part[c])) for c in cols]


def _cells(part: pd.DataFrame, cols: list[str], wanted: list[np.ndarray]) -> list[pd.Series]:
    return [_filled(part[c]).iloc[w] for c, w in zip(cols, wanted, strict=True)]


def identity_columns(ddf) -> dict[str, dict]:
    """``{column: how it was found}`` for the whole frame, as on one machine.

    Headers decide from the columns alone; for the other non-canonical columns the
    same evenly spaced sample of filled cells is drawn over the whole frame (one pass
    to count filled cells per partition, one to fetch the sampled ones), so the choice
    is the pandas path's. Canonical-only archives (the usual case) cost no pass.
    """
    import dask

    meta = ddf._meta
    by_header: dict[str, dict] = {}
    cols: list[str] = []
    for col in meta.columns:
        if col in _CANONICAL:
            continue
        if identity_by_header(col):
            by_header[col] = {"by": "header"}
            continue
        s = meta[col]
        if _is_text_column(s) or s.dtype.kind in "iuf":
            cols.append(col)
    shares: dict[str, float] = {}
    if cols:
        parts = ddf[cols].to_delayed()
        counts = np.array(
            dask.compute(*[dask.delayed(_counts)(p, cols) for p in parts]), dtype=np.int64
        ).reshape(len(parts), len(cols))
        starts = np.vstack([np.zeros(len(cols), np.int64), np.cumsum(counts, axis=0)])
        wanted = []
        for i in range(len(parts)):
            row = []
            for k in range(len(cols)):
                total = int(starts[-1, k])
                picks = np.arange(total)
                if total > _SAMPLE:
                    picks = np.linspace(0, total - 1, _SAMPLE).astype(int)
                lo, hi = starts[i, k], starts[i + 1, k]
                row.append(picks[(picks >= lo) & (picks < hi)] - lo)
            wanted.append(row)
        found = dask.compute(
            *[dask.delayed(_cells)(p, cols, w) for p, w in zip(parts, wanted, strict=True)]
        )
        for k, col in enumerate(cols):
            sample = pd.concat([f[k] for f in found])
            shares[col] = _content_share(sample) if len(sample) else 0.0
    out: dict[str, dict] = {}
    for col in meta.columns:
        if col in by_header:
            out[col] = by_header[col]
        elif col in shares and shares[col] >= IDENTITY_SHARE:
            out[col] = {"by": "content", "share": round(shares[col], 3)}
    return out
