"""Evaluate neighbourhood projects by the residents' voice, with the weights in plain view.

The source article proposes that a project's evaluation lean towards the residents who
first objected to it: whether the project reached its goal is best judged by the
people it had to win over. This module makes that computable and checkable:

- :func:`weighted_satisfaction`: each project's stance-weighted score next to the
  plain average, with the number of respondents, the effective number after weighting
  and a bootstrap confidence interval;
- :func:`weight_sensitivity` and :func:`weight_sensitivity_chart`: every project's score
  and rank across a range of objector weights, flagging the projects whose rank
  depends on the weight, so nobody can quietly pick weights that favour a project;
- :func:`scorecard` and :func:`scorecard_chart`: the several-dimension view (project,
  individual social worker, neighbourhood committee) with residents mobilised
  (volunteers, 社区能人) and every input of every dimension shown as its own column.

The weights
-----------
:data:`DEFAULT_WEIGHTS` gives a respondent who objected at the start 3, a neutral one
1.5 and one who supported 1. A respondent's weight multiplies their say in the
project's average; the weights are relative (multiplying all by 10 changes nothing).
Why 3 / 1.5 / 1: objectors are usually the minority of those who answer a survey (the
supporters turn up), so an objector weight of about 3 gives the objector group roughly
as much say as the supporters in a typical survey, without letting a handful of
objectors decide alone; neutral residents sit halfway. This is a judgement, not a
law: :func:`weight_sensitivity` shows what other choices would change.
"""

from __future__ import annotations

import math
import warnings
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._catalogue import table as catalogue_table
from commlib._compat import renamed_function
from commlib.errors import CommlibError, require_columns

__all__ = [
    "DEFAULT_SCORE",
    "DEFAULT_WEIGHTS",
    "Scorecard",
    "plot_scorecard",
    "plot_weight_sensitivity",
    "scorecard",
    "scorecard_chart",
    "weight_sensitivity",
    "weight_sensitivity_chart",
    "weighted_satisfaction",
]

#: Default weight of each starting stance: objectors count most (see the module notes).
DEFAULT_WEIGHTS: dict[str, float] = {"反对": 3.0, "中立": 1.5, "支持": 1.0}

#: Default question columns; a respondent's score is the mean of those they answered.
DEFAULT_SCORE: tuple[str, ...] = ("q_goal", "q_problem", "q_voice", "q_overall")

#: Objector weights tried by :func:`weight_sensitivity` by default.
DEFAULT_GRID: tuple[float, ...] = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)

#: Fewer respondents than this get a caution in the ``note`` column.
FEW_RESPONDENTS = 10

# Bootstrap draws are made in blocks of at most this many numbers (memory bound).
_BLOCK = 4_000_000


# ---------------------------------------------------------------------------- helpers
def _score_columns(score) -> list[str]:
    cols = [score] if isinstance(score, str) else list(score)
    if not cols:
        raise ValueError("score must name at least one rating column.")
    return cols


def _respondent_scores(survey: pd.DataFrame, cols: list[str]) -> pd.Series:
    """Each respondent's mean over the rating columns they answered (NaN if none)."""
    values = survey[cols].apply(pd.to_numeric, errors="coerce")
    bad = values.isna() & survey[cols].notna()
    if bad.to_numpy().any():
        col = values.columns[bad.any().to_numpy()][0]
        example = survey.loc[bad[col], col].iloc[0]
        raise CommlibError(
            f"Rating column {col!r} holds a value that is not a number ({example!r}). "
            "Recode answers as numbers (for example 1-5) before scoring."
        )
    return values.mean(axis=1, skipna=True)


