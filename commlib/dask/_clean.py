""":func:`clean_tickets` on a Dask frame, with the pandas path's results.

The per-row steps run partition by partition (the very function the pandas path runs on
its thread partitions); the whole-table steps look at small key columns only: exact
copies by a shuffle of row hashes, repeat calls by a shuffle of (address key, category,
time, ticket_id), with the texts of candidate pairs reduced to bigram signatures where
they lie. The cleaned partitions are persisted once (on the cluster's workers with
``distributed``), so the input is read once.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib.clean import _parts
from commlib.clean._columns import POLICIES
from commlib.clean._dates import DATE_RANGE
from commlib.clean._pipeline import (
    _log_frame,
    _ParameterError,
    _rejected_frame,
    _row_options,
)
from commlib.clean._text import DATE_COLUMNS
from commlib.clean._words import step_label
from commlib.dask._identity import identity_columns
from commlib.errors import CommlibError
from commlib.privacy._model import DEFAULT_NAMES


def _check_dask(ddf, where: str) -> None:
    import dask.dataframe as dd

    if not isinstance(ddf, dd.DataFrame):
        raise CommlibError(key="dask.not_dask", params={"where": where, "kind": type(ddf).__name__})


@dataclasses.dataclass(frozen=True)
class DaskCleanResult:
    """What :func:`commlib.dask.clean_tickets` hands back.

    The fields of :class:`commlib.clean.CleanResult`, with the tables as Dask frames
    (``log`` stays a pandas frame). ``tickets`` is lazy over the cleaned partitions
    kept in memory (on the workers); ``rejected`` and ``duplicates`` are small and
    already computed, in one partition each. ``tickets.compute()``,
    ``rejected.compute()`` and ``duplicates.compute()`` equal what
    :func:`commlib.clean_tickets` gives on the same rows, index included.

    Attributes
    ----------
    tickets, rejected, duplicates : dask.dataframe.DataFrame
        As in :class:`commlib.clean.CleanResult`.
    log : pandas.DataFrame
        As in :class:`commlib.clean.CleanResult` (``seconds`` are the wall clock of
        the step across the cluster, ``cpu_seconds`` summed over partitions).
    lang : {"zh", "en"}
        The language ``reason``, ``note`` and :meth:`summary` are written in.
    """

    tickets: object
    rejected: object
    duplicates: object
    log: pd.DataFrame
    lang: str = "zh"

    @property
    def rows_in(self) -> int:
        """Rows in the input table."""
        return int(self.log["rows_in"].iloc[0]) if len(self.log) else 0

    def compute(self):
        """The :class:`commlib.clean.CleanResult` of the same rows, in this process.

        Computes the clean tickets, rejected rows and duplicates in one pass: what
        :func:`commlib.clean_tickets` returns on the concatenated partitions. The clean
        tickets must fit in this process's memory.

        Examples
        --------
        >>> import dask.dataframe as dd
        >>> raw = pd.DataFrame({"created_at": ["2024-03-05", "2024-03-06", "bad"],
        ...                     "text": ["楼道漏水", "噪音扰民", "漏水"]})
        >>> res = clean_tickets(dd.from_pandas(raw, npartitions=2), salt="s").compute()
        >>> type(res).__name__, len(res.tickets), len(res.rejected), res.rows_in
        ('CleanResult', 2, 1, 3)
        """
        import dask

        from commlib.clean import CleanResult

        tickets, rejected, duplicates = dask.compute(self.tickets, self.rejected, self.duplicates)
        return CleanResult(
            tickets=tickets, rejected=rejected, duplicates=duplicates, log=self.log, lang=self.lang
        )

    def summary(self, lang: str | None = None) -> str:
        """Where every input row went, in ``lang`` (as :meth:`CleanResult.summary`)."""
        lang = check_lang(lang or self.lang)
        rejected = self.rejected.compute()
        n_dup = int(len(self.duplicates))
        clean = self.rows_in - len(rejected) - n_dup
        lines = [
            t(
                "clean.summary.head",
                lang,
                rows_in=self.rows_in,
                clean=clean,
                rejected=len(rejected),
                duplicates=n_dup,
            )
        ]
        if len(rejected):
            for step, count in rejected["step"].value_counts(sort=False).items():
                lines.append(
                    t("clean.summary.step", lang, step=step_label(step, lang), count=count)
                )
        return "\n".join(lines)


class _Clock:
    """Wall-clock seconds of the whole-table steps, run on the driver and the cluster."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        out, self.t0 = round(now - self.t0, 3), now
        return out


