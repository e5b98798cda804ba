"""Choosing the number of themes: stability of k-means across subsamples.

Why not the silhouette: on sparse text the silhouette keeps rising with k (small
clusters of near-duplicates are tight), so it picks the top of any range. Stability asks
another question: if the tickets were drawn again, would k-means draw the same borders?
At a k that matches real structure, k-means fitted on different subsamples (and from
different starts) agrees with itself; at a k that cuts a real theme in two, or lumps
two together, where the cut falls depends on the draw and the runs disagree (Ben-Hur,
Elisseeff & Guyon 2002; Lange et al. 2004; von Luxburg 2010).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: ``n_clusters="auto"``: tickets the stability runs look at (a random sample of them).
AUTO_K_SAMPLE = 3_000
#: Subsamples per candidate k; each is ``AUTO_K_SUBSAMPLE`` of the sample.
AUTO_K_RUNS = 5
AUTO_K_SUBSAMPLE = 0.8
#: At most this many candidate k are tried (spread evenly on a log scale over k_range).
AUTO_K_MAX_CANDIDATES = 16


def candidate_ks(lo: int, hi: int, max_candidates: int = AUTO_K_MAX_CANDIDATES) -> list[int]:
    """Every k in [lo, hi] if there are few, else about ``max_candidates`` on a log scale.

    >>> candidate_ks(5, 9)
    [5, 6, 7, 8, 9]
    >>> candidate_ks(5, 100, 8)
    [5, 8, 12, 18, 28, 42, 65, 100]
    """
    if hi - lo + 1 <= max_candidates:
        return list(range(lo, hi + 1))
    grid = np.geomspace(lo, hi, max_candidates)
    return sorted(set(np.round(grid).astype(int).tolist()) | {lo, hi})


def stability_scores(Z, ks, *, random_state, n_runs=AUTO_K_RUNS, sample=AUTO_K_SAMPLE):
    """Mean pairwise adjusted Rand index of k-means on subsamples, for each k.

    For each k, ``n_runs`` k-means are fitted on subsamples (``AUTO_K_SUBSAMPLE`` of a
    fixed sample of at most ``sample`` rows), three starts each so that what varies is
    the draw of tickets rather than the luck of one start; each run labels the whole
    sample by nearest centre and every pair of labelings is compared by ARI.

    Returns
    -------
    pandas.DataFrame
        ``k``, ``stability`` (mean ARI over pairs), ``stability_se`` (its standard
        error), ``stability_min`` (the worst pair), ``inertia`` (mean squared distance
        to the nearest centre) and ``smallest_share`` (mean share of the smallest
        cluster).
    """
    from sklearn.utils import check_random_state
    from threadpoolctl import threadpool_limits

    rng = check_random_state(random_state)
    n = Z.shape[0]
    rows = np.sort(rng.choice(n, sample, replace=False)) if n > sample else np.arange(n)
    S = Z[rows]
    size = max(2, int(round(AUTO_K_SUBSAMPLE * S.shape[0])))
    subs = [np.sort(rng.choice(S.shape[0], size, replace=False)) for _ in range(n_runs)]
    seeds = rng.randint(np.iinfo(np.int32).max, size=n_runs)
    # many small fits: one thread each (BLAS/OpenMP threads only fight over them;
    # measured 10x faster on a busy 2-core machine)
    with threadpool_limits(1):
        records = [_one_k(S, subs, seeds, int(k)) for k in ks]
    return pd.DataFrame(records)


def _one_k(S, subs, seeds, k: int) -> dict:
    from itertools import combinations

    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, pairwise_distances_argmin_min

    m = S.shape[0]
    labelings, inertias, smallest = [], [], []
    for sub, seed in zip(subs, seeds, strict=True):
        kk = min(k, len(sub))
        km = KMeans(kk, n_init=3, random_state=int(seed)).fit(S[sub])
        lab, dist = pairwise_distances_argmin_min(S, km.cluster_centers_)
        labelings.append(lab)
        inertias.append(float(np.mean(dist**2)))
        smallest.append(np.bincount(lab, minlength=kk).min() / m)
    aris = np.array([adjusted_rand_score(a, b) for a, b in combinations(labelings, 2)])
    se = float(aris.std(ddof=1) / np.sqrt(len(aris))) if len(aris) > 1 else 0.0
    return {
        "k": k,
        "stability": float(aris.mean()),
        "stability_se": se,
        "stability_min": float(aris.min()),
        "inertia": float(np.mean(inertias)),
        "smallest_share": float(np.mean(smallest)),
    }


def pick_k(scores: pd.DataFrame) -> int:
    """The fewest themes whose stability is within one standard error of the best.

    On real complaint text the stability curve is high at a few themes and then flat:
    many k are about equally (un)stable. The one-standard-error rule (Breiman et al.,
    as in the gap statistic) then takes the simplest partition the data cannot tell
    apart from the best one, so the clusterer can say "few" instead of sliding to the
    top of its range.

    >>> pick_k(pd.DataFrame({"k": [5, 6, 7], "stability": [0.5, 0.8, 0.75],
    ...                      "stability_se": [0.02, 0.06, 0.02]}))
    6
    """
    best = scores["stability"].idxmax()
    bar = scores.loc[best, "stability"] - scores.loc[best, "stability_se"]
    return int(scores.loc[scores["stability"] >= bar, "k"].min())
