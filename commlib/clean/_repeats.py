"""Copies and repeats: exact duplicate rows removed, likely repeat calls flagged.

:func:`drop_duplicate_tickets` removes rows that agree on every column (the export
repeated them); :func:`mark_repeat_calls` keeps every row and links calls about one
problem at one place (same address key and category, close in time, near-identical
text) through ``repeat_of``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commlib.clean._address import add_address_key
from commlib.clean._arrow import _arrow
from commlib.clean._words import render_note
from commlib.errors import require_columns

logger = logging.getLogger("commlib.clean")


#: Columns that differ between two copies of one exported row and so are ignored when
#: looking for duplicates.
_PROVENANCE_COLUMNS = ("source_row",)


def _duplicates(df: pd.DataFrame, subset) -> tuple[np.ndarray, np.ndarray]:
    """(is_duplicate, position of the kept first copy) for each row."""
    cols = (
        [c for c in df.columns if c not in _PROVENANCE_COLUMNS] if subset is None else list(subset)
    )
    n = len(df)
    if n == 0 or not cols:
        return np.zeros(n, bool), np.arange(n)
    # Copies share every column, so only rows whose ticket_id (or, without one, whose
    # row hash) repeats can be copies; those few are then compared exactly, column by
    # column, so a hash collision can never drop a distinct row.
    if "ticket_id" in cols:
        maybe = df["ticket_id"].duplicated(keep=False).to_numpy()
    else:
        h = pd.util.hash_pandas_object(df[cols], index=False).to_numpy()
        maybe = pd.Series(h).duplicated(keep=False).to_numpy()
    dup = np.zeros(n, bool)
    first = np.arange(n)
    if maybe.any():
        idx = np.flatnonzero(maybe)
        sub = df.iloc[idx][cols].reset_index(drop=True)
        grp = sub.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()
        d = pd.Series(grp).duplicated().to_numpy()
        dup[idx] = d
        first_pos = pd.Series(idx).groupby(grp).transform("first").to_numpy()
        first[idx] = first_pos
    return dup, first


def drop_duplicate_tickets(
    df: pd.DataFrame, *, subset: Sequence[str] | None = None
) -> pd.DataFrame:
    """Remove rows that are exact copies of an earlier row.

    Exports often repeat a row (paged downloads, a merged file exported twice). A
    copy agrees on *every* column, ticket_id included; two calls about the same
    problem are different tickets and are kept (see :func:`mark_repeat_calls`). The
    first copy is kept. ``source_row`` is ignored, since copies sit on different
    rows of the file. Run it after :func:`normalize_text` so that copies differing
    only in spaces or full-width digits are caught.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    subset : sequence of str, optional
        Compare only these columns. Default: all but ``source_row``.

    Returns
    -------
    pandas.DataFrame
        A new frame without the later copies (index kept).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ticket_id": ["A", "A", "B"], "text": ["漏水", "漏水", "漏水"]})
    >>> drop_duplicate_tickets(df)["ticket_id"].tolist()
    ['A', 'B']
    """
    dup, _ = _duplicates(df, subset)
    logger.info("drop_duplicate_tickets: %d duplicate rows removed", int(dup.sum()))
    return df.loc[~dup].copy(deep=False)


# --------------------------------------------------------------------------------------
# mark_repeat_calls
# --------------------------------------------------------------------------------------

_SIG_BITS = 1024  # bigram-set signature width; 128 bytes per compared text


def _bigram_signatures(texts: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Each text's character bigrams hashed into a ``_SIG_BITS``-bit set (uint64 words)."""
    m = len(texts)
    words = _SIG_BITS // 64
    sig = np.zeros((m, words), dtype=np.uint64)
    if m == 0:
        return sig
    lengths = pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    texts = pc.fill_null(texts, "")
    # Slices of 8,192 texts: the dense bit matrix of one slice is 8 MB, and only one
    # slice's Python strings exist at a time.
    chunk = 8_192
    for start in range(0, m, chunk):
        stop = min(start + chunk, m)
        joined = "".join(texts.slice(start, stop - start).to_pylist())
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lens = lengths[start:stop]
        row = np.repeat(np.arange(stop - start), lens)
        if len(cp) < 2:
            continue
        same = row[1:] == row[:-1]
        h = (cp[:-1] * np.uint64(0x9E3779B1) + cp[1:] * np.uint64(0x85EBCA77)) >> np.uint64(7)
        h = (h % np.uint64(_SIG_BITS)).astype(np.int64)[same]
        bits = np.zeros((stop - start, _SIG_BITS), dtype=bool)
        bits[row[1:][same], h] = True
        sig[start:stop] = np.packbits(bits, axis=1).view(np.uint64)
    return sig


