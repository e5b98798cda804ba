"""Do the top causes stand out from evenly spread ones (see :mod:`commlib.pareto`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang
from commlib.pareto._table import _aggregate, _rank

# ---------------------------------------------------------------- vital few test


def vital_few_test(
    df: pd.DataFrame,
    *,
    by: str = "category",
    weight: str | None = None,
    alpha: float = 0.05,
    n_sim: int = 2000,
    random_state=0,
    simultaneous: bool = False,
    dropna: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Test whether the top categories really stand out from evenly spread causes.

    Wilkinson's revision of the Pareto chart (the Pareto dot plot in SAS PROC PARETO):
    if the same number of tickets fell at random, with equal probability, into the
    same number of categories, how large would the largest, second largest, ...
    category be? The sorted counts of ``n_sim`` such multinomial draws give an
    acceptance interval at each rank; a category stands out when its count lies above
    the upper bound at its rank. A Pareto chart always shows a descending staircase,
    even for random noise: this says which steps are real.

    Parameters
    ----------
    df : DataFrame
        Raw rows, or pre-counted rows with whole-number counts in ``weight``.
    by : str, default "category"
        Column to test.
    weight : str, optional
        Column of whole-number counts (pre-counted input).
    alpha : float, default 0.05
        Upper bound = the 1 - alpha quantile of the simulated count at each rank; lower
        bound = the alpha quantile.
    n_sim : int, default 2000
        Number of Monte Carlo draws.
    random_state : int or numpy Generator, default 0
        Seed; the result is deterministic for a given seed.
    simultaneous : bool, default False
        False: pointwise bounds at each rank (as Wilkinson and SAS draw them). True:
        widen the bounds to one envelope so that, under even spread, the chance that
        any rank exceeds its bound is about ``alpha``.
    dropna, lang
        As in :func:`pareto_table`.

    Returns
    -------
    DataFrame
        One row per rank: ``rank``, ``by``, ``count``, ``expected`` (mean simulated
        count at that rank), ``lower``, ``upper``, ``p_value`` (Monte Carlo, one-sided:
        share of draws at least as large at that rank), ``above_upper`` and
        ``stands_out`` (above the bound and every higher rank also above it: the
        leading run of real "vital few"). ``attrs``: ``n_sim``, ``alpha``, ``level``
        (the quantile used), ``simultaneous``, ``total``, ``n_categories``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"category": ["快递"] * 60 + ["噪音"] * 10 + ["绿化"] * 10})
    >>> vital_few_test(df, n_sim=500)[["category", "count", "stands_out"]]
      category  count  stands_out
    0       快递     60        True
    1       噪音     10       False
    2       绿化     10       False
    """
    check_lang(lang)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}.")
    if n_sim < 100:
        raise ValueError(f"n_sim must be at least 100 for stable bounds, got {n_sim!r}.")
    agg, info = _aggregate(
        df, by=by, weight=weight, dropna=dropna, lang=lang, where="vital_few_test input"
    )
    tab, _ = _rank(agg, threshold=1.0, max_categories=None, other_label=None, lang=lang)
    counts = tab["value"].to_numpy(dtype=float)
    if not np.all(np.mod(counts, 1) == 0):
        raise ValueError(
            f"vital_few_test needs whole-number counts; weight column {weight!r} has "
            "fractions (hours, cost). Test the row counts instead (weight=None)."
        )
    counts = counts.astype(np.int64)
    k = len(counts)
    if k < 2:
        raise ValueError(f"Column {by!r} has a single category: nothing to compare.")
    total = int(counts.sum())
    rng = np.random.default_rng(random_state)
    sims = rng.multinomial(total, np.full(k, 1.0 / k), size=n_sim)
    sims = -np.sort(-sims, axis=1)  # order statistics, largest first

    level = 1 - alpha
    upper = np.quantile(sims, level, axis=0, method="higher")
    if simultaneous:
        # Smallest quantile level whose envelope is exceeded anywhere in <= alpha of draws.
        lo_q, hi_q = 1 - alpha, 1.0
        for _ in range(30):
            mid = (lo_q + hi_q) / 2
            env = np.quantile(sims, mid, axis=0, method="higher")
            if (sims > env).any(axis=1).mean() <= alpha:
                hi_q = mid
            else:
                lo_q = mid
        level = hi_q
        upper = np.quantile(sims, level, axis=0, method="higher")
    lower = np.quantile(sims, 1 - level, axis=0, method="lower")
    above = counts > upper
    out = pd.DataFrame(
        {
            "rank": tab["rank"].to_numpy(),
            by: tab["_label"].to_numpy(),
            "count": counts,
            "expected": sims.mean(axis=0),
            "lower": lower.astype(np.int64),
            "upper": upper.astype(np.int64),
            "p_value": (1 + (sims >= counts).sum(axis=0)) / (n_sim + 1),
            "above_upper": above,
            "stands_out": np.logical_and.accumulate(above),
        }
    )
    out.attrs = {
        **info,
        "by": by,
        "n_sim": n_sim,
        "alpha": alpha,
        "level": float(level),
        "simultaneous": simultaneous,
        "total": total,
        "n_categories": k,
        "random_state": random_state if isinstance(random_state, int) else None,
    }
    return out
