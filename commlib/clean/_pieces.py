""":func:`clean_tickets` in pieces, in this process: the lean path of ``commlib report``.

The per-row steps run on contiguous pieces of the table (in two worker processes from
100,000 rows on, as :func:`clean_tickets` does); each raw piece is let go once it is
cleaned. The whole-table steps then look at small key columns only, with the very
functions the Dask path runs (:mod:`commlib.clean._parts`): exact copies among the rows
whose ticket_id (or row hash) repeats, repeat calls from (address key, category, time,
ticket_id) with the texts of candidate pairs reduced to bigram signatures piece by
piece. The results are :func:`clean_tickets`'s, row for row and count for count.

With ``consume=True`` the caller hands the table over: its columns are cut into owned
pieces one column at a time and removed from the frame, so the raw table and the clean
one are never both held whole.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from os import PathLike

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang
from commlib._util import release_memory
from commlib.clean import _parts
from commlib.clean._arrow import _row_numbers
from commlib.clean._columns import POLICIES, find_identity_columns
from commlib.clean._dates import DATE_RANGE
from commlib.clean._pipeline import (
    CleanResult,
    _log_frame,
    _model_chars,
    _n_jobs,
    _ParameterError,
    _rejected_frame,
    _row_options,
)
from commlib.clean._text import DATE_COLUMNS
from commlib.errors import CommlibError
from commlib.privacy._model import DEFAULT_NAMES

logger = logging.getLogger("commlib.clean")

#: Rows cleaned at a time. A worker process holds one piece and what cleaning it takes:
#: measured about 100 MB over the worker's 200 MB for 16,000 generated tickets, about
#: 300 MB for 50,000 (clean_tickets's partitions), so two workers stay near 650 MB.
PIECE_ROWS = 20_000


def _owned(s: pd.Series, a: int, b: int) -> pd.Series:
    """Rows ``a:b`` of ``s`` in buffers of their own (an Arrow slice would keep the
    whole column's buffers alive)."""
    return s.iloc[a:b].take(np.arange(b - a))


def _cut(df: pd.DataFrame, bounds: np.ndarray, consume: bool) -> list[pd.DataFrame]:
    """The pieces of ``df`` between ``bounds``; with ``consume`` the columns are taken
    out of ``df`` one by one (each copied into the pieces, then dropped)."""
    spans = list(zip(bounds[:-1], bounds[1:], strict=True))
    if not consume:
        return [df.iloc[a:b] for a, b in spans]
    columns: list[dict] = [{} for _ in spans]
    index = df.index
    for col in list(df.columns):
        s = df.pop(col)
        for k, (a, b) in enumerate(spans):
            columns[k][col] = _owned(s, a, b)
        del s
        release_memory(collect=False)  # the column's blocks, now copied into the pieces
    return [
        pd.DataFrame(cols, index=index[a:b]) if cols else pd.DataFrame(index=index[a:b])
        for cols, (a, b) in zip(columns, spans, strict=True)
    ]


def _feed(pieces: list[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """The pieces in order, each dropped from the list as it is handed out."""
    while pieces:
        yield pieces.pop(0)


def _concat_columns(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames)`` a column at a time, each column let go from the pieces as
    it is joined, so the clean table is not held twice (pieces and whole) at the end."""
    if len(frames) == 1:
        return frames[0]
    if not len(frames[0].columns):
        return pd.concat(frames)
    out = {}
    for col in list(frames[0].columns):
        out[col] = pd.concat([f.pop(col) for f in frames])
        release_memory(collect=False)
    return pd.DataFrame(out, copy=False)


def _chain(head: list[pd.DataFrame], rest: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``head`` then ``rest``, each piece let go as it is handed out."""
    yield from _feed(head)
    yield from rest


def clean_in_pieces(
    df: pd.DataFrame,
    *,
    consume: bool = False,
    piece_rows: int = PIECE_ROWS,
    mask: bool = True,
    salt: str | bytes | None = None,
    boilerplate: Sequence[str] | str | PathLike | None = None,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    repeat_window: str | pd.Timedelta = "3D",
    repeat_similarity: float = 0.6,
    date_columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    n_jobs: int | None = None,
    date_range: tuple | None = DATE_RANGE,
    pii_columns: str = "hash",
    lang: str = "zh",
    names: str = DEFAULT_NAMES,
) -> CleanResult:
    """:func:`commlib.clean_tickets`, piece by piece, holding the raw table once at most.

    Same parameters and results as :func:`clean_tickets` (clean tickets, rejected
    rows, duplicates, the log's counts and notes; ``salt=None`` uses this process's
    drawn salt, as :func:`clean_tickets` does). ``piece_rows`` rows are cleaned at a
    time. With ``consume=True`` the columns of ``df`` are moved into the pieces and
    ``df`` is left without columns: use it when ``df`` is not needed afterwards.

    Examples
    --------
    >>> from commlib.clean import clean_tickets
    >>> from commlib.datasets import make_tickets
    >>> raw = make_tickets(300, random_state=1)
    >>> a = clean_in_pieces(raw, piece_rows=70, salt="s")
    >>> b = clean_tickets(raw, salt="s")
    >>> a.tickets.equals(b.tickets), a.rejected.equals(b.rejected)
    (True, True)
    >>> a.duplicates.equals(b.duplicates)
    True
    """
    lang = check_lang(lang)
    if pii_columns not in POLICIES:
        raise _ParameterError(key="clean.error.pii_columns", params={"value": repr(pii_columns)})
    t0 = time.perf_counter()
    n_in = len(df)
    attrs = dict(df.attrs)
    index = df.index
    if "source_row" not in df.columns:
        rows = _row_numbers(df)
        if not consume:
            df = df.copy(deep=False)
        df.insert(0, "source_row", rows)
        del rows
    identity = find_identity_columns(df) if mask else {}
    size = max(1, int(piece_rows))
    bounds = np.unique(np.r_[np.arange(0, n_in, size), n_in]).astype(int)
    if len(bounds) < 2:
        bounds = np.array([0, 0])
    pieces = _cut(df, bounds, consume)
    if consume:
        del df
        release_memory(collect=False)
    return _clean_stream(
        _feed(pieces),
        identity=identity,
        attrs=attrs,
        index=index,
        consume=consume,
        t0=t0,
        mask=mask,
        salt=salt,
        boilerplate=boilerplate,
        synonyms=synonyms,
        repeat_window=repeat_window,
        repeat_similarity=repeat_similarity,
        date_columns=date_columns,
        dayfirst=dayfirst,
        n_jobs=n_jobs,
        n_hint=n_in,
        date_range=date_range,
        pii_columns=pii_columns,
        lang=lang,
        names=names,
    )


def _clean_stream(
    pieces: Iterator[pd.DataFrame],
    *,
    identity: dict,
    attrs: dict,
    index: pd.Index | None,
    consume: bool,
    t0: float,
    mask: bool,
    salt,
    boilerplate,
    synonyms,
    repeat_window,
    repeat_similarity: float,
    date_columns,
    dayfirst: bool,
    n_jobs,
    n_hint: int,
    date_range,
    pii_columns: str,
    lang: str,
    names: str = DEFAULT_NAMES,
    digest: Sequence[str] = (),
) -> CleanResult:
    """The cleaning of :func:`clean_in_pieces` on pieces that carry ``source_row``.

    ``index`` is the input's index (None: a RangeIndex over all rows read).
    ``digest``: columns of the clean tickets the caller will not read, left out (see
    :func:`commlib.clean._parts.clean_part`).
    """
    ident = tuple(identity)
    if mask and salt is None:
        from commlib.privacy import _process_salt

        salt = _process_salt()
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
    jobs = _n_jobs(n_jobs, n_hint)
    first = next(pieces, None)
    if first is None:
        raise CommlibError("clean_in_pieces: no piece to clean. Please report this bug.")
    second = next(pieces, None)
    if second is None and n_jobs is None:
        # one piece (a few thousand real messages) can still keep two cores busy reading
        # names: cut it in contiguous halves, cleaned as any pieces are
        jobs = _n_jobs(None, len(first), _model_chars(first, opts))
        if jobs > 1 and len(first) >= 2 * jobs:
            cuts = np.linspace(0, len(first), jobs + 1).astype(int)
            halves = [first.iloc[a:b] for a, b in itertools.pairwise(cuts)]
            first, second = halves[0], halves[1]
            pieces = iter(halves[2:])
    if second is None:
        pieces = iter([first])
    else:
        pieces = _chain([first, second], pieces)
    if jobs > 1 and second is not None:
        from joblib import Parallel, delayed

        # as clean_tickets: worker processes, which quit once idle; the pieces are
        # handed out as workers take them and results come back in order
        done = Parallel(n_jobs=jobs, backend="loky", idle_worker_timeout=1, return_as="generator")(
            delayed(_parts.clean_part)(p, opts, mask, salt, True, digest) for p in pieces
        )
    else:
        done = (_parts.clean_part(p, opts, mask, salt, True, digest) for p in pieces)
    del first, second
    states, facts = [], []
    for k, state in enumerate(done, 1):
        states.append(state)
        facts.append(_parts.facts(state))
        if consume and k % 10 == 0:
            # the raw pieces handed out are freed: give their memory back as we go
            release_memory(collect=False)
    del done
    t_rows = time.perf_counter()

    n_in = sum(f["n_in"] for f in facts)
    if index is None:
        index = pd.RangeIndex(n_in)
    entries = _parts.row_entries(facts)
    meta = _parts.common_meta(facts)
    counts = [f["n_in"] for f in facts]
    offsets = np.r_[0, np.cumsum(counts)[:-1]].astype(int).tolist()
    n_rows = sum(f["n_rows"] for f in facts)

    # Exact copies: only rows whose ticket_id (or row hash) repeats can be copies;
    # those few rows are compared column by column, as clean_tickets does.
    repeat_need = [c for c in ("created_at", "category") if c not in meta.columns]
    if "address_key" not in meta.columns:
        repeat_need.append("address")
    repeat_cols = () if repeat_need else ("address_key", "category", "created_at")
    key_parts = [
        _parts.keys(s, meta, o, 0, repeat_cols)
        for s, o, f in zip(states, offsets, facts, strict=True)
        if f["n_rows"]
    ] or [_parts.keys((meta, [], [], 0), meta, 0, 0, repeat_cols)]
    keys = pd.concat(key_parts, ignore_index=True)
    del key_parts
    by = "_tid" if "ticket_id" in meta.columns else "_h"
    candidates = np.sort(keys["_pos"].to_numpy()[_parts.copy_candidates(keys, by)])
    found = []
    if len(candidates):
        found = [
            _parts.take(s, meta, o, 0, candidates) for s, o in zip(states, offsets, strict=True)
        ]
    duplicates = _parts.duplicate_rows(found)
    del found
    dup_pos = duplicates.index.to_numpy(dtype=np.int64)
    n_dup = len(duplicates)
    reused = int(keys["_tid"].duplicated().sum()) - n_dup if by == "_tid" else 0
    kept = keys.loc[~keys["_pos"].isin(dup_pos)]
    del keys
    t_dup = time.perf_counter()
    dup_entry = _parts.entry(
        "drop_duplicate_tickets",
        n_rows,
        n_rows - n_dup,
        0,
        round(t_dup - t_rows, 3),
        "duplicates",
        {"removed": n_dup, "reused": int(reused)},
    )

    # Repeat calls: candidate pairs from the key columns, texts only for their rows.
    n_kept = n_rows - n_dup
    kept_offsets = _parts.kept_offsets(offsets, dup_pos, facts)
    pairs = pd.DataFrame({"i": [], "j": [], "lag": []}, dtype=np.int64)
    if not repeat_need:
        win = int(pd.Timedelta(repeat_window) / pd.Timedelta(microseconds=1))
        placed = kept.loc[kept["_ak"].notna() & kept["_cat"].notna()]
        pairs = _parts.pairs(placed, window_us=win, lookback=3)
        del placed
    del kept
    cross_pairs, per_piece = _parts.split_pairs(pairs, offsets)
    similar = [
        _parts.similar(s, meta, o, ko, local, cross, dup_pos, "text", ident, repeat_similarity)
        for s, o, ko, (local, cross) in zip(states, offsets, kept_offsets, per_piece, strict=True)
    ]
    repeat_of, n_identity, repeat_entry = _parts.link_repeats(
        similar,
        pairs,
        cross_pairs,
        need=repeat_need,
        window=repeat_window,
        similarity=repeat_similarity,
        n_kept=n_kept,
    )
    del similar, pairs, cross_pairs, per_piece
    t_rep = time.perf_counter()
    repeat_entry["seconds"] = repeat_entry["cpu_seconds"] = round(t_rep - t_dup, 3)
    ident_entry = _parts.identity_entry(mask, identity, pii_columns, n_kept, n_identity)

    # The outputs: each piece finished, then its cleaned rows let go.
    finished = []
    for k in range(len(states)):
        finished.append(
            _parts.finish(
                states[k],
                meta,
                offsets[k],
                0,
                kept_offsets[k],
                dup_pos,
                repeat_of,
                ident,
                pii_columns,
                salt,
            )
        )
        states[k] = None
        if k % 5 == 4:
            # the pieces came back pickled: their buffers are on the C heap, which
            # keeps them unless trimmed (2M rows: 1.7 GB more held while finishing)
            release_memory(collect=False)
    del states
    tickets = _concat_columns(finished)
    del finished
    tickets = tickets.reset_index(drop=True)
    tickets.attrs = attrs
    release_memory(collect=False)
    parts = []
    for f in facts:
        for part in f["rejected"]:
            if mask and identity:
                part = _parts.protect(part, ident, pii_columns, salt)
            parts.append(part)
    rejected = _rejected_frame(parts, lang)
    duplicates.index = index[dup_pos]
    log = _log_frame(entries + [dup_entry, repeat_entry, ident_entry], lang)
    if len(tickets) + len(rejected) + n_dup != n_in:
        raise CommlibError(
            f"clean_in_pieces lost track of rows: {n_in} in, {len(tickets)} clean + "
            f"{len(rejected)} rejected + {n_dup} duplicates. Please report this bug."
        )
    if int((log["rows_in"] - log["rows_out"]).sum()) != len(rejected) + n_dup:
        raise CommlibError(
            "clean_in_pieces log does not reconcile with its outputs; please report this bug."
        )
    logger.info(
        "clean_in_pieces: %d in, %d clean, %d rejected, %d duplicates, %.1f s",
        n_in,
        len(tickets),
        len(rejected),
        n_dup,
        time.perf_counter() - t0,
    )
    return CleanResult(
        tickets=tickets, rejected=rejected, duplicates=duplicates, log=log, lang=lang
    )


def _filled(s: pd.Series) -> pd.Series:
    """The cells the identity test samples from (filled, not blank), as ``str``: the
    cells :func:`commlib.clean._columns._sample` draws its evenly spaced sample from."""
    filled = s.dropna()
    if filled.dtype.kind == "f" and len(filled) and (filled == filled.round()).all():
        filled = filled.astype("int64")
    filled = filled.astype("str")
    return filled[filled.str.strip() != ""]


def identity_of_pieces(pieces) -> dict[str, dict]:
    """:func:`find_identity_columns` of the whole input, from its pieces.

    Headers decide alone where they can; for the other non-canonical columns the filled
    cells of every piece are gathered (reading those columns only where the format
    allows) and sampled as the whole-table test samples them, so the choice is the
    one :func:`clean_tickets` makes on the whole table. Inputs with canonical columns
    only cost nothing.
    """
    from commlib.clean._columns import _CANONICAL, identity_by_header

    names = list(pieces.names)
    cands = [c for c in names if c not in _CANONICAL and not identity_by_header(c)]
    cells: dict[str, list[pd.Series]] = {c: [] for c in cands}
    if cands:
        for part in pieces.column_cells(cands):
            for c in cands:
                cells[c].append(_filled(part[c]))
    out: dict[str, dict] = {}
    for c in names:
        if c in _CANONICAL:
            continue
        if c not in cells:
            out[c] = {"by": "header"}
            continue
        s = pd.concat(cells.pop(c), ignore_index=True) if cells[c] else pd.Series([], dtype="str")
        out.update(find_identity_columns(pd.DataFrame({c: s})))
    return out


def _numbered(pieces, first_row: int, piece_rows: int) -> Iterator[pd.DataFrame]:
    """The pieces with ``source_row`` counted across them, cut to ``piece_rows`` rows
    (a file read whole is cut column by column and let go)."""
    row = first_row
    for df in pieces:
        n = len(df)
        if "source_row" not in df.columns:
            df.insert(0, "source_row", np.arange(row, row + n, dtype=np.int64))
        row += n
        if n <= piece_rows:
            yield df
            continue
        bounds = np.unique(np.r_[np.arange(0, n, piece_rows), n]).astype(int)
        cut = _cut(df, bounds, True)
        del df
        release_memory(collect=False)
        yield from _feed(cut)


def clean_read_pieces(
    pieces,
    *,
    piece_rows: int = PIECE_ROWS,
    mask: bool = True,
    salt: str | bytes | None = None,
    boilerplate: Sequence[str] | str | PathLike | None = None,
    synonyms: Mapping[str, str] | str | PathLike | None = None,
    repeat_window: str | pd.Timedelta = "3D",
    repeat_similarity: float = 0.6,
    date_columns: Sequence[str] = DATE_COLUMNS,
    dayfirst: bool = False,
    n_jobs: int | None = None,
    date_range: tuple | None = DATE_RANGE,
    pii_columns: str = "hash",
    lang: str = "zh",
    leave_out: Sequence[str] = (),
    names: str = DEFAULT_NAMES,
) -> CleanResult:
    """:func:`clean_in_pieces` of files read piece by piece (:func:`commlib.io._pieces.read_pieces`).

    The raw table never exists whole: each piece is read, cleaned and let go. The
    results are :func:`clean_tickets`'s on :func:`commlib.read_tickets`'s table of the
    same file (for several files, of their rows one file after the other, numbered on
    from the first file's ``first_data_row``). ``leave_out`` names clean columns the
    caller will not read (``commlib report``: the text before boilerplate was cut, and
    the cut part): they are not held, and the tickets come without them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from commlib.clean import clean_tickets
    >>> from commlib.datasets import make_tickets
    >>> from commlib.io import read_tickets
    >>> from commlib.io._pieces import read_pieces
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
    >>> make_tickets(300, random_state=1).to_parquet(path)
    >>> a = clean_read_pieces(read_pieces(path), piece_rows=70, salt="s")
    >>> b = clean_tickets(read_tickets(path), salt="s")
    >>> a.tickets.equals(b.tickets), a.rejected.equals(b.rejected)
    (True, True)
    """
    lang = check_lang(lang)
    if pii_columns not in POLICIES:
        raise _ParameterError(key="clean.error.pii_columns", params={"value": repr(pii_columns)})
    t0 = time.perf_counter()
    identity = identity_of_pieces(pieces) if mask else {}
    attrs = dict(pieces.attrs)
    first = attrs.get("first_data_row")
    first = int(first) if first is not None else 1
    return _clean_stream(
        _numbered(iter(pieces), first, max(1, int(piece_rows))),
        identity=identity,
        attrs=attrs,
        index=None,
        consume=True,
        t0=t0,
        mask=mask,
        salt=salt,
        boilerplate=boilerplate,
        synonyms=synonyms,
        repeat_window=repeat_window,
        repeat_similarity=repeat_similarity,
        date_columns=date_columns,
        dayfirst=dayfirst,
        n_jobs=n_jobs,
        n_hint=sum(p["rows"] for p in pieces._plans),
        date_range=date_range,
        pii_columns=pii_columns,
        lang=lang,
        names=names,
        digest=tuple(leave_out),
    )
