"""Themes of a Dask frame: fitted on a sample chosen by row hash, assigned per partition."""

from __future__ import annotations

import copy
import hashlib

import numpy as np
import pandas as pd

from commlib.errors import require_columns

#: Tickets the clusterer is fitted on by default (the report's themes section fits on
#: as many, then places the rest with ``predict``).
THEME_SAMPLE = 10_000


def _hash_key(random_state: int) -> str:
    """The 16-character key of pandas' row hash, from the seed."""
    return hashlib.blake2b(str(int(random_state)).encode(), digest_size=8).hexdigest()


def _key_columns(columns, text: str, key) -> list[str]:
    if key is not None:
        return [key] if isinstance(key, str) else list(key)
    return [c for c in ("ticket_id", "source_row") if c in columns] + [text]


def row_hashes(df: pd.DataFrame, *, text: str, key, random_state: int) -> pd.Series:
    """A hash of each row's key columns (their text form), missing for rows without text.

    It depends on the row's own values only, never on its position: the same rows
    are drawn however the table is cut into partitions.
    """
    cols = _key_columns(df.columns, text, key)
    frame = pd.DataFrame({c: df[c].astype("str").to_numpy() for c in cols}, dtype="str")
    h = pd.Series(
        pd.util.hash_pandas_object(frame, index=False, hash_key=_hash_key(random_state))
        .to_numpy()
        .astype(np.uint64),
        index=df.index,
    )
    texts = df[text].astype("str")
    filled = texts.notna() & (texts.str.strip() != "")
    return h.where(filled.to_numpy())


def _smallest(part: pd.DataFrame, n: int, opts: dict) -> np.ndarray:
    h = row_hashes(part, **opts).dropna().to_numpy(dtype=np.uint64)
    return np.sort(h)[:n]


def _below(part: pd.DataFrame, cut, opts: dict) -> pd.DataFrame:
    h = row_hashes(part, **opts)
    keep = (h <= cut).fillna(False).to_numpy(dtype=bool)
    return part.loc[keep].assign(_h=h[keep].to_numpy(dtype=np.uint64))


def theme_sample(
    ddf,
    *,
    n: int = THEME_SAMPLE,
    text: str = "text",
    key=None,
    random_state: int = 0,
) -> pd.DataFrame:
    """The tickets themes are fitted on: the ``n`` with the smallest row hash.

    Drawing by position (every k-th row, or ``sample`` per partition) would draw other
    tickets when the archive is cut otherwise; a hash of each ticket's own values
    (``ticket_id``, ``source_row`` and its text, or the ``key`` columns) draws the same
    tickets on any partitioning, and on one machine. Tickets without text are never
    drawn. Ties (identical keys) go to the earlier row.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Tickets with a text column.
    n : int, default 10,000
        Tickets to draw (all, when fewer have text).
    text : str, default "text"
        Text column.
    key : str or list of str, optional
        Columns that identify a ticket; default ``ticket_id`` and ``source_row`` (those
        present) and ``text``.
    random_state : int, default 0
        Seeds the hash: another seed draws another sample.

    Returns
    -------
    pandas.DataFrame
        The drawn rows in the archive's order, with their index.

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> df = pd.DataFrame({"ticket_id": [f"T{i}" for i in range(8)], "text": ["吵"] * 8})
    >>> a = theme_sample(dd.from_pandas(df, npartitions=1), n=3)
    >>> b = theme_sample(dd.from_pandas(df, npartitions=4), n=3)
    >>> a["ticket_id"].tolist() == b["ticket_id"].tolist()
    True
    """
    import dask

    from commlib.dask._clean import _check_dask

    _check_dask(ddf, "theme_sample")
    require_columns(ddf._meta, _key_columns(ddf._meta.columns, text, key), where="theme_sample")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}.")
    opts = {"text": text, "key": key, "random_state": random_state}
    parts = ddf.to_delayed()
    low = dask.compute(*[dask.delayed(_smallest)(p, n, opts) for p in parts])
    pooled = np.sort(np.concatenate([np.asarray(x, dtype=np.uint64) for x in low]))
    if len(pooled) == 0:
        return ddf._meta.copy()
    cut = pooled[min(n, len(pooled)) - 1]
    found = dask.compute(*[dask.delayed(_below)(p, cut, opts) for p in parts])
    rows = pd.concat(found)
    # identical keys tie at the cut: the earlier rows are kept
    extra = len(rows) - min(n, len(pooled))
    if extra:
        at_cut = np.flatnonzero(rows["_h"].to_numpy() == cut)
        rows = rows.iloc[np.setdiff1d(np.arange(len(rows)), at_cut[len(at_cut) - extra :])]
    return rows.drop(columns="_h")


