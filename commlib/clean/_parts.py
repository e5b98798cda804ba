"""What runs on one partition: the per-row cleaning, the key columns, the final touches.

Every function here takes pandas frames and plain values only, so it runs the same on
a thread, a worker process or a remote worker. Row positions are global: a partition's
``offset`` is the number of input rows in the partitions before it, so position
``offset + i`` is the row's position in the whole archive, as in the pandas path.

Two drivers use them: :func:`commlib.dask.clean_tickets` (partitions on a cluster) and
:func:`commlib.clean._pieces.clean_in_pieces` (pieces in this process, the lean path of
``commlib report``); the helpers at the end turn the partitions' facts into one log,
the copies and the repeat calls for both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib.clean._arrow import _arrow
from commlib.clean._pipeline import _clean_rows, _StepRecorder, hash_caller_step
from commlib.clean._repeats import (
    _PROVENANCE_COLUMNS,
    _bigram_signatures,
    _jaccard,
    lookback_pairs,
)

#: The column that stands in for the ``digest`` columns of :func:`clean_part`.
DIGEST = "_digest"

#: Cheap columns hashed beside the ticket_id to find the rows that may be exact copies.
#: Copies agree on every column, so on these; rows that only share a ticket_id (an id
#: reused by another year, office or system: 21% of 10,000,000 generated tickets share
#: one with another) seldom agree on them too, and are then not gathered to be compared.
COPY_GATE = ("created_at", "address", "category")


def clean_part(df: pd.DataFrame, opts: dict, mask: bool, salt, given: bool, digest=()):
    """The per-row steps of :func:`commlib.clean_tickets` and the caller-id hash on one partition.

    Gives ``(rows, rejected parts, log entries, rows in)``. ``source_row`` is numbered
    from 1 within the partition (unless ``given``); :func:`shift` makes it global.
    The ``digest`` columns (those the caller will not read) are replaced in the clean
    rows by one 64-bit hash of them, :data:`DIGEST`: exact copies are still told apart
    by them (a hash collision, about one in 10^19 per pair, would join two rows that
    differ only there), and :func:`finish` leaves it out.
    """
    work = df.reset_index(drop=True)
    work.attrs = {}
    if not given:
        work.insert(0, "source_row", np.arange(1, len(work) + 1, dtype=np.int64))
    rows, rejected, entries = _clean_rows(work, opts)
    rec = _StepRecorder()

    # the same step as in clean_tickets: clean and rejected rows, salt given
    hash_caller_id = hash_caller_step(mask=mask, salt=salt, rejected_parts=rejected)
    rows = rec.run("hash_caller_id", rows, hash_caller_id)
    gone = [c for c in digest if c in rows.columns]
    if gone:
        hashed = pd.util.hash_pandas_object(rows[gone], index=False).to_numpy()
        rows = rows.drop(columns=gone).assign(**{DIGEST: hashed})
    return rows, rejected, entries + rec.entries, len(df)


def facts(state) -> dict:
    """The small facts of a cleaned partition the driver needs (no rows but the rejected)."""
    rows, rejected, entries, n_in = state
    return {
        "n_in": n_in,
        "n_rows": len(rows),
        "entries": entries,
        "rejected": rejected,
        # taken, not sliced: an Arrow slice, even of no row, keeps the whole
        # partition's buffers alive (2 GB of cleaned pieces held twice at 2M rows)
        "empty": rows.take(np.array([], dtype=np.intp)),
        "addresses": rows["address"].dropna().unique() if "address" in rows.columns else None,
        "keys": rows["address_key"].dropna().unique() if "address_key" in rows.columns else None,
    }


def conform(rows: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the columns and dtypes of ``meta``, the cleaned partitions' common ones.

    A partition that is empty, or empty by the time a step runs, may order added
    columns differently or type them otherwise (datetimes in ns, not us).
    """
    if list(rows.columns) != list(meta.columns):
        rows = rows[list(meta.columns)]
    if list(rows.dtypes) == list(meta.dtypes):
        return rows
    return rows.astype(meta.dtypes.to_dict())


def rows_at(state, meta, offset: int, shift: int) -> pd.DataFrame:
    """The cleaned rows, dtypes as ``meta``, global ``source_row`` and global positions as index."""
    rows = conform(state[0], meta)
    rows = rows.copy(deep=False)
    rows.index = rows.index + offset
    if shift:
        rows["source_row"] = rows["source_row"] + shift
    return rows