def _jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    inter = np.bitwise_count(a & b).sum(axis=1, dtype=np.int64)
    union = np.bitwise_count(a | b).sum(axis=1, dtype=np.int64)
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def lookback_pairs(ak_s, cat_s, t_s, tid_s, valid, *, window: int, lookback: int):
    """Candidate repeat pairs among rows sorted by place, category and time.

    Each row is paired with the ``lookback`` rows before it when both are ``valid``,
    share the place and category codes, lie within ``window`` (in the units of
    ``t_s``) and do not share a ticket id (ids < 0: none). Gives ``[(lag, i, j), ...]``
    with ``i`` the later and ``j`` the earlier sorted position. The pandas and the Dask
    cleaning both find their candidates here.
    """
    n = len(ak_s)
    pairs = []
    for k in range(1, lookback + 1):
        if n <= k:
            break
        i = np.arange(k, n)
        j = i - k
        c = (
            valid[i]
            & valid[j]
            & (ak_s[i] == ak_s[j])
            & (cat_s[i] == cat_s[j])
            & (t_s[i] - t_s[j] <= window)
            & ((tid_s[i] != tid_s[j]) | (tid_s[i] < 0))
        )
        pairs.append((k, i[c], j[c]))
    return pairs


def _mark_repeats(
    df: pd.DataFrame, window, similarity: float, lookback: int, text: str
) -> tuple[pd.DataFrame, int, str, dict]:
    n = len(df)
    out = df.copy(deep=False)
    if "address_key" not in df.columns:
        out = add_address_key(out)
    ids = df["ticket_id"] if "ticket_id" in df.columns else pd.Series(np.arange(n), index=df.index)
    ak = pd.factorize(out["address_key"])[0]
    cat = pd.factorize(out["category"])[0]
    created_us = pd.to_datetime(out["created_at"]).to_numpy("datetime64[us]")
    created = created_us.view(np.int64)
    nat = np.isnat(created_us)
    tid = pd.factorize(ids)[0]
    win = int(pd.Timedelta(window) / pd.Timedelta(microseconds=1))
    order = np.lexsort((created, cat, ak))
    ak_s, cat_s, t_s, tid_s = ak[order], cat[order], created[order], tid[order]
    valid = (ak_s >= 0) & (cat_s >= 0) & ~nat[order]
    pairs = lookback_pairs(ak_s, cat_s, t_s, tid_s, valid, window=win, lookback=lookback)
    parent = np.full(n, -1, dtype=np.int64)
    n_pairs = sum(len(p[1]) for p in pairs)
    if n_pairs:
        involved = np.unique(np.concatenate([np.concatenate([p[1], p[2]]) for p in pairs]))
        pos = np.full(n, -1, dtype=np.int64)
        pos[involved] = np.arange(len(involved))
        # Only the texts of rows in a candidate pair (no copy of the whole column).
        rows = order[involved]
        if text in out.columns:
            tx = out[text].iloc[rows].reset_index(drop=True)
        else:
            tx = pd.Series(pd.NA, index=pd.RangeIndex(len(rows)), dtype="str")
        if "title" in out.columns:
            tx = tx.fillna(out["title"].iloc[rows].reset_index(drop=True))
        texts = _arrow(tx)
        sig = _bigram_signatures(texts)
        # Largest lag first, so the nearest earlier match (smallest lag) wins.
        for _k, i, j in reversed(pairs):
            sim = _jaccard(sig[pos[i]], sig[pos[j]])
            hit = sim >= similarity
            parent[i[hit]] = j[hit]
    # Follow each chain to its first call (pointer jumping; parents are earlier rows).
    root = np.where(parent >= 0, parent, np.arange(n))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    is_repeat_sorted = parent >= 0
    repeat_of = np.full(n, None, dtype=object)
    id_values = ids.to_numpy(dtype=object)
    src = order[root[is_repeat_sorted]]
    repeat_of[order[is_repeat_sorted]] = id_values[src]
    out["repeat_of"] = pd.Series(repeat_of, index=out.index, dtype="str")
    n_rep = int(is_repeat_sorted.sum())
    chains = len(np.unique(root[is_repeat_sorted])) if n_rep else 0
    params = {
        "repeats": n_rep,
        "chains": chains,
        "window": str(window),
        "similarity": similarity,
        "pairs": n_pairs,
    }
    return out, n_rep, "repeats", params


