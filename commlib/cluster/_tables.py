"""Theme tables: assign_themes and cluster_trends."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from commlib._catalogue import check_lang
from commlib._util import missing_label
from commlib.cluster._estimator import TicketClusterer
from commlib.errors import require_columns

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------- table helpers
def assign_themes(
    df: pd.DataFrame,
    clusterer: TicketClusterer,
    *,
    text: str = "text",
    theme: str = "theme",
    theme_id: str = "theme_id",
) -> pd.DataFrame:
    """Add each ticket's theme (name and id) to a ticket table, ready for Pareto charts.

    Neither ``df`` nor ``clusterer`` is modified. An unfitted clusterer is cloned and
    the clone fitted on ``df[text]``; a fitted one places the tickets with
    :meth:`TicketClusterer.predict`, which gives the training tickets exactly their
    ``labels_``. To keep the fitted clusterer, fit it first and pass it in.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with a text column.
    clusterer : TicketClusterer
        Fitted or not. If not fitted, a clone of it is fitted here; the object passed
        in stays unfitted.
    text, theme, theme_id : str
        Column names: the text to read, and the two columns to add.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``theme`` (the theme name, "其他" / "misc" for misc) and
        ``theme_id`` (int, -1 for misc). Then ``pareto_table(out, by="theme")``.

    Examples
    --------
    >>> df = pd.DataFrame({"text": ["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"]})
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> assign_themes(df, tc)["theme_id"].tolist()
    [0, 0, 1, 1]
    >>> hasattr(tc, "labels_")  # the clusterer passed in is left as it was
    False
    """
    from sklearn.base import clone

    require_columns(df, [text], where="assign_themes: the ticket table")
    if hasattr(clusterer, "labels_"):
        ids = clusterer.predict(df[text])
    else:
        clusterer = clone(clusterer).fit(df[text])
        ids = clusterer.labels_
    names = pd.Series(ids, index=df.index).map(clusterer.names_)
    return df.assign(**{theme_id: ids, theme: names.astype("str")})


#: Group label of tickets whose group column (e.g. community) is empty, in Chinese;
#: :func:`cluster_trends` writes ``missing_label(lang)``. Kept for 0.1.0 code.
MISSING_GROUP = missing_label("zh")


def cluster_trends(
    df: pd.DataFrame,
    labels,
    *,
    date: str = "created_at",
    freq: str = "MS",
    group: str | None = None,
    min_count: int = 5,
    names=None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Count themes by period, and by a group such as the community, in one tidy table.

    Every (period, group) cell lists every theme, zeros included, so shares within a
    cell sum to 1 and trend lines drop to zero instead of vanishing. Cells with fewer
    than ``min_count`` tickets get share NaN and ``small_cell`` True instead of a noisy
    100 %.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets with a date column (datetimes or strings; unparseable dates are dropped
        and logged).
    labels : array-like, str or TicketClusterer
        Theme of each row of ``df``: an array of the same length, the name of a column
        of ``df``, or a fitted clusterer whose ``labels_`` belong to ``df``'s rows.
    date : str, default "created_at"
        Date column.
    freq : str, default "MS"
        pandas frequency of the periods ("MS" month starts, "W-MON" weeks, "QS" quarters).
    group : str, optional
        A column to split by as well, e.g. ``"community"``. Tickets with no value there
        are counted in a group named "(缺失)" ("(missing)" with ``lang="en"``), not
        dropped.
    min_count : int, default 5
        Cells with fewer tickets than this get share NaN and ``small_cell`` True.
    names : dict, optional
        Label -> theme name. Default: the clusterer's ``names_`` if one is given.
    lang : {"zh", "en"}, default "zh"
        Language of the missing-group label.

    Returns
    -------
    pandas.DataFrame
        Columns ``period``, [``group``], ``theme``, ``count``, ``total`` (tickets in the
        cell), ``share`` and ``small_cell``.

    Examples
    --------
    >>> df = pd.DataFrame({"created_at": ["2024-01-05", "2024-01-20", "2024-02-02"],
    ...                    "theme": ["噪音", "快递", "噪音"]})
    >>> cluster_trends(df, "theme", min_count=2)
          period theme  count  total  share  small_cell
    0 2024-01-01    噪音      1      2    0.5       False
    1 2024-01-01    快递      1      2    0.5       False
    2 2024-02-01    噪音      1      1    NaN        True
    3 2024-02-01    快递      0      1    NaN        True
    """
    missing = missing_label(check_lang(lang))
    require_columns(
        df, [date] + ([group] if group else []), where="cluster_trends: the ticket table"
    )
    if isinstance(labels, TicketClusterer):
        check_is_fitted(labels, "labels_")
        names = labels.names_ if names is None else names
        labels = labels.labels_
    if isinstance(labels, str):
        require_columns(df, [labels], where="cluster_trends: the ticket table")
        themes = df[labels].to_numpy(dtype=object)
    else:
        themes = np.asarray(labels, dtype=object)
    if len(themes) != len(df):
        raise ValueError(
            f"labels has {len(themes)} values but the table has {len(df)} rows: pass the "
            f"labels of these very tickets."
        )
    if names is not None:
        themes = pd.Series(themes).map(lambda v: names.get(v, v)).to_numpy(dtype=object)

    when = df[date]
    if not pd.api.types.is_datetime64_any_dtype(when):
        when = pd.to_datetime(when, errors="coerce", format="mixed")
    work = pd.DataFrame({"_date": when.to_numpy(), "theme": themes})
    keys = ["period"]
    if group:
        # tickets without a group value stay in the counts, in a group of their own
        values = df[group].to_numpy(dtype=object)
        work[group] = np.where(pd.isna(values), missing, values)
        keys.append(group)
    bad = work["_date"].isna()
    if bad.any():
        logger.warning(
            "cluster_trends: %d rows without a usable %r date were left out.", int(bad.sum()), date
        )
        work = work.loc[~bad]
    work["theme"] = work["theme"].astype(str)
    grouper = [pd.Grouper(key="_date", freq=freq)] + ([group] if group else [])
    counts = work.groupby([*grouper, "theme"], observed=True).size()
    table = counts.unstack("theme", fill_value=0)
    if group:
        # every (period, group) cell, empty months included
        periods = table.index.get_level_values(0).unique().sort_values()
        full = pd.date_range(periods.min(), periods.max(), freq=freq) if len(periods) else periods
        groups = sorted(work[group].dropna().astype(str).unique())
        table.index = table.index.set_levels(table.index.levels[1].astype(str), level=1)
        table = table.reindex(pd.MultiIndex.from_product([full, groups]), fill_value=0)
    tidy = table.stack().rename("count").reset_index()
    tidy.columns = keys + ["theme", "count"]
    tidy["count"] = tidy["count"].astype("int64")
    tidy["total"] = tidy.groupby(keys)["count"].transform("sum").astype("int64")
    tidy["small_cell"] = tidy["total"] < min_count
    tidy["share"] = (tidy["count"] / tidy["total"]).where(~tidy["small_cell"])
    return tidy[[*keys, "theme", "count", "total", "share", "small_cell"]]