def keys(
    state, meta, offset: int, shift: int, repeat_cols: tuple, signatures: bool = False
) -> pd.DataFrame:
    """Small key columns of each row: position, ticket_id (or row hash), repeat-call keys.

    With ``signatures``, also each row's text signature (``_sig0``, ``_sig1`` ...: the
    words of :func:`_bigram_signatures` of the compared text), so that repeat calls can
    be compared wherever the keys are shuffled to (:func:`similar_pairs`).
    """
    rows = rows_at(state, meta, offset, shift)
    cols = [c for c in rows.columns if c not in _PROVENANCE_COLUMNS]
    out = {"_pos": rows.index.to_numpy(dtype=np.int64)}
    if "ticket_id" not in rows.columns:  # copies are found by a hash of the whole row
        hashed = cols
    else:  # by the ticket_id and a hash of a few cheap columns (see COPY_GATE)
        hashed = [c for c in COPY_GATE if c in rows.columns]
    out["_h"] = (
        pd.util.hash_pandas_object(rows[hashed], index=False).to_numpy()
        if hashed
        else np.zeros(len(rows), dtype=np.uint64)
    )
    frame = pd.DataFrame(out)

    def text(col):
        if col in rows.columns:
            return rows[col].astype("str").to_numpy()
        return np.full(len(rows), None, dtype=object)

    frame["_tid"] = pd.Series(text("ticket_id"), dtype="str")
    if repeat_cols:
        frame["_ak"] = pd.Series(text("address_key"), dtype="str")
        frame["_cat"] = pd.Series(text("category"), dtype="str")
        created = pd.to_datetime(rows["created_at"]).to_numpy("datetime64[us]")
        frame["_t"] = created.view(np.int64)
    if signatures:
        sig = _bigram_signatures(_arrow(_compared_text(rows, "text")))
        for w in range(sig.shape[1]):
            frame[f"{SIG_PREFIX}{w}"] = sig[:, w]
    return frame


#: Prefix of the key columns holding a row's text signature, one uint64 word each.
SIG_PREFIX = "_sig"


def _compared_text(rows: pd.DataFrame, text: str) -> pd.Series:
    """The text repeat calls are compared by: ``text``, or the title where it is missing."""
    if text in rows.columns:
        tx = rows[text].reset_index(drop=True)
    else:
        tx = pd.Series(pd.NA, index=pd.RangeIndex(len(rows)), dtype="str")
    if "title" in rows.columns:
        tx = tx.fillna(rows["title"].reset_index(drop=True))
    return tx


def similar_pairs(
    part: pd.DataFrame, *, window_us: int, lookback: int, similarity: float
) -> tuple[pd.DataFrame, int]:
    """The repeat-call pairs of one shuffled key partition whose texts are near-identical.

    :func:`pairs` on the partition, then the candidates' signatures (key columns made
    with ``signatures=True``) compared right there, so no candidate pair leaves the
    worker. Gives the passing pairs (``i``, ``j``, ``lag``) and the number of
    candidates.
    """
    found = pairs(part, window_us=window_us, lookback=lookback)
    if not len(found):
        return found, 0
    cols = [c for c in part.columns if c.startswith(SIG_PREFIX)]
    order = np.argsort(part["_pos"].to_numpy(), kind="stable")
    pos = part["_pos"].to_numpy()[order]
    sig = part[cols].to_numpy(dtype=np.uint64)[order]
    a = np.searchsorted(pos, found["i"].to_numpy())
    b = np.searchsorted(pos, found["j"].to_numpy())
    passed = _jaccard(sig[a], sig[b]) >= similarity
    return found.loc[passed].reset_index(drop=True), len(found)


