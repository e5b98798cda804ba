"""Rows regrouped so that what one analysis reads together lives in one partition.

The place analyses (:func:`commlib.near_miss_alerts`, :func:`commlib.link_sources`)
compare a place with the other places of its community. On Dask the rows are first
given their place as the whole table would (building aliases learned from counts over
all partitions), then shuffled on a group key so that every place and its community
sit in one partition, where the pandas function runs unchanged. Each row carries its
global position ``_pos``; a partition is sorted by it before the pandas function
runs, so ties are broken as in the whole table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POS = "_pos"
PLACE = "_place"
GROUP = "_group"


def place_keys(part: pd.DataFrame, place: str) -> pd.Series:
    """The place key of each row before aliases are merged (as ``_places`` reads it)."""
    if place == "address_key" and place not in part.columns and "address" in part.columns:
        from commlib.clean import address_key

        keys = address_key(part["address"])
    else:
        keys = part[place]
    return keys.astype("str").set_axis(part.index)


def key_community_counts(part: pd.DataFrame, place: str, community: str) -> pd.DataFrame:
    """Rows per (place key, community) of one partition, as ``place_aliases`` counts them."""
    pairs = pd.DataFrame(
        {"key": place_keys(part, place).to_numpy(), "c": part[community].to_numpy()}
    ).dropna()
    return pairs.groupby(["key", "c"], observed=True).size().rename("n").reset_index()


def alias_map(counts: list[pd.DataFrame]) -> dict:
    """``{alias: place}`` learned from all partitions' counts, as :func:`place_aliases` would.

    ``place_aliases`` reads only each key's most frequent community (ties to the first
    in sort order), so it runs here on one row per key carrying that community.
    """
    from commlib.attribution import place_aliases

    counts = [c for c in counts if len(c)]
    if not counts:
        return {}
    total = pd.concat(counts).groupby(["key", "c"], observed=True)["n"].sum().reset_index()
    mode = total.sort_values(["key", "n"], ascending=[True, False], kind="stable")
    mode = mode.drop_duplicates("key")
    table = place_aliases(
        pd.DataFrame({"address_key": mode["key"].to_numpy(), "community": mode["c"].to_numpy()})
    )
    return dict(zip(table["alias"], table["place"], strict=True))


def merged_places(part: pd.DataFrame, place: str, aliases: dict) -> pd.Series:
    """The place of each row with the whole table's aliases merged."""
    keys = place_keys(part, place)
    if aliases:
        from commlib.attribution._places import _on_uniques

        keys = _on_uniques(keys, lambda u: u.replace(aliases))
    return keys


def lengths_and(ddf, fn=None, *args) -> tuple[np.ndarray, list]:
    """Rows per partition (for global positions) and ``fn(partition, *args)`` of each."""
    import dask

    parts = ddf.to_delayed()
    done = dask.compute(*[dask.delayed(_len_and)(p, fn, args) for p in parts])
    return np.array([d[0] for d in done], dtype=np.int64), [d[1] for d in done]


def aliases_and_offsets(ddf, place: str, community: str | None, merge_aliases: bool):
    """Building aliases learned from the whole table, and each partition's first row.

    Aliases are merged only for ``address_key`` places with a community column (as the
    pandas functions do); the offsets give rows their position in the whole table.
    """
    aliases: dict = {}
    if place == "address_key" and merge_aliases and community is not None:
        lengths, counts = lengths_and(ddf, key_community_counts, place, community)
        aliases = alias_map(counts)
    else:
        lengths, _ = lengths_and(ddf)
    return aliases, np.concatenate([[0], np.cumsum(lengths)[:-1]])


def _len_and(part, fn, args):
    return len(part), (fn(part, *args) if fn is not None else None)


def regroup(ddf, prep, offsets: np.ndarray, args: tuple, npartitions: int | None = None):
    """``prep(partition, offset, *args)`` on every partition, then shuffled on ``_group``.

    ``prep`` gives the columns the analysis reads, ``_pos`` and ``_group``; its Dask
    ``meta`` comes from running it on the empty frame. Gives the shuffled partitions as
    delayed pandas frames, and the dtypes to give them back (:func:`in_order`): Dask
    may store strings as ``string[pyarrow]`` on the way.
    """
    import dask
    import dask.dataframe as dd

    meta = prep(ddf._meta, 0, *args)
    shared = [shared_arg(a) for a in args]
    pieces = [
        dask.delayed(prep)(p, int(o), *shared)
        for p, o in zip(ddf.to_delayed(), offsets, strict=True)
    ]
    frame = dd.from_delayed(pieces, meta=meta, verify_meta=False)
    n = npartitions or ddf.npartitions
    return frame.shuffle(on=GROUP, npartitions=n).to_delayed(), meta.dtypes.to_dict()


def shared_arg(value):
    """A lookup table sent once to the workers, not copied into every partition's task."""
    import dask

    if isinstance(value, dict | pd.DataFrame) and len(value) > 100:
        return dask.delayed(value, traverse=False)
    return value


def in_order(part: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """A shuffled partition back in the whole table's row order and dtypes."""
    part = part.sort_values(POS, kind="stable")
    if list(part.dtypes) != list(dtypes.values()):
        part = part.astype(dtypes)
    return part