def clean_tickets(
    ddf,
    *,
    salt: str | bytes | None = None,
    mask: bool = True,
    boilerplate: Sequence[str] | str | PathLike | None = None,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    repeat_window: str | pd.Timedelta = "3D",
    repeat_similarity: float = 0.6,
    date_columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    date_range: tuple | None = DATE_RANGE,
    pii_columns: str = "hash",
    lang: str = "zh",
    names: str = DEFAULT_NAMES,
) -> DaskCleanResult:
    """Clean a Dask frame of tickets: :func:`commlib.clean_tickets`, partition by partition.

    The same steps, parameters and results as :func:`commlib.clean_tickets` on the
    concatenated partitions (clean tickets, rejected rows, duplicates, the log's
    counts and notes), for archives too large for one process. Per-row steps
    (normalising, masking, dates, boilerplate, categories, address keys, the caller
    hash) run on each partition; exact copies and repeat calls are found across
    partitions by shuffling small key columns only (a hash of each row, the address
    key, category, time and ticket_id). Every row is accounted for: rows in = clean
    + rejected + duplicates, checked before returning.

    ``source_row`` numbers the rows 1, 2, ... through the partitions in order (files
    in sorted order for :func:`commlib.dask.read_tickets`), unless the frame has one.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Tickets with canonical columns (:func:`commlib.dask.read_tickets`).
    salt : str or bytes
        Salt of the caller-id and identity-column hashes. Required when masking:
        partitions run in separate processes, where a drawn salt would differ.
    mask, boilerplate, synonyms, repeat_window, repeat_similarity, date_columns, dayfirst, date_range, pii_columns, lang, names
        As in :func:`commlib.clean_tickets`.

    Returns
    -------
    DaskCleanResult
        ``tickets``, ``rejected``, ``duplicates`` (Dask frames) and ``log`` (pandas).

    Raises
    ------
    CommlibError
        ``salt`` missing while masking; ``ddf`` not a Dask frame.

    Examples
    --------
    >>> import dask, dask.dataframe as dd
    >>> from commlib.datasets import make_tickets
    >>> raw = make_tickets(200, random_state=0)
    >>> ddf = dd.from_pandas(raw, npartitions=3)
    >>> with dask.config.set(scheduler="synchronous"):
    ...     result = clean_tickets(ddf, salt="secret")
    ...     tickets = result.tickets.compute()
    >>> import commlib
    >>> pandas_path = commlib.clean_tickets(raw, salt="secret")
    >>> tickets.equals(pandas_path.tickets)
    True
    >>> print(result.summary(lang="en").splitlines()[0])
    200 rows in: 197 clean, 1 rejected, 2 duplicates removed.
    """
    import dask
    import dask.dataframe as dd

    lang = check_lang(lang)
    _check_dask(ddf, "commlib.dask.clean_tickets")
    if pii_columns not in POLICIES:
        raise _ParameterError(key="clean.error.pii_columns", params={"value": repr(pii_columns)})
    if mask and salt is None:
        raise CommlibError(key="dask.salt_missing")
    clock = _Clock()
    given = "source_row" in ddf.columns
    identity = identity_columns(ddf) if mask else {}
    ident = tuple(identity)
    opts = _row_options(
        ident,
        mask=mask,
        boilerplate=boilerplate,
        synonyms=synonyms,
        date_columns=date_columns,
        dayfirst=dayfirst,
        date_range=date_range,
        names=names,
    )
    clean_part = dask.delayed(_parts.clean_part, pure=True)
    states = [clean_part(p, opts, mask, salt, given) for p in ddf.to_delayed()]
    states = list(dask.persist(*states))
    facts = list(dask.compute(*[dask.delayed(_parts.facts)(s) for s in states]))
    entries = _parts.row_entries(facts)
    meta = _parts.common_meta(facts)
    n_in = sum(f["n_in"] for f in facts)
    offsets = np.r_[0, np.cumsum([f["n_in"] for f in facts])[:-1]].astype(int).tolist()
    shifts = [0 if given else o for o in offsets]
    n_rows = sum(f["n_rows"] for f in facts)
    clock.lap()

    # Exact copies: rows whose hash repeats (a shuffle of two integer columns), then
    # those few rows compared column by column, as the pandas path does.
    repeat_need = [c for c in ("created_at", "category") if c not in meta.columns]
    if "address_key" not in meta.columns:
        repeat_need.append("address")
    repeat_cols = () if repeat_need else ("address_key", "category", "created_at")
    key_fn = dask.delayed(_parts.keys, pure=True)

    def key_frame(sigs: bool):
        # Not persisted: made from the cleaned partitions when a shuffle needs them
        # (twice, a few seconds per million rows), rather than held beside them (with
        # the text signatures, about 250 bytes a row: 2.5 GB at 10,000,000 rows).
        key_meta = _parts.keys((meta, [], [], 0), meta, 0, 0, repeat_cols, sigs)
        parts = [
            key_fn(s, meta, o, sh, repeat_cols, sigs)
            for s, o, sh in zip(states, offsets, shifts, strict=True)
        ]
        return dd.from_delayed(parts, meta=key_meta, verify_meta=False), key_meta

    keys, _ = key_frame(False)
    # Copies share every column, ticket_id included: only rows whose ticket_id (or,
    # without one, whose row hash) repeats can be copies.
    by = "_tid" if "ticket_id" in meta.columns else "_h"
    shuffled = keys[["_pos", "_tid", "_h"] if by == "_tid" else ["_pos", "_h"]]
    shuffled = shuffled.shuffle(on=by).persist()
    candidates = np.sort(
        shuffled.map_partitions(_parts.repeated_keys, by, meta={"_pos": "int64"})
        .compute()["_pos"]
        .to_numpy()
    )
    duplicates = _duplicate_rows(states, meta, offsets, shifts, candidates)
    dup_pos = duplicates.index.to_numpy(dtype=np.int64)
    n_dup = len(duplicates)
    # each row's text signature, for the repeat calls
    with_sigs, key_meta = key_frame(bool(repeat_cols))
    kept = with_sigs.map_partitions(_parts.drop_positions, dup_pos, meta=key_meta)
    reused = 0
    if by == "_tid":
        # Each copy removed repeats the ticket_id of the row it copies, which is kept.
        repeats_all = shuffled.map_partitions(_parts.reused_ids, meta={"n": "int64"})
        reused = int(repeats_all.compute()["n"].sum()) - n_dup
    del shuffled
    row_entries = [
        _parts.entry(
            "drop_duplicate_tickets",
            n_rows,
            n_rows - n_dup,
            0,
            clock.lap(),
            "duplicates",
            {"removed": n_dup, "reused": int(reused)},
        )
    ]

    # Repeat calls: candidate pairs from the key columns, texts only for their rows.
    n_kept = n_rows - n_dup
    kept_offsets = _parts.kept_offsets(offsets, dup_pos, facts)
    repeat_of, n_identity, repeat_entry = _repeats(
        kept,
        states,
        meta,
        offsets,
        kept_offsets,
        dup_pos,
        ident,
        repeat_need,
        repeat_window,
        repeat_similarity,
        n_kept,
    )
    repeat_entry["seconds"] = repeat_entry["cpu_seconds"] = clock.lap()
    row_entries.append(repeat_entry)

    ident_entry = _parts.identity_entry(mask, identity, pii_columns, n_kept, n_identity)
    row_entries.append(ident_entry)

    # The outputs.
    fin = dask.delayed(_parts.finish, pure=True)
    dup_d = dask.delayed(dup_pos)
    rep_d = dask.delayed(repeat_of)
    final_meta = _parts.finish(
        (meta, [], [], 0), meta, 0, 0, 0, dup_pos[:0], repeat_of, ident, pii_columns, salt
    )
    tickets = dd.from_delayed(
        [
            fin(s, meta, o, sh, ko, dup_d, rep_d, ident, pii_columns, salt)
            for s, o, sh, ko in zip(states, offsets, shifts, kept_offsets, strict=True)
        ],
        meta=final_meta,
    )
    parts = []
    for f, sh in zip(facts, shifts, strict=True):
        for part in f["rejected"]:
            part = part.copy(deep=False)
            if sh:
                part["source_row"] = part["source_row"] + sh
            if mask and identity:
                part = _parts.protect(part, ident, pii_columns, salt)
            parts.append(part)
    rejected = _rejected_frame(parts, lang)
    log = _log_frame(entries + row_entries, lang)
    if n_kept + len(rejected) + n_dup != n_in:
        raise CommlibError(
            f"commlib.dask.clean_tickets lost track of rows: {n_in} in, {n_kept} clean + "
            f"{len(rejected)} rejected + {n_dup} duplicates. Please report this bug."
        )
    if int((log["rows_in"] - log["rows_out"]).sum()) != len(rejected) + n_dup:
        raise CommlibError(
            "commlib.dask.clean_tickets log does not reconcile with its outputs; "
            "please report this bug."
        )
    return DaskCleanResult(
        tickets=tickets,
        rejected=_one_partition(rejected),
        duplicates=_one_partition(duplicates),
        log=log,
        lang=lang,
    )