def drop_positions(keys_part: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """The key rows whose global position is not in ``positions`` (the copies removed)."""
    return keys_part.loc[~keys_part["_pos"].isin(positions)]


def copy_candidates(part: pd.DataFrame, by: str) -> np.ndarray:
    """Which key rows may be exact copies: their ticket_id and gate hash (or, without a
    ticket_id, their row hash) repeat. Exact copies agree on every column, so on these."""
    subset = [by] if by == "_h" else [by, "_h"]
    return part.duplicated(subset=subset, keep=False).to_numpy()


def repeated_keys(part: pd.DataFrame, by: str) -> pd.DataFrame:
    """Rows of a shuffled partition that may be exact copies (:func:`copy_candidates`)."""
    return part.loc[copy_candidates(part, by), ["_pos"]]


def reused_ids(part: pd.DataFrame) -> pd.DataFrame:
    """Rows of a ticket_id-shuffled partition whose ticket_id repeats an earlier one."""
    n = int(part["_tid"].duplicated().sum()) if len(part) else 0
    return pd.DataFrame({"n": [n]})


def pairs(part: pd.DataFrame, *, window_us: int, lookback: int) -> pd.DataFrame:
    """Candidate repeat-call pairs in one (address key, category)-shuffled partition.

    As :func:`commlib.clean.mark_repeat_calls`: rows sorted by address key, category,
    creation time and position; each row paired with the ``lookback`` rows before it
    when they share the place and category, lie within the window and do not share a
    ticket_id. Gives global positions ``i`` (later) and ``j`` (earlier) and the lag.
    """
    empty = pd.DataFrame(
        {"i": np.array([], np.int64), "j": np.array([], np.int64), "lag": np.array([], np.int64)}
    )
    n = len(part)
    if n < 2:
        return empty
    ak = pd.factorize(part["_ak"])[0]
    cat = pd.factorize(part["_cat"])[0]
    t = part["_t"].to_numpy()
    pos = part["_pos"].to_numpy()
    tid = pd.factorize(part["_tid"])[0]
    order = np.lexsort((pos, t, cat, ak))
    ak_s, cat_s, t_s, tid_s, pos_s = ak[order], cat[order], t[order], tid[order], pos[order]
    valid = t_s != np.iinfo(np.int64).min
    pairs = lookback_pairs(ak_s, cat_s, t_s, tid_s, valid, window=window_us, lookback=lookback)
    out = [pd.DataFrame({"i": pos_s[i], "j": pos_s[j], "lag": np.int64(k)}) for k, i, j in pairs]
    return pd.concat(out, ignore_index=True) if out else empty


def take(state, meta, offset: int, shift: int, positions: np.ndarray) -> pd.DataFrame:
    """The cleaned rows at the given global positions (the duplicate candidates)."""
    rows = rows_at(state, meta, offset, shift)
    return rows.loc[rows.index.isin(positions)]


def similar(
    state,
    meta,
    offset: int,
    kept_offset: int,
    local: pd.DataFrame,
    cross: np.ndarray,
    dup_pos: np.ndarray,
    text: str,
    identity: tuple,
    similarity: float,
):
    """The repeat-call pairs of one partition whose texts are near-identical.

    ``local`` holds the candidate pairs with both rows in this partition: their
    bigram signatures are compared here, and the pairs that pass are returned. For the
    rows in ``cross`` (pairs across partitions) the signatures are returned, for the
    driver to compare. Also gives the ids of the earlier rows of passing pairs and of
    the ``cross`` rows (the ticket_id, or without one the row's position among the
    kept rows, as :func:`commlib.clean.mark_repeat_calls` numbers them), and the
    count of kept rows with an identity cell filled.
    """
    rows = conform(state[0], meta)
    pos = rows.index.to_numpy(dtype=np.int64) + offset
    kept = ~np.isin(pos, dup_pos)
    rows, pos = rows.loc[kept], pos[kept]
    cols = [c for c in identity if c in rows.columns]
    n_identity = int(rows[cols].notna().any(axis=1).sum()) if cols else 0
    wanted = np.union1d(np.union1d(local["i"].to_numpy(), local["j"].to_numpy()), cross)
    hit = np.isin(pos, wanted)  # pos is sorted: rows come in position order
    sub = rows.loc[hit]
    sub_pos = pos[hit]
    sig = _bigram_signatures(_arrow(_compared_text(sub, text)))
    if "ticket_id" in rows.columns:
        ids = sub["ticket_id"].to_numpy(dtype=object)
    else:
        ids = (kept_offset + np.flatnonzero(hit)).astype(object)
    a = np.searchsorted(sub_pos, local["i"].to_numpy())
    b = np.searchsorted(sub_pos, local["j"].to_numpy())
    passed = _jaccard(sig[a], sig[b]) >= similarity if len(local) else np.zeros(0, bool)
    hits = local.loc[passed]
    c = np.searchsorted(sub_pos, cross)
    named = np.union1d(b[passed], c)
    return hits, (cross, sig[c]), pd.Series(ids[named], index=sub_pos[named]), n_identity


def protect(frame: pd.DataFrame, cols: tuple, policy: str, salt) -> pd.DataFrame:
    """Identity columns hashed with the caller salt, or dropped (the last cleaning step)."""
    present = [c for c in cols if c in frame.columns]
    if not present:
        return frame
    if policy == "drop":
        return frame.drop(columns=present)
    from commlib.privacy import hash_identifier

    frame = frame.copy(deep=False)
    for c in present:
        frame[c] = hash_identifier(frame[c], salt=salt)
    return frame


def finish(
    state,
    meta,
    offset: int,
    shift: int,
    kept_offset: int,
    dup_pos: np.ndarray,
    repeat_of: pd.Series | None,
    identity: tuple,
    policy: str,
    salt,
) -> pd.DataFrame:
    """The clean tickets of one partition: copies out, ``repeat_of`` in, identity protected."""
    rows = rows_at(state, meta, offset, shift)
    rows = rows.loc[~rows.index.isin(dup_pos)]
    if repeat_of is not None:
        values = np.full(len(rows), None, dtype=object)
        found = repeat_of.reindex(rows.index)
        hit = found.notna().to_numpy()
        values[hit] = found.to_numpy(dtype=object)[hit]
        rows = rows.copy(deep=False)
        rows["repeat_of"] = pd.Series(values, index=rows.index, dtype="str")
    rows = protect(rows, identity, policy, salt)
    if DIGEST in rows.columns:
        rows = rows.drop(columns=DIGEST)
    return rows.set_axis(pd.RangeIndex(kept_offset, kept_offset + len(rows)), axis=0)


# --------------------------------------------------------------------------------------
# What the drivers do with the partitions' facts (the Dask one and the in-process one)
# --------------------------------------------------------------------------------------


def entry(step, rows_in, rows_out, changed, seconds, code, params) -> dict:
    """One log entry of a whole-table step."""
    return {
        "step": step,
        "rows_in": int(rows_in),
        "rows_out": int(rows_out),
        "rows_changed": int(changed),
        "seconds": seconds,
        "cpu_seconds": seconds,
        "note_code": code,
        "note_params": params,
    }


def row_entries(all_facts: list[dict]) -> list[dict]:
    """One log from the partitions' logs; distinct counts taken over the whole table."""
    from commlib.clean._pipeline import _merge_entries

    used = [f["entries"] for f in all_facts if f["n_in"]] or [all_facts[0]["entries"]]
    merged = _merge_entries(used)
    for e in merged:
        if e["step"] == "add_address_key" and e["note_code"] == "address_key":
            addresses = [f["addresses"] for f in all_facts if f["addresses"] is not None]
            found = [f["keys"] for f in all_facts if f["keys"] is not None]
            e["note_params"] = {
                "addresses": len(pd.unique(np.concatenate(addresses))) if addresses else 0,
                "keys": len(pd.unique(np.concatenate(found))) if found else 0,
            }
    return merged


def common_meta(all_facts: list[dict]) -> pd.DataFrame:
    """Dtypes of the cleaned rows, from the real partitions (not from an empty one)."""
    full = [f["empty"] for f in all_facts if f["n_rows"]]
    if not full:
        return all_facts[0]["empty"]
    if all(list(e.dtypes) == list(full[0].dtypes) for e in full):
        return full[0]
    return pd.concat(full).iloc[:0]


def duplicate_rows(found: list[pd.DataFrame]) -> pd.DataFrame:
    """``source_row`` and ``duplicate_of`` of the exact copies among the candidate rows
    ``found`` (from :func:`take`), indexed by global position."""
    from commlib.clean._repeats import _duplicates

    empty = pd.DataFrame(
        {"source_row": np.array([], np.int64), "duplicate_of": np.array([], np.int64)},
        index=pd.Index([], dtype=np.int64),
    )
    if not found:
        return empty
    rows = pd.concat(found).sort_index(kind="stable")
    dup, first = _duplicates(rows, None)
    src = rows["source_row"].to_numpy()
    return pd.DataFrame(
        {"source_row": src[dup], "duplicate_of": src[first[dup]]}, index=rows.index[dup]
    )


def kept_offsets(offsets, dup_pos: np.ndarray, all_facts: list[dict]) -> list[int]:
    """Where each part's rows start once the exact duplicates are dropped.

    ``offsets`` are the parts' first rows in the whole table, ``dup_pos`` the sorted
    positions of the dropped copies, ``all_facts`` each part's :func:`facts`.

    >>> kept_offsets([0, 3, 5], np.array([1, 4]), [{"n_rows": 3}, {"n_rows": 2}, {"n_rows": 4}])
    [0, 2, 3]
    """
    dup_per_part = np.bincount(
        np.searchsorted(np.r_[offsets[1:], np.iinfo(np.int64).max], dup_pos, side="right"),
        minlength=len(all_facts),
    )
    counts = [f["n_rows"] - int(d) for f, d in zip(all_facts, dup_per_part, strict=True)]
    return np.r_[0, np.cumsum(counts)[:-1]].astype(int).tolist()


def owners(positions: np.ndarray, offsets: list[int]) -> np.ndarray:
    """The partition holding each global row position (``offsets``: each one's first)."""
    ends = np.r_[offsets[1:], np.iinfo(np.int64).max]
    return np.searchsorted(ends, positions, side="right")


def split_pairs(pairs: pd.DataFrame, offsets: list[int]):
    """The candidate pairs of each partition, and those across partitions.

    Gives ``(cross_pairs, per_partition)``, ``per_partition[p] = (local, cross)``: the
    pairs with both rows in partition ``p``, and the positions of ``p``'s rows in pairs
    across partitions (their signatures are compared by :func:`link_repeats`).
    """
    pi = owners(pairs["i"].to_numpy(), offsets)
    pj = owners(pairs["j"].to_numpy(), offsets)
    across = pi != pj
    cross_pairs = pairs.loc[across]
    per_partition = []
    for p in range(len(offsets)):
        local = pairs.loc[~across & (pi == p)]
        cross = np.union1d(
            cross_pairs["i"].to_numpy()[pi[across] == p],
            cross_pairs["j"].to_numpy()[pj[across] == p],
        )
        per_partition.append((local, cross))
    return cross_pairs, per_partition


def link_repeats(found, pairs, cross_pairs, *, need, window, similarity, n_kept):
    """``repeat_of`` by global position, identity cells counted, and the log entry.

    ``found`` holds what :func:`similar` gave for each partition, in order.
    """
    from commlib.clean._words import COLUMN_SEP

    n_identity = sum(f[3] for f in found)
    if need:
        e = entry(
            "mark_repeat_calls",
            n_kept,
            n_kept,
            0,
            0.0,
            "no_column",
            {"column": COLUMN_SEP.join(need)},
        )
        return None, n_identity, e
    hits = [f[0] for f in found]
    if len(cross_pairs):
        cpos = np.concatenate([f[1][0] for f in found])
        csig = np.concatenate([f[1][1] for f in found])
        order = np.argsort(cpos)
        cpos, csig = cpos[order], csig[order]
        a = np.searchsorted(cpos, cross_pairs["i"].to_numpy())
        b = np.searchsorted(cpos, cross_pairs["j"].to_numpy())
        hits.append(cross_pairs.loc[_jaccard(csig[a], csig[b]) >= similarity])
    hits = pd.concat(hits, ignore_index=True)
    return link_hits(
        hits, found, len(pairs), n_identity, window=window, similarity=similarity, n_kept=n_kept
    )


def link_hits(hits, found, n_pairs: int, n_identity: int, *, window, similarity, n_kept):
    """``repeat_of`` from the passing pairs ``hits``; ids of their earlier rows in ``found``
    (what :func:`similar` gave for each partition), and the log entry."""
    ids = pd.concat([f[2] for f in found])
    ids = ids[~ids.index.duplicated()]
    nodes = np.union1d(hits["i"].to_numpy(), hits["j"].to_numpy())
    parent = np.full(len(nodes), -1, dtype=np.int64)
    a = np.searchsorted(nodes, hits["i"].to_numpy())
    b = np.searchsorted(nodes, hits["j"].to_numpy())
    lag = hits["lag"].to_numpy()
    # Largest lag first, so the nearest earlier match (smallest lag) wins.
    for k in sorted(np.unique(lag), reverse=True):
        sel = lag == k
        parent[a[sel]] = b[sel]
    root = np.where(parent >= 0, parent, np.arange(len(nodes)))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    is_repeat = parent >= 0
    n_rep = int(is_repeat.sum())
    root_ids = ids.reindex(nodes[root[is_repeat]]).to_numpy(dtype=object)
    repeat_of = pd.Series(root_ids, index=nodes[is_repeat], dtype=object)
    params = {
        "repeats": n_rep,
        "chains": len(np.unique(root[is_repeat])) if n_rep else 0,
        "window": str(window),
        "similarity": similarity,
        "pairs": int(n_pairs),
    }
    e = entry("mark_repeat_calls", n_kept, n_kept, n_rep, 0.0, "repeats", params)
    return repeat_of, n_identity, e


def identity_entry(mask: bool, identity: dict, policy: str, n_kept: int, n_identity: int):
    """The log entry of the identity-column step."""
    if not mask:
        return entry("identity_columns", n_kept, n_kept, 0, 0.0, "hash_off", {})
    if not identity:
        return entry("identity_columns", n_kept, n_kept, 0, 0.0, "no_identity_columns", {})
    params = {"columns": list(identity), "found": identity, "policy": policy}
    return entry("identity_columns", n_kept, n_kept, n_identity, 0.0, f"identity_{policy}", params)