def _resolve_weights(survey: pd.DataFrame, weight_by: str, weights) -> dict:
    """Check the weights and that every group in the data has one."""
    if weights is None:
        if weight_by != "stance":
            raise CommlibError(
                f"weight_by={weight_by!r} has no default weights; pass weights={{value: "
                "weight, ...}} for every value of that column."
            )
        weights = DEFAULT_WEIGHTS
    if not isinstance(weights, Mapping) or not weights:
        raise TypeError(
            "weights must be a non-empty mapping {group: weight}, e.g. "
            f"{DEFAULT_WEIGHTS!r}; got {weights!r}."
        )
    clean = {}
    for key, w in weights.items():
        try:
            wf = float(w)
        except (TypeError, ValueError):
            raise CommlibError(f"The weight of {key!r} is not a number: {w!r}.") from None
        if not math.isfinite(wf) or wf < 0:
            raise CommlibError(f"The weight of {key!r} must be a finite number >= 0, got {w!r}.")
        clean[key] = wf
    if not any(w > 0 for w in clean.values()):
        raise CommlibError("At least one weight must be greater than 0.")
    present = survey[weight_by].dropna().unique().tolist()
    missing = [v for v in present if v not in clean]
    if missing:
        raise CommlibError(
            f"Column {weight_by!r} has value(s) with no weight: "
            f"{', '.join(repr(v) for v in missing)}. The weights given cover "
            f"{', '.join(repr(k) for k in clean)}; add the missing ones or recode them."
        )
    if survey[weight_by].isna().any():
        raise CommlibError(
            f"Column {weight_by!r} has {int(survey[weight_by].isna().sum())} empty value(s); "
            "every respondent needs a group to be weighted. Fill or drop them first."
        )
    return clean


def _prepare(survey, by, weight_by, weights, score):
    if not isinstance(survey, pd.DataFrame):
        raise TypeError(f"survey must be a pandas DataFrame, got {type(survey).__name__}.")
    cols = _score_columns(score)
    require_columns(survey, [by, weight_by, *cols], where="the survey table")
    w = _resolve_weights(survey, weight_by, weights)
    s = _respondent_scores(survey, cols)
    frame = pd.DataFrame(
        {
            "group": survey[by].to_numpy(),
            "level": survey[weight_by].to_numpy(),
            "x": s.to_numpy(dtype=float),
        }
    )
    frame["w"] = frame["level"].map(w).astype(float)
    dropped = int(frame["x"].isna().sum() + frame["group"].isna().sum())
    frame = frame[frame["x"].notna() & frame["group"].notna()]
    return frame, w, dropped


def _group_seed(random_state, group) -> np.random.Generator:
    """A generator per group: a group's interval does not depend on the other groups."""
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng([int(random_state), zlib.crc32(str(group).encode("utf-8"))])


