"""Arrow helpers the cleaning steps share: string arrays in and out of pandas, masks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _is_text_column(s: pd.Series) -> bool:
    """True if ``s`` holds strings (``str`` dtype, or object dtype of strings)."""
    if isinstance(s.dtype, pd.StringDtype):
        return True
    if s.dtype == object:
        return pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty")
    return False


def _arrow(s: pd.Series) -> pa.ChunkedArray:
    """The Arrow string array behind ``s`` (converted to ``str`` dtype first if needed)."""
    if not (isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"):
        s = s.astype("str")
    arr = s.array.__arrow_array__()
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    if not pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.large_string())
    return arr


def _series(arr: pa.ChunkedArray | pa.Array, like: pd.Series) -> pd.Series:
    """A ``str`` Series from an Arrow string array, with the index and name of ``like``."""
    return pd.Series(arr, dtype="str", index=like.index, name=like.name)


def _np_bool(arr) -> np.ndarray:
    """Arrow boolean (nulls count as False) to a NumPy bool array."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool, copy=False)


def _where_replace(arr: pa.ChunkedArray, pattern: str, repl: str, *, regex: bool = True):
    """Replace ``pattern`` only in the rows that contain it (cheap when few do)."""
    match = pc.match_substring_regex if regex else pc.match_substring
    replace = pc.replace_substring_regex if regex else pc.replace_substring
    hit = _np_bool(match(arr, pattern))
    n_hit = int(hit.sum())
    if n_hit == 0:
        return arr
    if n_hit > len(arr) // 4:
        return replace(arr, pattern, repl)
    mask = pa.array(hit)
    fixed = replace(pc.filter(arr, mask), pattern, repl)
    return pc.replace_with_mask(_combined(arr), mask, _combined(fixed))


def _combined(arr) -> pa.Array:
    """One contiguous Arrow array (``replace_with_mask`` wants plain arrays)."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _on_rows(arr, rows: np.ndarray, fn):
    """Apply the array function ``fn`` to the rows where ``rows`` is True only."""
    n_rows = int(rows.sum())
    if n_rows == 0:
        return arr
    if n_rows == len(arr):
        return fn(arr)
    mask = pa.array(rows)
    return pc.replace_with_mask(_combined(arr), mask, _combined(fn(pc.filter(arr, mask))))


def _per_distinct(arr, fn, *, min_rows: int = 50_000, max_share: float = 0.1):
    """``fn(arr)``, computed once per distinct value when values repeat a lot.

    ``fn`` must map each cell on its own (an Arrow string array to one of the same
    length). When the first 20,000 cells hold at most ``max_share`` distinct values,
    the column is dictionary-encoded, ``fn`` runs on the dictionary and the result is
    taken back to the rows: the same cells, a fraction of the work. Small or mostly
    distinct columns (free text) are passed to ``fn`` whole.
    """
    n = len(arr)
    if n < min_rows:
        return fn(arr)
    probe = pc.unique(arr.slice(0, 20_000))
    if len(probe) > max_share * min(n, 20_000):
        return fn(arr)
    encoded = _combined(pc.dictionary_encode(arr))
    clean = _combined(fn(pa.chunked_array([encoded.dictionary])))
    return pa.chunked_array([pc.take(clean, encoded.indices)])  # Array.take: fast path


def _row_numbers(df: pd.DataFrame) -> np.ndarray:
    """Row numbers in the user's file: ``source_row`` if present, else from ``attrs``."""
    if "source_row" in df.columns:
        return df["source_row"].to_numpy()
    first = df.attrs.get("first_data_row")
    start = int(first) if first is not None else 1
    return np.arange(start, start + len(df), dtype=np.int64)