def fit_themes(
    ddf,
    clusterer,
    *,
    n: int = THEME_SAMPLE,
    text: str = "text",
    key=None,
    random_state: int = 0,
):
    """A clone of ``clusterer`` fitted on :func:`theme_sample` of the archive.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Tickets with a text column.
    clusterer : commlib.cluster.TicketClusterer
        The model to fit (left unfitted: a clone is fitted).
    n, text, key, random_state
        As in :func:`theme_sample` (``random_state`` seeds the draw; the clusterer
        has its own).

    Returns
    -------
    commlib.cluster.TicketClusterer
        Fitted on the sample's texts, in the archive's order.
    """
    from sklearn.base import clone

    sample = theme_sample(ddf, n=n, text=text, key=key, random_state=random_state)
    return clone(clusterer).fit(sample[text])


def _assign(part: pd.DataFrame, clusterer, text: str, theme: str, theme_id: str):
    """The themes of one partition's tickets (``predict``, one process per partition)."""
    if len(part):
        model = copy.copy(clusterer)
        model.n_jobs = 1  # Dask runs the partitions in parallel
        ids = model.predict(part[text])
    else:
        ids = np.zeros(0, dtype=np.intp)
    names = pd.Series(ids, index=part.index).map(clusterer.names_)
    return part.assign(**{theme_id: ids, theme: names.astype("str")})


def assign_themes(
    ddf,
    clusterer,
    *,
    text: str = "text",
    theme: str = "theme",
    theme_id: str = "theme_id",
    n: int = THEME_SAMPLE,
    key=None,
    random_state: int = 0,
):
    """:func:`commlib.cluster.assign_themes` of a Dask frame: each partition placed by ``predict``.

    A fitted clusterer places every partition's tickets; an unfitted one is first
    cloned and fitted on :func:`theme_sample` of the archive (to keep the fitted
    model, call :func:`fit_themes` and pass it in). ``predict`` reads each ticket
    alone, so a ticket's theme is the one the same model gives it on one machine.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Tickets with a text column.
    clusterer : commlib.cluster.TicketClusterer
        Fitted or not.
    text, theme, theme_id : str
        As in :func:`commlib.cluster.assign_themes`.
    n, key, random_state
        The sample an unfitted clusterer is fitted on (:func:`theme_sample`).

    Returns
    -------
    dask.dataframe.DataFrame
        ``ddf`` with ``theme`` (the name) and ``theme_id`` (int, -1 for misc).

    Examples
    --------
    >>> import dask.dataframe as dd, pandas as pd
    >>> from commlib.cluster import TicketClusterer
    >>> df = pd.DataFrame({"text": ["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"]})
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> out = assign_themes(dd.from_pandas(df, npartitions=2), tc)
    >>> sorted(out["theme_id"].compute().value_counts().tolist())
    [2, 2]
    """
    import dask

    from commlib.dask._clean import _check_dask

    _check_dask(ddf, "assign_themes")
    require_columns(ddf._meta, [text], where="assign_themes: the ticket table")
    if not hasattr(clusterer, "labels_"):
        clusterer = fit_themes(ddf, clusterer, n=n, text=text, key=key, random_state=random_state)
    meta = _assign(ddf._meta, clusterer, text, theme, theme_id)
    model = dask.delayed(clusterer, pure=False)
    return ddf.map_partitions(_assign, model, text, theme, theme_id, meta=meta)
