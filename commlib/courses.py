"""Find overlapping training courses and propose merges: fewer repeated hours.

Each line department (民政, 司法, 应急, 卫健 ...) sends its own training to the
neighbourhood committees, and many of them teach the same thing under another name.
:func:`find_overlaps` compares every course's title and syllabus, groups courses that
say much the same, proposes one merged course per group and counts the hours saved.
:func:`threshold_curve` shows how the groups and the hours change with the similarity
threshold, so the choice of threshold is visible rather than buried.

How courses are compared
------------------------
Title and syllabus are joined and cut into words with the commlib tokenizer
(:class:`commlib.text.Tokenizer`, word mode, with its governance dictionary), weighted
by TF-IDF (sub-linear term frequency, smoothed IDF learned on the courses given) and
compared by cosine similarity. Groups are clusters of average linkage cut at
``threshold``: two groups join only if their courses are, on average, at least
``threshold`` similar, so one course that touches two topics does not chain them
together (``linkage="single"`` gives the connected components of the graph "similarity
>= threshold" instead).

The merge rule
--------------
In each group the course with the most hours is kept (ties: the first in input order);
the others are merged into it. The merged course keeps the longest course's hours: the
content the courses share is taught once, and the longest course already covers most
of it. Hours saved per group = sum of the group's hours - the kept course's hours. This
is a proposal for people to review, not a decision: the ``merges`` table lists every
course it would fold in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_function
from commlib.errors import CommlibError, require_columns

__all__ = [
    "OverlapResult",
    "find_overlaps",
    "plot_threshold_curve",
    "threshold_curve",
    "threshold_curve_chart",
]

#: Thresholds :func:`threshold_curve` tries by default.
DEFAULT_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.951, 0.05))

_LINKAGES = ("average", "single", "complete")


@dataclass(frozen=True)
class OverlapResult:
    """What :func:`find_overlaps` returns.

    Attributes
    ----------
    groups : DataFrame
        One row per course, in input order: the course key, title, unit and hours as
        given, then ``group`` (an integer; courses that overlap with nothing have a group
        of their own), ``group_size``, ``role`` ("keep": the course a group is merged
        into, "merge": merged away, "alone": no overlap) and ``max_similarity`` (to the
        most similar other course).
    merges : DataFrame
        One row per group of two or more courses, largest saving first: ``group``,
        ``kept`` (course key), ``kept_title``, ``merged`` (keys of the courses folded
        in, joined by "、"), ``merged_titles``, ``units``, ``n_courses``,
        ``hours_before``, ``hours_after``, ``hours_saved`` and ``mean_similarity``
        (average similarity between the group's courses).
    summary : Series
        ``courses``, ``units``, ``groups`` (of two or more), ``courses_merged_away``,
        ``courses_after``, ``hours_before``, ``hours_after``, ``hours_saved``,
        ``threshold``.
    similarity : DataFrame
        Cosine similarity of every pair of courses, indexed by the course key.
    """

    groups: pd.DataFrame
    merges: pd.DataFrame
    summary: pd.Series
    similarity: pd.DataFrame


def _check(courses, text, hours, course, linkage):
    if not isinstance(courses, pd.DataFrame):
        raise TypeError(f"courses must be a pandas DataFrame, got {type(courses).__name__}.")
    text = (text,) if isinstance(text, str) else tuple(text)
    if not text:
        raise ValueError("text must name at least one column (e.g. ('title', 'syllabus')).")
    need = [*text, hours] + ([course] if course is not None else [])
    require_columns(courses, need, where="the course table")
    if linkage not in _LINKAGES:
        raise ValueError(f"linkage must be one of {_LINKAGES}, got {linkage!r}.")
    h = pd.to_numeric(courses[hours], errors="coerce")
    bad = h.isna() | (h < 0)
    if bad.any():
        rows = courses.index[bad.to_numpy()][:5].tolist()
        raise CommlibError(
            f"Column {hours!r} must hold non-negative numbers of hours; rows {rows} do not "
            f"({int(bad.sum())} in all)."
        )
    if course is not None and courses[course].duplicated().any():
        dup = courses.loc[courses[course].duplicated(), course].head(5).tolist()
        raise CommlibError(f"Course keys in {course!r} must be unique; repeated: {dup}.")
    return text, h.to_numpy(dtype=float)


def _similarity(courses, text, tokenizer) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors of the joined text columns."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from commlib.text import Tokenizer, count_terms

    joined = courses[text[0]].fillna("").astype(str)
    for col in text[1:]:
        joined = joined + "。" + courses[col].fillna("").astype(str)
    tok = tokenizer if tokenizer is not None else Tokenizer(mode="word")
    counts, _ = count_terms(joined, tokenizer=tok)
    if counts.shape[1] == 0:  # no course has a single word: nothing is alike
        return np.eye(len(courses))
    X = TfidfTransformer(sublinear_tf=True).fit_transform(counts)  # rows L2-normalised
    sim = (X @ X.T).toarray()
    np.clip(sim, 0.0, 1.0, out=sim)
    np.fill_diagonal(sim, 1.0)
    empty = np.asarray(counts.sum(axis=1)).ravel() == 0
    # a course with no words is like nothing, not even another empty one
    sim[empty, :] = 0.0
    sim[:, empty] = 0.0
    sim[np.diag_indices_from(sim)] = 1.0
    return sim


def _tree(sim: np.ndarray, linkage: str):
    from scipy.cluster.hierarchy import linkage as scipy_linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - sim
    np.fill_diagonal(dist, 0.0)
    return scipy_linkage(squareform(dist, checks=False), method=linkage)


def _labels(tree, n: int, threshold: float) -> np.ndarray:
    """Group labels 0..k-1, numbered in order of each group's first course."""
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    from scipy.cluster.hierarchy import fcluster

    # merge while distance <= 1 - threshold; a tiny margin keeps "similarity == threshold"
    raw = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    _, first = np.unique(raw, return_index=True)
    order = np.argsort(first, kind="stable")
    relabel = np.empty(order.size, dtype=np.int64)
    relabel[order] = np.arange(order.size)
    _, inv = np.unique(raw, return_inverse=True)
    return relabel[inv]


def _plan(labels: np.ndarray, hours: np.ndarray):
    """Per course: its group's size and whether it is the kept course."""
    n = labels.size
    size = np.bincount(labels)[labels]
    # kept course: most hours, ties to the first in input order
    order = np.lexsort((np.arange(n), -hours, labels))
    first_of_group = np.r_[True, labels[order][1:] != labels[order][:-1]]
    keep = np.zeros(n, dtype=bool)
    keep[order[first_of_group]] = True
    return size, keep


def _summarise(labels, hours, keep, size):
    in_group = size > 1
    saved = float(hours[in_group & ~keep].sum())
    return {
        "groups": int(np.unique(labels[in_group]).size),
        "courses_merged_away": int((in_group & ~keep).sum()),
        "hours_saved": saved,
    }


def find_overlaps(
    courses: pd.DataFrame,
    *,
    text=("title", "syllabus"),
    hours: str = "hours",
    threshold: float = 0.3,
    course: str | None = "course_id",
    unit: str | None = "unit",
    linkage: str = "average",
    tokenizer=None,
) -> OverlapResult:
    """Group training courses that teach much the same thing and propose merges.

    Title and syllabus are compared by TF-IDF cosine similarity of the commlib word
    tokens; courses are grouped by average-linkage clustering cut at ``threshold``;
    each group is merged into its longest course, and the hours saved are counted (see
    the module docstring for the rule).

    Parameters
    ----------
    courses : DataFrame
        One row per course. Not modified.
    text : str or sequence of str, default ("title", "syllabus")
        Text columns joined to compare courses.
    hours : str, default "hours"
        Column of course hours (non-negative numbers).
    threshold : float, default 0.3
        Similarity (0-1) at or above which courses count as overlapping. Higher: fewer,
        tighter groups. :func:`threshold_curve` shows the effect of each value.
    course : str or None, default "course_id"
        Column of unique course keys; None uses the row index.
    unit : str or None, default "unit"
        Column of the unit that runs each course, listed in ``merges``; None or a
        missing column leaves it out.
    linkage : {"average", "single", "complete"}, default "average"
        How groups are formed. "single" gives connected components (any chain of
        similar pairs joins a group); "complete" demands every pair be similar.
    tokenizer : commlib.text.Tokenizer, optional
        Default ``Tokenizer(mode="word")``. Pass one with ``user_words`` to keep your
        own course vocabulary whole.

    Returns
    -------
    OverlapResult
        ``groups`` (per course), ``merges`` (per group), ``summary`` and
        ``similarity``.

    Raises
    ------
    MissingColumnsError
        If a named column is missing.
    CommlibError
        If hours are missing or negative, or course keys repeat.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "course_id": ["A", "B", "C"],
    ...     "title": ["垃圾分类实务", "垃圾分类督导", "人民调解实务"],
    ...     "syllabus": ["垃圾分类标准；定时定点投放", "垃圾分类标准；定时定点投放督导",
    ...                  "邻里纠纷调解技巧"],
    ...     "hours": [24, 16, 40],
    ... })
    >>> res = find_overlaps(df, unit=None)
    >>> res.groups["role"].tolist()
    ['keep', 'merge', 'alone']
    >>> res.merges[["kept", "merged", "hours_saved"]].to_dict("records")
    [{'kept': 'A', 'merged': 'B', 'hours_saved': 16.0}]
    >>> int(res.summary["courses_merged_away"]), float(res.summary["hours_saved"])
    (1, 16.0)
    """
    text, h = _check(courses, text, hours, course, linkage)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold!r}.")
    n = len(courses)
    keys = courses[course] if course is not None else pd.Series(courses.index, name="course")
    key_name = keys.name if keys.name is not None else "course"
    has_unit = unit is not None and unit in courses.columns
    if n == 0:
        sim = np.zeros((0, 0))
        labels = np.zeros(0, dtype=np.int64)
    else:
        sim = _similarity(courses, text, tokenizer)
        labels = _labels(_tree(sim, linkage), n, threshold) if n > 1 else np.zeros(1, np.int64)
    size, keep = _plan(labels, h) if n else (np.zeros(0, np.int64), np.zeros(0, bool))

    other = sim - np.eye(n)
    groups = pd.DataFrame({key_name: keys.to_numpy()})
    if "title" in courses.columns:
        groups["title"] = courses["title"].to_numpy()
    if has_unit:
        groups["unit"] = courses[unit].to_numpy()
    groups["hours"] = h
    groups["group"] = labels
    groups["group_size"] = size
    groups["role"] = np.where(size == 1, "alone", np.where(keep, "keep", "merge"))
    groups["max_similarity"] = other.max(axis=1) if n > 1 else np.full(n, np.nan)

    title = groups["title"] if "title" in groups else groups[key_name].astype(str)
    rows = []
    for g in np.unique(labels[size > 1]):
        idx = np.flatnonzero(labels == g)
        k = idx[keep[idx]][0]
        rest = idx[idx != k]
        block = sim[np.ix_(idx, idx)]
        m = idx.size
        row = {
            "group": int(g),
            "kept": groups[key_name].iloc[k],
            "kept_title": title.iloc[k],
            "merged": "、".join(str(x) for x in groups[key_name].iloc[rest]),
            "merged_titles": "、".join(str(x) for x in title.iloc[rest]),
        }
        if has_unit:
            row["units"] = "、".join(dict.fromkeys(str(u) for u in groups["unit"].iloc[idx]))
        row.update(
            n_courses=int(m),
            hours_before=float(h[idx].sum()),
            hours_after=float(h[k]),
            hours_saved=float(h[rest].sum()),
            mean_similarity=float((block.sum() - m) / (m * (m - 1))),
        )
        rows.append(row)
    cols = ["group", "kept", "kept_title", "merged", "merged_titles"]
    cols += ["units"] if has_unit else []
    cols += ["n_courses", "hours_before", "hours_after", "hours_saved", "mean_similarity"]
    merges = pd.DataFrame(rows, columns=cols)
    if len(merges):
        merges = merges.sort_values(
            ["hours_saved", "group"], ascending=[False, True], kind="stable"
        ).reset_index(drop=True)

    s = _summarise(labels, h, keep, size)
    summary = pd.Series(
        {
            "courses": n,
            "units": int(courses[unit].nunique()) if has_unit else np.nan,
            "groups": s["groups"],
            "courses_merged_away": s["courses_merged_away"],
            "courses_after": n - s["courses_merged_away"],
            "hours_before": float(h.sum()),
            "hours_after": float(h.sum()) - s["hours_saved"],
            "hours_saved": s["hours_saved"],
            "threshold": float(threshold),
        },
        name="summary",
        dtype=object,  # counts stay whole numbers when shown
    )
    similarity = pd.DataFrame(sim, index=keys.to_numpy(), columns=keys.to_numpy())
    return OverlapResult(groups=groups, merges=merges, summary=summary, similarity=similarity)