def _bootstrap(x: np.ndarray, w: np.ndarray, n_boot: int, rng) -> np.ndarray:
    """Weighted means of ``n_boot`` resamples of respondents (weights go with them)."""
    n = x.size
    out = np.empty(n_boot)
    step = max(1, _BLOCK // max(n, 1))
    for a in range(0, n_boot, step):
        b = min(n_boot, a + step)
        idx = rng.integers(0, n, size=(b - a, n))
        ww = w[idx]
        tot = ww.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[a:b] = (ww * x[idx]).sum(axis=1) / tot
    return out


def _rank(values: pd.Series) -> pd.Series:
    return values.rank(ascending=False, method="min").astype("Int64")


# ---------------------------------------------------------------------- satisfaction
def weighted_satisfaction(
    survey: pd.DataFrame,
    *,
    by: str = "project",
    weight_by: str = "stance",
    weights: Mapping | None = None,
    score=DEFAULT_SCORE,
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int | None = 0,
    lang: str = "zh",
) -> pd.DataFrame:
    """Score each project by its residents, giving more say to those who objected.

    A respondent's score is the mean of the rating questions they answered; a project's
    score is the weighted mean of its respondents' scores, each weighted by their group
    in ``weight_by`` (by default the stance they took at the start, see
    :data:`DEFAULT_WEIGHTS`). The plain mean is shown next to it. The confidence
    interval is a percentile bootstrap: respondents are resampled with their weights
    ``n_boot`` times within each project.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent. Not modified.
    by : str, default "project"
        Column naming what is scored.
    weight_by : str, default "stance"
        Column whose values get the weights.
    weights : mapping, optional
        ``{value: weight}`` for every value of ``weight_by`` (finite, >= 0, at least
        one > 0; only ratios matter). Default :data:`DEFAULT_WEIGHTS`, which is keyed
        by 反对 / 中立 / 支持 and is only available when ``weight_by="stance"``.
    score : str or sequence of str, default :data:`DEFAULT_SCORE`
        Numeric rating column(s). Rows with no rating at all are left out (counted in
        ``attrs["dropped"]``).
    n_boot : int, default 2000
        Bootstrap resamples; 0 skips the interval.
    ci : float, default 0.95
        Confidence level of the interval.
    random_state : int or None, default 0
        Seed of the bootstrap. Each project draws from its own stream seeded by
        ``random_state`` and the project's name, so adding a project does not move the
        others' intervals.
    lang : {"zh", "en"}, default "zh"
        Language of the ``note`` column.

    Returns
    -------
    DataFrame
        One row per project, best weighted score first: ``by``, ``n``, ``n_<value>``
        (respondents per weight group), ``n_effective`` (Kish's
        ``(sum w)^2 / sum w^2``: how many equally weighted respondents the weighted
        sample is worth), ``score``, ``ci_low``, ``ci_high``, ``score_unweighted``,
        ``shift`` (weighted - unweighted), ``rank``, ``rank_unweighted``, ``note``
        (why an interval is missing or unreliable). ``attrs`` holds the weights used.

    Raises
    ------
    MissingColumnsError
        If a named column is missing.
    CommlibError
        If a weight is negative or not a number, a group has no weight, or a rating is
        not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "project": ["电梯"] * 4 + ["栈道"] * 3,
    ...     "stance": ["支持", "支持", "支持", "反对", "反对", "反对", "支持"],
    ...     "rating": [5, 5, 5, 2, 4, 4, 4],
    ... })
    >>> res = weighted_satisfaction(survey, score="rating", n_boot=0)
    >>> res[["project", "score", "score_unweighted", "rank", "rank_unweighted"]]
      project  score  score_unweighted  rank  rank_unweighted
    0      栈道    4.0              4.00     1                2
    1      电梯    3.5              4.25     2                1
    """
    check_lang(lang)
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci!r}.")
    if int(n_boot) != n_boot or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number >= 0, got {n_boot!r}.")
    frame, w, dropped = _prepare(survey, by, weight_by, weights, score)
    levels = list(w)
    lo_q, hi_q = (1 - ci) / 2, 1 - (1 - ci) / 2

    rows = []
    for group, part in frame.groupby("group", sort=True):
        x = part["x"].to_numpy()
        ww = part["w"].to_numpy()
        n = x.size
        tot = ww.sum()
        row = {by: group, "n": n}
        counts = part["level"].value_counts()
        for lv in levels:
            row[f"n_{lv}"] = int(counts.get(lv, 0))
        row["n_effective"] = float(tot**2 / (ww**2).sum()) if tot > 0 else 0.0
        row["score"] = float((ww * x).sum() / tot) if tot > 0 else np.nan
        lo = hi = np.nan
        note = ""
        if tot == 0:
            note = t("evaluation.note.zero_weight", lang)
        elif n == 1:
            note = t("evaluation.note.one_respondent", lang)
        elif n_boot:
            boot = _bootstrap(x, ww, int(n_boot), _group_seed(random_state, group))
            lo, hi = (float(v) for v in np.nanquantile(boot, [lo_q, hi_q]))
            if n < FEW_RESPONDENTS:
                note = t("evaluation.note.few_respondents", lang, n=FEW_RESPONDENTS)
        row.update(ci_low=lo, ci_high=hi, score_unweighted=float(x.mean()), note=note)
        rows.append(row)

    cols = [by, "n", *[f"n_{lv}" for lv in levels], "n_effective", "score", "ci_low"]
    cols += ["ci_high", "score_unweighted", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out["shift"] = out["score"] - out["score_unweighted"]
    out["rank"] = _rank(out["score"])
    out["rank_unweighted"] = _rank(out["score_unweighted"])
    out = out[[*cols[:-1], "shift", "rank", "rank_unweighted", "note"]]
    out = out.sort_values(["score", by], ascending=[False, True], kind="stable", na_position="last")
    out = out.reset_index(drop=True)
    out.attrs.update(weights=dict(w), weight_by=weight_by, ci=ci, dropped=dropped)
    return out


# ------------------------------------------------------------------------ sensitivity
def weight_sensitivity(
    survey: pd.DataFrame,
    *,
    by: str = "project",
    weight_by: str = "stance",
    weights: Mapping | None = None,
    vary: str = "反对",
    grid=DEFAULT_GRID,
    score=DEFAULT_SCORE,
) -> pd.DataFrame:
    """Show how each project's score and rank move as the objectors' weight changes.

    The weight of one group (``vary``, by default the objectors) runs over ``grid``
    while the other groups keep their weights from ``weights``. A project whose rank is
    not the same across the grid is flagged: its place depends on a choice of weights,
    and that choice should be made, and argued, before the results are seen.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent. Not modified.
    by, weight_by, weights, score
        As in :func:`weighted_satisfaction`.
    vary : str, default "反对"
        The value of ``weight_by`` whose weight varies. Must be a key of the weights.
    grid : sequence of float, default 1, 1.5, 2, 2.5, 3, 4, 5, 6
        Weights to try for ``vary`` (each >= 0).

    Returns
    -------
    DataFrame
        Long format, one row per (weight, project): ``weight``, ``by``, ``score``,
        ``rank``, then per project ``rank_min``, ``rank_max`` and ``rank_changes``
        (True when the rank is not the same at every weight). ``attrs`` holds the
        base weights and ``vary``.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "project": ["电梯"] * 4 + ["栈道"] * 3,
    ...     "stance": ["支持", "支持", "支持", "反对", "反对", "反对", "支持"],
    ...     "rating": [5, 5, 5, 2, 4, 4, 4],
    ... })
    >>> t = weight_sensitivity(survey, score="rating", grid=[1, 3])
    >>> t[["weight", "project", "score", "rank"]]
       weight project  score  rank
    0     1.0      栈道   4.00     2
    1     1.0      电梯   4.25     1
    2     3.0      栈道   4.00     1
    3     3.0      电梯   3.50     2
    >>> bool(t["rank_changes"].all())
    True
    """
    frame, w, _ = _prepare(survey, by, weight_by, weights, score)
    if vary not in w:
        raise CommlibError(
            f"vary={vary!r} is not one of the weighted groups: {', '.join(repr(k) for k in w)}."
        )
    g = np.asarray(list(grid), dtype=float)
    if g.size == 0 or not np.isfinite(g).all() or (g < 0).any():
        raise ValueError("grid must be a non-empty list of finite weights >= 0.")
    # sums and counts per (project, group): every grid point is then a matrix product
    sums = frame.pivot_table(index="group", columns="level", values="x", aggfunc="sum")
    counts = frame.pivot_table(index="group", columns="level", values="x", aggfunc="count")
    levels = list(sums.columns)
    sums, counts = sums.fillna(0.0).to_numpy(), counts.fillna(0.0).to_numpy()
    groups = frame.groupby("group", sort=True).size().index
    base = np.array([w[lv] for lv in levels])
    col = levels.index(vary) if vary in levels else None
    W = np.tile(base, (g.size, 1))
    if col is not None:
        W[:, col] = g
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = (W @ sums.T) / (W @ counts.T)  # (grid, groups)
    out = pd.DataFrame(
        {
            "weight": np.repeat(g, groups.size),
            by: np.tile(groups.to_numpy(), g.size),
            "score": scores.ravel(),
        }
    )
    out["rank"] = (
        out.groupby("weight", sort=False)["score"]
        .rank(ascending=False, method="min")
        .astype("Int64")
    )
    span = out.groupby(by)["rank"].agg(["min", "max"])
    out["rank_min"] = out[by].map(span["min"]).astype("Int64")
    out["rank_max"] = out[by].map(span["max"]).astype("Int64")
    out["rank_changes"] = out["rank_min"] != out["rank_max"]
    out.attrs.update(weights=dict(w), vary=vary, weight_by=weight_by)
    return out


def weight_sensitivity_chart(
    table: pd.DataFrame,
    *,
    by: str | None = None,
    y: str = "rank",
    ax=None,
    lang: str = "zh",
    title: str | None = None,
):
    """Draw each project's rank (or score) against the objectors' weight.

    (Called ``plot_weight_sensitivity`` before 0.2; that name still works with a
    warning.)

    Projects whose rank changes across the weights are drawn in colour and labelled;
    the others are grey. The weight in use (from the table's ``attrs``) is marked with
    a dashed line.

    Parameters
    ----------
    table : DataFrame
        The output of :func:`weight_sensitivity`.
    by : str, optional
        The project column; default: the second column of ``table``.
    y : {"rank", "score"}, default "rank"
        What to draw. Ranks are drawn with 1 at the top.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, default "zh"
        Language of the labels.
    title : str, optional
        Chart title; pass "" for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "project": ["电梯"] * 4 + ["栈道"] * 3,
    ...     "stance": ["支持", "支持", "支持", "反对", "反对", "反对", "支持"],
    ...     "rating": [5, 5, 5, 2, 4, 4, 4],
    ... })
    >>> ax = weight_sensitivity_chart(weight_sensitivity(survey, score="rating"))
    >>> len(ax.lines) >= 2, ax.get_ylabel()
    (True, '排名（1 为最好）')
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import REST_COLOR, use_chinese_font

    check_lang(lang)
    if y not in ("rank", "score"):
        raise ValueError(f"y must be 'rank' or 'score', got {y!r}.")
    by = by if by is not None else table.columns[1]
    require_columns(table, ["weight", by, y, "rank_changes"], where="the sensitivity table")
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.5))
    palette = plt.get_cmap("tab10").colors
    k = 0
    last_w = table["weight"].max()
    for name, part in table.groupby(by, sort=True):
        part = part.sort_values("weight")
        moved = bool(part["rank_changes"].iloc[0])
        color = palette[k % len(palette)] if moved else REST_COLOR
        k += moved
        ax.plot(
            part["weight"],
            part[y].astype(float),
            marker="o",
            markersize=4,
            color=color,
            linewidth=2.2 if moved else 1.2,
            zorder=3 if moved else 2,
        )
        end = part.loc[part["weight"] == last_w, y].astype(float).iloc[0]
        ax.annotate(
            str(name),
            xy=(last_w, end),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=color if moved else "0.35",
        )
    vary = table.attrs.get("vary")
    used = table.attrs.get("weights", {}).get(vary)
    if used is not None:
        ax.axvline(used, color="0.4", linestyle="--", linewidth=1)
        ax.annotate(
            t("evaluation.weight_in_use", lang, w=f"{used:g}"),
            xy=(used, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=9,
        )
    label = vary if vary is not None else "?"
    ax.set_xlabel(t("evaluation.axis.weight_of", lang, group=label))
    if y == "rank":
        n = int(table["rank"].max())
        ax.set_ylim(n + 0.5, 0.5)
        ax.set_yticks(range(1, n + 1))
        ax.set_ylabel(t("evaluation.axis.rank", lang))
    else:
        ax.set_ylabel(t("evaluation.axis.score", lang))
    ax.margins(x=0.12)
    if title is None:
        title = t("evaluation.title.sensitivity", lang)
    if title:
        ax.set_title(title)
    return ax


# -------------------------------------------------------------------------- scorecard
@dataclass(frozen=True)
class Scorecard:
    """What :func:`scorecard` returns: one table per level of evaluation.

    Attributes
    ----------
    projects : DataFrame
        One row per project: who ran it, the residents' weighted and plain scores with
        the interval, the objectors' own mean, goal progress and residents mobilised.
    social_workers : DataFrame
        One row per social worker, from their projects.
    committees : DataFrame
        One row per neighbourhood committee, from its projects.
    weights : dict
        The weights used for the residents' score.
    """

    projects: pd.DataFrame
    social_workers: pd.DataFrame
    committees: pd.DataFrame
    weights: dict


def _aggregate(projects: pd.DataFrame, key: str, by: str, extra: dict) -> pd.DataFrame:
    g = projects.groupby(key, sort=True)
    out = pd.DataFrame(
        {
            "projects": g.size(),
            "project_names": g[by].agg(lambda s: "、".join(map(str, s))),
            **{name: fn(g) for name, fn in extra.items()},
            "respondents": g["n"].sum(),
            "score_mean": g["score"].mean(),
            "score_min": g["score"].min(),
            "objectors_score_mean": g["objectors_score"].mean(),
            "goal_progress_mean": g["goal_progress"].mean(),
            "volunteers": g["volunteers"].sum(min_count=1),
            "talents": g["talents"].sum(min_count=1),
        }
    )
    return (
        out.reset_index()
        .sort_values("score_mean", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def scorecard(
    survey: pd.DataFrame,
    projects: pd.DataFrame,
    *,
    by: str = "project",
    committee: str = "committee",
    social_worker: str = "social_worker",
    weight_by: str = "stance",
    weights: Mapping | None = None,
    objector: str = "反对",
    score=DEFAULT_SCORE,
    volunteers: str | None = "volunteers",
    talents: str | None = "talents",
    goal=("baseline", "target", "actual"),
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int | None = 0,
) -> Scorecard:
    """Evaluate on three levels at once: project, individual social worker, committee.

    No single composite number is made: each dimension stays its own column, so a
    reader sees what a rank rests on. Project rows combine the residents' survey
    (:func:`weighted_satisfaction`) with the project table: goal progress and
    residents mobilised as volunteers or community talents (社区能人). A social worker's
    and a committee's rows summarise their projects, each project counting once.

    Parameters
    ----------
    survey : DataFrame
        One row per respondent, as for :func:`weighted_satisfaction`. Not modified.
    projects : DataFrame
        One row per project with ``by``, ``committee``, ``social_worker`` and, when
        present, ``volunteers``, ``talents`` and the ``goal`` columns. Not modified.
    by, committee, social_worker : str
        Column names of the project key, the committee and the social worker in charge.
    weight_by, weights, score, n_boot, ci, random_state
        As in :func:`weighted_satisfaction`.
    objector : str, default "反对"
        The ``weight_by`` value whose own plain mean is shown as ``objectors_score``.
    volunteers, talents : str or None
        Columns counting residents mobilised; None (or a missing column) leaves blanks.
    goal : (str, str, str) or None, default ("baseline", "target", "actual")
        Columns of the project's indicator. ``goal_progress`` = (actual - baseline) /
        (target - baseline): the share of the promised change delivered (1 = target
        met, above 1 = exceeded; works whether the indicator should go up or down).
        None leaves it blank.

    Returns
    -------
    Scorecard
        ``projects``, ``social_workers``, ``committees`` and ``weights``.

    Raises
    ------
    CommlibError
        If the project table repeats a project, or a surveyed project is not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({
    ...     "project": ["电梯", "电梯", "栈道", "栈道"],
    ...     "stance": ["支持", "反对", "反对", "中立"],
    ...     "rating": [5, 2, 4, 4],
    ... })
    >>> projects = pd.DataFrame({
    ...     "project": ["电梯", "栈道"], "committee": ["甲居委", "甲居委"],
    ...     "social_worker": ["小王", "小李"], "talents": [1, 4],
    ... })
    >>> card = scorecard(survey, projects, score="rating", goal=None, n_boot=0)
    >>> card.projects[["project", "social_worker", "score", "objectors_score", "talents"]]
      project social_worker  score  objectors_score  talents
    0      栈道            小李   4.00              4.0        4
    1      电梯            小王   2.75              2.0        1
    >>> card.committees[["committee", "projects", "talents"]].to_dict("records")
    [{'committee': '甲居委', 'projects': 2, 'talents': 5}]
    """
    if not isinstance(projects, pd.DataFrame):
        raise TypeError(f"projects must be a pandas DataFrame, got {type(projects).__name__}.")
    require_columns(projects, [by, committee, social_worker], where="the project table")
    if projects[by].duplicated().any():
        dup = projects.loc[projects[by].duplicated(), by].tolist()
        raise CommlibError(f"The project table lists a project more than once: {dup}.")
    sat = weighted_satisfaction(
        survey,
        by=by,
        weight_by=weight_by,
        weights=weights,
        score=score,
        n_boot=n_boot,
        ci=ci,
        random_state=random_state,
    )
    unknown = sorted(set(sat[by]) - set(projects[by]), key=str)
    if unknown:
        raise CommlibError(
            f"Surveyed project(s) missing from the project table: {unknown}. "
            "Check the spelling, or add them to the project table."
        )
    # objectors' own plain mean: the article's "they have the most say" made visible
    frame, _, _ = _prepare(survey, by, weight_by, weights, score)
    obj = frame[frame["level"] == objector].groupby("group")["x"].mean()

    p = projects.copy()
    p["_order"] = np.arange(len(p))
    card = p[[by, committee, social_worker, "_order"]].merge(
        sat[[by, "n", "n_effective", "score", "ci_low", "ci_high", "score_unweighted", "rank"]],
        on=by,
        how="left",
    )
    card["objectors_score"] = card[by].map(obj).astype(float)
    if goal is not None and all(c in p.columns for c in goal):
        b, t, a = (pd.to_numeric(p[c], errors="coerce").to_numpy(dtype=float) for c in goal)
        with np.errstate(invalid="ignore", divide="ignore"):
            prog = np.where(t != b, (a - b) / (t - b), np.nan)
        card["goal_progress"] = prog
    else:
        card["goal_progress"] = np.nan
    for name, col in (("volunteers", volunteers), ("talents", talents)):
        if col is not None and col in p.columns:
            card[name] = p[col].to_numpy()
        else:
            card[name] = np.nan
    card = card.sort_values(
        ["score", "_order"], ascending=[False, True], kind="stable", na_position="last"
    )
    card = card.drop(columns="_order").reset_index(drop=True)
    card = card.rename(columns={"rank": "score_rank"})

    workers = _aggregate(
        card,
        social_worker,
        by,
        {"committee": lambda g: g[committee].agg(lambda c: "、".join(dict.fromkeys(map(str, c))))},
    )
    committees = _aggregate(
        card, committee, by, {"social_workers": lambda g: g[social_worker].nunique()}
    )
    return Scorecard(
        projects=card,
        social_workers=workers,
        committees=committees,
        weights=dict(sat.attrs["weights"]),
    )


def scorecard_chart(
    card: Scorecard,
    *,
    level: str = "project",
    columns=None,
    ax=None,
    lang: str = "zh",
    title: str | None = None,
):
    """Draw a scorecard level as a table of coloured cells, one column per dimension.

    (Called ``plot_scorecard`` before 0.2; that name still works with a warning.)

    Each column is coloured on its own scale (darker = better within that column) and
    every cell shows its raw value, so a strong project on one dimension and weak on
    another is visible at a glance, and no weighting between dimensions is implied.

    Parameters
    ----------
    card : Scorecard
        The output of :func:`scorecard`.
    level : {"project", "social_worker", "committee"}, default "project"
        Which table to draw.
    columns : sequence of str, optional
        Columns to draw. Default: the level's scores, goal progress, volunteers and
        talents.
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, default "zh"
        Language of the labels.
    title : str, optional
        Chart title; pass "" for none.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"project": ["电梯", "栈道"], "stance": ["支持", "反对"],
    ...                        "rating": [5, 4]})
    >>> projects = pd.DataFrame({"project": ["电梯", "栈道"], "committee": ["甲", "甲"],
    ...                          "social_worker": ["小王", "小李"], "talents": [1, 4]})
    >>> card = scorecard(survey, projects, score="rating", goal=None, n_boot=0)
    >>> ax = scorecard_chart(card)
    >>> len(ax.texts) > 0, ax.get_title()
    (True, '项目考核：多维度，不合成一个分')
    >>> scorecard_chart(card, lang="en").get_title()
    'Scorecard by project'

    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    tables = {
        "project": (card.projects, card.projects.columns[0]),
        "social_worker": (card.social_workers, card.social_workers.columns[0]),
        "committee": (card.committees, card.committees.columns[0]),
    }
    if level not in tables:
        raise ValueError(f"level must be one of {tuple(tables)}, got {level!r}.")
    check_lang(lang)
    df, key = tables[level]
    if columns is None:
        columns = (
            ["score", "objectors_score", "goal_progress", "volunteers", "talents"]
            if level == "project"
            else [
                "projects",
                "score_mean",
                "objectors_score_mean",
                "goal_progress_mean",
                "volunteers",
                "talents",
            ]
        )
    columns = list(columns)
    require_columns(df, columns, where=f"the scorecard's {level} table")
    use_chinese_font()
    values = df[columns].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-blank column stays blank
        lo, hi = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
        scaled = np.where(hi > lo, (values - lo) / (hi - lo), 0.5)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.4 * len(columns) + 2.2, 0.45 * len(df) + 1.4))
    ax.imshow(np.ma.masked_invalid(scaled), cmap="Blues", vmin=-0.15, vmax=1.15, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = "—" if np.isnan(v) else (f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}")
            dark = not np.isnan(scaled[i, j]) and scaled[i, j] > 0.6
            ax.text(
                j, i, text, ha="center", va="center", fontsize=9, color="white" if dark else "black"
            )
    ax.set_xticks(range(len(columns)))
    labels = catalogue_table("evaluation.column", lang)
    ax.set_xticklabels([labels.get(c, c) for c in columns], rotation=0, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(df)))
    ax.set_yticklabels(df[key].astype(str).tolist())
    ax.grid(False)
    for side in ax.spines.values():
        side.set_visible(False)
    if title is None:
        title = t("evaluation.title.scorecard", lang, level=t(f"evaluation.level.{level}", lang))
    if title:
        ax.set_title(title, pad=24)
    return ax


plot_weight_sensitivity = renamed_function(weight_sensitivity_chart, "plot_weight_sensitivity")
plot_scorecard = renamed_function(scorecard_chart, "plot_scorecard")