def _one_partition(frame: pd.DataFrame):
    """A computed frame as a one-partition Dask frame, dtypes kept as they are.

    (``dd.from_pandas`` would turn ``str`` columns into ``string[pyarrow]``, whose
    missing value is ``pd.NA``, not the pandas path's NaN.)
    """
    import dask
    import dask.dataframe as dd

    return dd.from_delayed([dask.delayed(frame)], meta=frame.iloc[:0], verify_meta=False)


def _duplicate_rows(states, meta, offsets, shifts, candidates) -> pd.DataFrame:
    """``source_row`` and ``duplicate_of`` of the exact copies, indexed by global position."""
    import dask

    if not len(candidates):
        return _parts.duplicate_rows([])
    take = dask.delayed(_parts.take, pure=True)
    found = dask.compute(
        *[
            take(s, meta, o, sh, candidates)
            for s, o, sh in zip(states, offsets, shifts, strict=True)
        ]
    )
    return _parts.duplicate_rows(list(found))


def _repeats(
    kept,
    states,
    meta,
    offsets,
    kept_offsets,
    dup_pos,
    identity,
    need,
    window,
    similarity,
    n_kept,
):
    """``repeat_of`` by global position, identity cells counted, and the log entry.

    The keys, with each row's text signature, are shuffled by (address key,
    category); each shuffled partition finds its candidate pairs and compares their
    signatures where they are, so only the pairs that pass (repeat calls, few) come to
    the driver. (Gathering every candidate pair instead took the driver past 20 GB on
    10,000,000 generated tickets.) The ids of the passing pairs' earlier rows and the
    identity cells are then read where the rows lie.
    """
    import dask

    empty = pd.DataFrame({"i": [], "j": [], "lag": []}, dtype=np.int64)
    got = []
    if not need:
        win = int(pd.Timedelta(window) / pd.Timedelta(microseconds=1))
        placed = kept[kept["_ak"].notnull() & kept["_cat"].notnull()]
        compare = dask.delayed(_parts.similar_pairs, pure=True, nout=2)
        got = dask.compute(
            *[
                compare(part, window_us=win, lookback=3, similarity=similarity)
                for part in placed.shuffle(on=["_ak", "_cat"]).to_delayed()
            ]
        )
    hits = pd.concat([empty] + [g[0] for g in got], ignore_index=True)
    n_pairs = sum(g[1] for g in got)
    # the earlier rows of the passing pairs, by partition: their ids are read there
    earlier = np.unique(hits["j"].to_numpy())
    owner = _parts.owners(earlier, offsets)
    sim_fn = dask.delayed(_parts.similar, pure=True)
    dup_d = dask.delayed(dup_pos)
    found = dask.compute(
        *[
            sim_fn(s, meta, o, ko, empty, earlier[owner == p], dup_d, "text", identity, 0.0)
            for p, (s, o, ko) in enumerate(zip(states, offsets, kept_offsets, strict=True))
        ]
    )
    if need:
        return _parts.link_repeats(
            found, empty, empty, need=need, window=window, similarity=similarity, n_kept=n_kept
        )
    n_identity = sum(f[3] for f in found)
    return _parts.link_hits(
        hits,
        found,
        n_pairs,
        n_identity,
        window=window,
        similarity=similarity,
        n_kept=n_kept,
    )