def threshold_curve(
    courses: pd.DataFrame,
    *,
    text=("title", "syllabus"),
    hours: str = "hours",
    thresholds=DEFAULT_THRESHOLDS,
    linkage: str = "average",
    tokenizer=None,
) -> pd.DataFrame:
    """Show how the overlap groups and the hours saved change with the threshold.

    The similarity and the clustering tree are computed once; each threshold only cuts
    the tree at another height, so a long list of thresholds is cheap.

    Parameters
    ----------
    courses : DataFrame
        As in :func:`find_overlaps`.
    text, hours, linkage, tokenizer
        As in :func:`find_overlaps`.
    thresholds : sequence of float, default 0.05, 0.10, ..., 0.95
        Similarity thresholds to try (each between 0 and 1).

    Returns
    -------
    DataFrame
        One row per threshold, ascending: ``threshold``, ``groups`` (of two or more
        courses), ``courses_merged_away``, ``courses_after``, ``hours_saved`` and
        ``largest_group``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "title": ["垃圾分类实务", "垃圾分类督导", "人民调解实务"],
    ...     "syllabus": ["垃圾分类标准；定时定点投放", "垃圾分类标准；定时定点投放督导",
    ...                  "邻里纠纷调解技巧"],
    ...     "hours": [24, 16, 40],
    ... })
    >>> curve = threshold_curve(df, thresholds=[0.3, 0.99])
    >>> curve[["threshold", "courses_merged_away", "hours_saved"]].to_dict("records")
    [{'threshold': 0.3, 'courses_merged_away': 1, 'hours_saved': 16.0}, {'threshold': 0.99, 'courses_merged_away': 0, 'hours_saved': 0.0}]
    """
    text, h = _check(courses, text, hours, None, linkage)
    ts = np.sort(np.asarray(list(thresholds), dtype=float))
    if ts.size == 0 or (ts < 0).any() or (ts > 1).any():
        raise ValueError("thresholds must be a non-empty list of numbers between 0 and 1.")
    n = len(courses)
    tree = _tree(_similarity(courses, text, tokenizer), linkage) if n > 1 else None
    rows = []
    for cut in ts:
        labels = _labels(tree, n, float(cut)) if n > 1 else np.zeros(n, dtype=np.int64)
        size, keep = _plan(labels, h)
        s = _summarise(labels, h, keep, size)
        rows.append(
            {
                "threshold": float(cut),
                "groups": s["groups"],
                "courses_merged_away": s["courses_merged_away"],
                "courses_after": n - s["courses_merged_away"],
                "hours_saved": s["hours_saved"],
                "largest_group": int(size.max()) if n else 0,
            }
        )
    return pd.DataFrame(rows)


