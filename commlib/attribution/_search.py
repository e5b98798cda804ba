"""The search link_sources runs: rows sorted by place and time, visits, significance.

Private to commlib.attribution; :mod:`commlib.dask` rebuilds a partition's search from
:func:`_prepared` and judges the pooled candidates with :func:`_significance`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib.attribution._windows import _DAY, _fdr_q_values, _Prepared
from commlib.errors import CommlibError


def _prepared(df, places, kind, rows, secs_all, *, department, community, caller, gap, periods):
    """The search of link_sources over the kept rows ``rows`` (positions into ``df``).

    Rows sorted by (place, time) with their kinds, departments, visits, weights and
    communities coded; ``places`` and ``kind`` are per row of ``df``, ``secs_all`` the
    seconds of each row. ``department``, ``community`` and ``caller`` are column names
    or None. Also what :mod:`commlib.dask` rebuilds a partition's null from.
    """
    pcodes, plabels = pd.factorize(places.iloc[rows])
    secs = secs_all[rows]
    order = np.lexsort((secs, pcodes))
    pos = rows[order]  # positions into df, sorted by (place, time)
    cat_codes, cat_labels = pd.factorize(kind.iloc[pos])
    independent = (
        df["repeat_of"].iloc[pos].isna().to_numpy()
        if "repeat_of" in df.columns
        else np.ones(len(pos), dtype=bool)
    )
    visit, weight = _visits(
        pcodes[order],
        secs[order],
        df[caller].iloc[pos] if caller is not None else None,
        independent,
        gap,
    )
    if community is not None:
        comm_codes, comm_labels = pd.factorize(df[community].iloc[pos].fillna("").astype("str"))
    else:
        comm_codes, comm_labels = np.zeros(len(pos), dtype=np.int64), [""]
    return _Prepared(
        order=pos,
        place_codes=pcodes[order],
        places=np.asarray(plabels, dtype=object),
        secs=secs[order],
        cat=cat_codes,
        dep=pd.factorize(df[department].iloc[pos])[0] if department is not None else None,
        weight=weight,
        comm_codes=comm_codes,
        comm_labels=np.asarray(comm_labels, dtype=object),
        span_days=_span_days(secs, periods),
        visit=visit,
        cat_labels=np.asarray(cat_labels, dtype=object),
    )


def _significance(scores, null, null_cands, alpha, control):
    """(p_value, q_value, strong) of candidate scores against the permutation null.

    ``null`` holds the top score of each permutation, ``null_cands`` every candidate's
    best score in every permutation, pooled over all communities; ``scores`` are all
    the observed candidates (the false discovery rate counts them all). Without a null
    (``n_permutations=0``) the values are NaN and nothing is strong.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if len(null) == 0:
        return (
            np.full(len(scores), np.nan),
            np.full(len(scores), np.nan),
            np.zeros(len(scores), dtype=bool),
        )
    ge = (null[None, :] >= scores[:, None]).sum(axis=1)
    p_value = (1 + ge) / (1 + len(null))
    q_value = _fdr_q_values(scores, null_cands, len(null))
    strong = (q_value if control == "fdr" else p_value) <= alpha
    return p_value, q_value, strong


def _gap_seconds(visit_gap) -> float:
    """``visit_gap`` in seconds; -1 when None (every ticket its own visit)."""
    return pd.Timedelta(visit_gap).total_seconds() if visit_gap is not None else -1.0


def _visits(place_codes, secs, caller, independent, gap):
    """Visits of rows sorted by (place, time), and the weight each row counts with.

    A visit is a run of tickets at one place by one caller (``caller``: a caller id, or
    the channel when there is none) each within ``gap`` seconds of the one before: a
    resident or a city worker reporting several things on one walk past is one visit,
    one piece of evidence. Weight 1 goes to the first independent (not a repeat call)
    ticket of each visit, 0 to the rest. Returns (visit code per row, weight).
    """
    from commlib.attribution._windows import _prev_same

    n = len(place_codes)
    if caller is None:
        who = np.zeros(n, dtype=np.int64)
    else:
        who = pd.factorize(caller.fillna("\x00").astype("str"))[0]
    prev = _prev_same(place_codes, who)
    starts = (prev < 0) | (secs - secs[np.maximum(prev, 0)] > gap)
    runs = pd.Series(starts.astype(np.int64)).groupby([place_codes, who], sort=False).cumsum()
    visit = pd.factorize(
        pd.MultiIndex.from_arrays([place_codes, who, runs.to_numpy()]), sort=False
    )[0]
    keyed = pd.Series(np.where(independent, visit, -1))
    weight = (independent & ~keyed.duplicated().to_numpy()).astype(np.float64)
    return visit.astype(np.int64), weight


def _span_days(secs: np.ndarray, periods) -> float:
    """Days the rates are computed over: the tickets' range, or the one ``periods`` fixes."""
    if periods is None:
        return float(secs.max() - secs.min()) / _DAY + 1.0
    if isinstance(periods, pd.PeriodIndex | pd.Period):
        idx = pd.PeriodIndex([periods]) if isinstance(periods, pd.Period) else periods
        if len(idx) == 0:
            raise CommlibError("periods is empty: give the period grid or (first day, last day).")
        start, end = idx.min().start_time, idx.max().end_time
        return (end - start).total_seconds() / _DAY
    try:
        start, end = (pd.Timestamp(v) for v in (min(periods), max(periods)))
    except (TypeError, ValueError) as err:
        raise CommlibError(
            f"periods must be a PeriodIndex or dates such as ('2024-01-01', '2024-12-31'), "
            f"got {periods!r}."
        ) from err
    return (end - start).total_seconds() / _DAY + 1.0