def mark_repeat_calls(
    df: pd.DataFrame,
    *,
    window: str | pd.Timedelta = "3D",
    similarity: float = 0.6,
    lookback: int = 3,
    text: str = "text",
) -> pd.DataFrame:
    """Flag likely repeat calls about one problem; nothing is deleted.

    A ticket is a repeat of an earlier one when both have the same ``address_key``
    (built from ``address`` if absent) and the same ``category``, it was created at
    most ``window`` after that earlier ticket, it has a different ``ticket_id``, and
    their texts are near-identical: the Jaccard similarity of their character-bigram
    sets is at least ``similarity``. Chains are followed, so ``repeat_of`` holds the
    ticket_id of the *first* call of the chain (each link within ``window`` of the
    previous one); first calls and singletons get missing ``repeat_of``.

    Built to scale: rows are sorted by (address_key, category, created_at) and each
    row is compared only with the ``lookback`` rows before it, by shifting arrays;
    texts of candidate pairs are reduced to 1024-bit bigram-hash sets, so the
    similarity is a popcount. Hash collisions make the similarity slightly
    generous (about +0.05 for unrelated 150-character texts).

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with ``created_at`` (datetime), ``category``, ``address`` or
        ``address_key``, and ``text`` (``title`` fills a missing text).
    window : str or pandas.Timedelta, default "3D"
        Longest gap between two linked calls.
    similarity : float, default 0.6
        Smallest bigram Jaccard similarity of two texts for a repeat.
    lookback : int, default 3
        How many earlier calls of the same place and category each call is compared
        with.
    text : str, default "text"
        Column whose texts are compared.

    Returns
    -------
    pandas.DataFrame
        A new frame with ``repeat_of`` (and ``address_key`` if it was built).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "ticket_id": ["A", "B", "C", "D"],
    ...     "created_at": pd.to_datetime(["2024-03-01 08:00", "2024-03-02 09:00",
    ...                                   "2024-03-03 10:00", "2024-03-20 10:00"]),
    ...     "category": ["噪音扰民"] * 4,
    ...     "address": ["云岭西路123号", "云岭西路一二三号", "云岭西路123号底商", "云岭西路123号"],
    ...     "text": ["楼下酒吧深夜噪音很大影响休息", "楼下酒吧深夜噪音很大影响休息!",
    ...              "楼下酒吧深夜噪音很大,影响休息", "楼下酒吧深夜噪音很大影响休息"],
    ... })
    >>> mark_repeat_calls(df)["repeat_of"].tolist()
    [nan, 'A', 'A', nan]
    """
    require_columns(df, ["created_at", "category"], where="mark_repeat_calls")
    if "address_key" not in df.columns:
        require_columns(df, ["address"], where="mark_repeat_calls")
    out, _, code, params = _mark_repeats(df, window, similarity, lookback, text)
    logger.info("mark_repeat_calls: %s", render_note(code, params, "en"))
    return out