def threshold_curve_chart(
    curve: pd.DataFrame,
    *,
    mark: float | None = None,
    ax=None,
    lang: str = "zh",
    title: str | None = None,
):
    """Draw hours saved and courses merged away against the similarity threshold.

    (Called ``plot_threshold_curve`` before 0.2; that name still works with a warning.)

    Parameters
    ----------
    curve : DataFrame
        The output of :func:`threshold_curve`.
    mark : float, optional
        A threshold to mark with a vertical dashed line (the one you chose).
    ax : matplotlib Axes, optional
        Axes to draw on; a new figure is made when omitted.
    lang : {"zh", "en"}, default "zh"
        Language of the labels.
    title : str, optional
        Chart title; pass "" for none.

    Returns
    -------
    matplotlib Axes
        The axes of the hours line; courses merged away are on a twin axes.

    Examples
    --------
    >>> import pandas as pd
    >>> curve = pd.DataFrame({"threshold": [0.2, 0.5], "courses_merged_away": [3, 1],
    ...                       "hours_saved": [60.0, 16.0]})
    >>> ax = threshold_curve_chart(curve, mark=0.3)
    >>> len(ax.figure.axes), ax.get_xlabel()
    (2, '相似度阈值')
    >>> threshold_curve_chart(curve, lang="en").get_title()
    'Higher threshold, fewer merges'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import LINE_COLOR, VITAL_COLOR, use_chinese_font

    check_lang(lang)
    require_columns(
        curve, ["threshold", "courses_merged_away", "hours_saved"], where="the curve table"
    )
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    ax.plot(curve["threshold"], curve["hours_saved"], marker="o", color=VITAL_COLOR)
    ax.set_xlabel(t("courses.axis.threshold", lang))
    ax.set_ylabel(t("courses.axis.hours_saved", lang), color=VITAL_COLOR)
    ax2 = ax.twinx()
    ax2.step(
        curve["threshold"],
        curve["courses_merged_away"],
        where="mid",
        color=LINE_COLOR,
        linestyle="-",
        alpha=0.7,
    )
    ax2.set_ylabel(t("courses.axis.merged_away", lang), color=LINE_COLOR)
    ax2.set_ylim(bottom=0)
    ax.set_ylim(bottom=0)
    ax2.grid(False)
    if mark is not None:
        ax.axvline(mark, color="0.4", linestyle="--", linewidth=1)
        ax.annotate(
            t("courses.chosen", lang, threshold=f"{mark:g}"),
            xy=(mark, 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            va="top",
            fontsize=9,
        )
    if title is None:
        title = t("courses.title", lang)
    if title:
        ax.set_title(title)
    return ax


plot_threshold_curve = renamed_function(threshold_curve_chart, "plot_threshold_curve")
