"""Charts of the theme clusterer: terms per theme, theme trends, the choice of k."""

from __future__ import annotations

import pandas as pd
from sklearn.utils.validation import check_is_fitted

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_function
from commlib.cluster._estimator import TicketClusterer
from commlib.cluster._helpers import _display_term


# ---------------------------------------------------------------------- charts
def top_terms_chart(
    clusterer: TicketClusterer,
    n_terms: int = 8,
    clusters=None,
    *,
    ncols: int = 4,
    fig=None,
    lang: str | None = None,
):
    """Draw a grid of bar charts: the distinctive terms of each theme.

    (Called ``plot_top_terms`` before 0.2; that name still works with a warning.)

    Parameters
    ----------
    clusterer : TicketClusterer
        A fitted clusterer (text input).
    n_terms : int, default 8
        Terms per theme.
    clusters : list of int, optional
        Themes to draw. Default: all but misc, largest first, at most 12.
    ncols : int, default 4
        Panels per row.
    fig : matplotlib.figure.Figure, optional
        Figure to draw on; a new one by default.
    lang : {"zh", "en"}, optional
        Language of the misc bucket's name in the panel titles. None: the
        clusterer's language (see :class:`TicketClusterer`). The other theme names are
        the themes' own words.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> tc = TicketClusterer(2, n_components=None, min_df=1, min_cluster_size=0)
    >>> fig = top_terms_chart(tc.fit(["楼上很吵", "楼下很吵", "垃圾很臭", "垃圾桶臭"]))
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_is_fitted(clusterer, "labels_")
    lang = clusterer._lang() if lang is None else check_lang(lang)
    use_chinese_font()
    if clusters is None:
        clusters = [c for c in clusterer.sizes_.index if c != -1][:12]
    clusters = list(clusters)
    ncols = max(1, min(ncols, len(clusters)))
    nrows = max(1, -(-len(clusters) // ncols))
    if fig is None:
        fig = plt.figure(figsize=(3.2 * ncols, 2.6 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    total = len(clusterer.labels_)
    for ax, c in zip(axes, clusters, strict=False):
        terms = [_display_term(w) for w in clusterer.top_terms_.get(c, [])[:n_terms]]
        scores = clusterer.top_term_scores_.get(c, [])[:n_terms]
        ax.barh(range(len(terms))[::-1], scores, color="#4C72B0")
        ax.set_yticks(range(len(terms))[::-1], terms)
        share = clusterer.sizes_.get(c, 0) / total
        name = t("cluster.misc", lang) if c == -1 else clusterer.names_[c]
        ax.set_title(
            t("cluster.panel_title", lang, id=c, name=name, share=f"{share:.0%}"), fontsize=9
        )
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes[len(clusters) :]:
        fig.delaxes(ax)
    return fig


def cluster_trends_chart(
    trends: pd.DataFrame,
    *,
    value: str = "share",
    themes=None,
    group_value=None,
    top: int = 6,
    ax=None,
    lang: str = "zh",
):
    """Draw theme trend lines from a :func:`cluster_trends` table.

    (Called ``plot_cluster_trends`` before 0.2; that name still works with a warning.)

    Parameters
    ----------
    trends : pandas.DataFrame
        Output of :func:`cluster_trends`.
    value : {"share", "count"}, default "share"
        What the y axis shows. Shares of small cells are NaN, so their points are gaps.
    themes : list, optional
        Themes to draw. Default: the ``top`` themes by total count.
    group_value : optional
        With a by-group table, the group to draw (e.g. one community). Default: all
        groups added together (shares recomputed).
    top : int, default 6
        Number of themes drawn when ``themes`` is not given.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones by default.
    lang : {"zh", "en"}, default "zh"
        Language of the axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from commlib.cluster import cluster_trends
    >>> df = pd.DataFrame({"created_at": ["2024-01-05", "2024-02-20", "2024-02-21"],
    ...                    "theme": ["噪音", "快递", "噪音"]})
    >>> ax = cluster_trends_chart(cluster_trends(df, "theme", min_count=1))
    >>> len(ax.lines), ax.get_ylabel()
    (2, '占比')
    >>> cluster_trends_chart(cluster_trends(df, "theme", min_count=1), lang="en").get_ylabel()
    'share'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    if value not in ("share", "count"):
        raise ValueError(f"value must be 'share' or 'count', got {value!r}.")
    extra = [
        c
        for c in trends.columns
        if c not in ("period", "theme", "count", "total", "share", "small_cell")
    ]
    data = trends
    title = None
    if extra:
        gcol = extra[0]
        if group_value is not None:
            data = data[data[gcol] == group_value]
            title = str(group_value)
        else:
            data = data.groupby(["period", "theme"], as_index=False)["count"].sum()
            data["total"] = data.groupby("period")["count"].transform("sum")
            data["share"] = (data["count"] / data["total"]).where(data["total"] > 0)
    if themes is None:
        themes = (
            data.groupby("theme")["count"].sum().sort_values(ascending=False).index[:top].tolist()
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    for theme in themes:
        part = data[data["theme"] == theme].sort_values("period")
        ax.plot(part["period"], part[value], marker="o", markersize=3, label=str(theme))
    ax.set_xlabel(t("cluster.axis.period", lang))
    ax.set_ylabel(t(f"cluster.axis.{value}", lang))
    if value == "share":
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, loc="best")
    return ax


plot_top_terms = renamed_function(top_terms_chart, "plot_top_terms")
plot_cluster_trends = renamed_function(cluster_trends_chart, "plot_cluster_trends")


def k_scores_chart(clusterer: TicketClusterer, *, ax=None, lang: str = "zh"):
    """Draw the evidence behind an automatic k: stability of each candidate k.

    The line is the mean agreement (adjusted Rand index) between k-means runs on
    different subsamples, with one standard error as a band; the chosen k is marked.
    A peak means the tickets fall into that many themes the same way every time.

    Parameters
    ----------
    clusterer : TicketClusterer
        Fitted with ``n_clusters="auto"``.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new ones by default.
    lang : {"zh", "en"}, default "zh"
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> texts = ["楼上装修噪音很吵", "装修电钻噪音吵", "快递丢了没人管", "快递丢了三次"] * 3
    >>> tc = TicketClusterer("auto", k_range=(2, 3), n_components=None, min_df=1)
    >>> ax = k_scores_chart(tc.fit(texts), lang="en")
    >>> ax.get_xlabel()
    'number of themes k'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    check_is_fitted(clusterer, "labels_")
    scores = getattr(clusterer, "k_scores_", None)
    if scores is None:
        raise ValueError(
            "k_scores_chart needs a clusterer fitted with n_clusters='auto'; this one "
            f"was fitted with n_clusters={clusterer.n_clusters!r}."
        )
    use_chinese_font()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
    k = scores["k"].to_numpy()
    s = scores["stability"].to_numpy()
    se = scores["stability_se"].to_numpy()
    ax.fill_between(k, s - se, s + se, color="#4C72B0", alpha=0.2, linewidth=0)
    ax.plot(k, s, marker="o", markersize=3, color="#4C72B0", label=t("cluster.k.stability", lang))
    chosen = int(scores.loc[scores["chosen"], "k"].iloc[0])
    ax.axvline(chosen, color="#C44E52", linestyle="--", label=t("cluster.k.chosen", lang, k=chosen))
    ax.set_xlabel(t("cluster.k.axis_k", lang))
    ax.set_ylabel(t("cluster.k.axis_stability", lang))
    ax.set_title(t("cluster.k.title", lang))
    ax.legend(fontsize=8, loc="best")
    return ax
