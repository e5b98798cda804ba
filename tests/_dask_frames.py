"""Dask frames cut where a test wants them: shared by the tests of commlib.dask."""

from __future__ import annotations

import dask
import dask.dataframe as dd
import pandas as pd


def cut(frame: pd.DataFrame, bounds, *, reset_index: bool = True) -> dd.DataFrame:
    """A Dask frame cut at the given row positions (repeats make empty partitions).

    With ``reset_index`` each partition's index starts at 0 again, as files read one
    per partition do; without it the rows keep the frame's index.
    """
    cuts = [0, *bounds, len(frame)]
    pieces = [frame.iloc[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    if reset_index:
        pieces = [p.reset_index(drop=True) for p in pieces]
    return dd.from_delayed([dask.delayed(p) for p in pieces], meta=frame.iloc[:0])
