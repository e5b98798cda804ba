"""Window machinery of link_sources: counts, scores and the permutation null.

Nothing here materialises the pairs (window start, member): every count over the
windows ``[t_i, t_i + w)`` of rows sorted by (place, time) is a difference of cumulative
sums or a difference array, so time and memory grow linearly with the number of tickets.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

_DAY = 86_400.0


def _window_pairs(group: np.ndarray, secs: np.ndarray, width: float):
    """For rows sorted by (group, time): each row's window [t, t + width) in its group.

    Returns ``end`` (exclusive row index per start row) and the flattened pairs
    ``starts``/``members`` (row indices) of all windows.
    """
    n = len(group)
    span = float(secs.max() - secs.min()) if n else 0.0
    big = span + 2.0 * width + 1.0
    key = group.astype(np.float64) * big + (secs - (secs.min() if n else 0.0))
    end = np.searchsorted(key, key + width, side="left")
    counts = end - np.arange(n)
    total = int(counts.sum())
    starts = np.repeat(np.arange(n), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return end, starts, starts + offsets


def _prev_same(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Row index of the previous row with the same (group, value), or -1."""
    idx = pd.Series(np.arange(len(group)))
    prev = idx.groupby([group, values], sort=False).shift(1)
    return prev.fillna(-1).to_numpy(dtype=np.int64)


def _distinct_in_windows(starts, members, prev, n) -> np.ndarray:
    new = prev[members] < starts
    return np.bincount(starts[new], minlength=n)


def _poisson_surprise(n: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """-log10 P(Poisson(lam) >= n), the burst surprise."""
    from scipy.special import pdtrc  # P(Poisson(lam) > k); scipy.special loads fast

    lam = np.maximum(lam, 1e-12)
    n = np.asarray(n, dtype=np.float64)
    tail = np.where(n > 0, pdtrc(np.maximum(n - 1, 0), lam), 1.0)
    return np.maximum(-np.log10(np.maximum(tail, 1e-300)), 0.0)


@dataclasses.dataclass(frozen=True)
class _Prepared:
    order: np.ndarray  # positions into df, sorted by (place, time)
    place_codes: np.ndarray  # sorted
    places: np.ndarray  # code -> place label
    secs: np.ndarray  # sorted
    cat: np.ndarray
    dep: np.ndarray | None
    weight: np.ndarray  # 1 for independent tickets, 0 for repeat calls
    comm_codes: np.ndarray  # per row, sorted order
    span_days: float


def _window_scores(p: _Prepared, place_codes: np.ndarray, width: float, prior_days: float):
    """Per window (one per start row): n, k, d, lambda, surprise, score."""
    n_rows = len(place_codes)
    # rows must be sorted by (place, time) for the given codes
    end, starts, members = _window_pairs(place_codes, p.secs, width)
    prev_c = _prev_same(place_codes, p.cat)
    k = _distinct_in_windows(starts, members, prev_c, n_rows)
    if p.dep is not None:
        prev_d = _prev_same(place_codes, p.dep)
        d = _distinct_in_windows(starts, members, prev_d, n_rows)
    else:
        d = k
    n_all = end - np.arange(n_rows)
    n_ind = np.bincount(starts, weights=p.weight[members], minlength=n_rows)
    # empirical-Bayes rate of the place, from its tickets outside the window
    total = np.bincount(place_codes, weights=p.weight)[place_codes]
    width_days = width / _DAY
    t_out = max(p.span_days - width_days, width_days)
    # neighbourhood prior: tickets per place per day in the place's community
    comm_total = np.bincount(p.comm_codes, weights=p.weight)
    first_row = np.r_[True, place_codes[1:] != place_codes[:-1]]
    comm_places = np.bincount(p.comm_codes[first_row], minlength=len(comm_total))
    r0 = comm_total / np.maximum(comm_places, 1) / max(p.span_days, width_days)
    r0_row = r0[p.comm_codes]
    rate = (np.maximum(total - n_ind, 0.0) + prior_days * r0_row) / (t_out + prior_days)
    lam = rate * width_days
    surprise = _poisson_surprise(n_ind, lam)
    score = surprise * (k + d) / 2.0
    return {
        "end": end,
        "n": n_all,
        "n_ind": n_ind,
        "k": k,
        "d": d,
        "lam": lam,
        "surprise": surprise,
        "score": score,
    }


def _best_per_place(place_codes, w, min_tickets, min_categories):
    ok = (w["n"] >= min_tickets) & (w["k"] >= min_categories)
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return rows
    frame = pd.DataFrame({"place": place_codes[rows], "score": w["score"][rows], "row": rows})
    frame = frame.sort_values(["place", "score", "row"], ascending=[True, False, True])
    return frame.drop_duplicates("place")["row"].to_numpy()


def _null_max_scores(
    p: _Prepared, width, prior_days, min_tickets, min_categories, n_permutations, random_state
):
    """Max source score when places are shuffled among tickets within each community."""
    rng = np.random.default_rng(random_state)
    n = len(p.place_codes)
    by_comm = np.argsort(p.comm_codes, kind="stable")
    out = np.zeros(n_permutations)
    for b in range(n_permutations):
        shuffled = np.lexsort((rng.random(n), p.comm_codes))
        perm_place = np.empty(n, dtype=p.place_codes.dtype)
        perm_place[by_comm] = p.place_codes[shuffled]
        order = np.lexsort((p.secs, perm_place))
        q = dataclasses.replace(
            p,
            secs=p.secs[order],
            cat=p.cat[order],
            dep=None if p.dep is None else p.dep[order],
            weight=p.weight[order],
            comm_codes=p.comm_codes[order],
        )
        codes = perm_place[order]
        w = _window_scores(q, codes, width, prior_days)
        best = _best_per_place(codes, w, min_tickets, min_categories)
        out[b] = w["score"][best].max() if len(best) else 0.0
    return out
