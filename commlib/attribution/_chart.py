"""source_timeline: one source's tickets over time (part of commlib.attribution)."""

from __future__ import annotations

import pandas as pd

from commlib._catalogue import check_lang, t
from commlib._compat import renamed_parameters
from commlib._util import missing_label
from commlib.attribution._places import _places
from commlib.errors import require_columns


@renamed_parameters(time="date")
def source_timeline(
    df: pd.DataFrame,
    source,
    *,
    mapping: pd.DataFrame | None = None,
    place: str = "address_key",
    category: str = "category",
    department: str | None = "department",
    date: str = "created_at",
    pad: str | pd.Timedelta = "14D",
    merge_aliases: bool = True,
    ax=None,
    lang: str = "zh",
):
    """Draw one source's tickets by category over time, coloured by department.

    Use it to show, on one chart, that complaints of different kinds at one place came
    together in a short burst and went to different departments.

    Parameters
    ----------
    df : pandas.DataFrame
        Tickets. Not modified.
    source : pandas.Series, str
        A row of :attr:`SourceLinks.sources` (its ``place``, ``first`` and ``last`` are
        used) or a place key.
    mapping : pandas.DataFrame, optional
        :attr:`SourceLinks.mapping`; with it, tickets moved to the source by entity
        joining are included.
    place, category, department, date : str
        Column names.
    pad : str or Timedelta, default "14D"
        Time shown before the first and after the last ticket of the source.
    merge_aliases : bool, default True
        As in :func:`link_sources` (used when ``mapping`` is not given).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made otherwise.
    lang : {"zh", "en"}, default "zh"
        Language of the title, axis labels and legend (categories and departments are
        data and stay as they are).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "created_at": pd.to_datetime(["2024-06-03", "2024-06-05", "2024-06-08"]),
    ...     "category": ["噪音扰民", "环境卫生", "用电安全"],
    ...     "department": ["城管执法中队", "绿化市容所", "供电公司"],
    ...     "address": ["云岭西路123号"] * 3})
    >>> ax = source_timeline(df, "云岭西路123号")
    >>> sorted(t.get_text() for t in ax.get_yticklabels())
    ['噪音扰民', '环境卫生', '用电安全']
    >>> source_timeline(df, "云岭西路123号", lang="en").get_title()
    '云岭西路123号: 3 tickets in 3 categories'
    """
    import matplotlib.pyplot as plt

    from commlib.plotting import use_chinese_font

    check_lang(lang)
    use_chinese_font()
    require_columns(df, [date, category], where="source_timeline")
    if isinstance(source, pd.Series):
        key = str(source["place"])
        first = pd.Timestamp(source["first"]) if "first" in source else None
        last = pd.Timestamp(source["last"]) if "last" in source else None
    else:
        key, first, last = str(source), None, None
    if mapping is not None:
        places = mapping["place"].reindex(df.index)
    else:
        places = _places(df, place, "community", merge_aliases)
    rows = df[(places == key).to_numpy()]
    when = pd.to_datetime(rows[date])
    pad_td = pd.Timedelta(pad)
    lo = (first if first is not None else when.min()) - pad_td
    hi = (last if last is not None else when.max()) + pad_td
    inside = when.between(lo, hi)
    rows, when = rows[inside.to_numpy()], when[inside]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.5 * max(rows[category].nunique(), 3) + 1.5))
    if rows.empty:
        ax.set_title(t("attribution.no_tickets", lang, place=key))
        return ax
    cats = rows[category].value_counts().index.tolist()
    ypos = rows[category].map({c: i for i, c in enumerate(cats)}).to_numpy()
    has_dep = department is not None and department in rows.columns
    groups = (
        rows[department].fillna(missing_label(lang)) if has_dep else pd.Series("", index=rows.index)
    )
    palette = plt.get_cmap("tab10")
    for i, (dep, idx) in enumerate(groups.groupby(groups, sort=True).groups.items()):
        sel = rows.index.get_indexer(idx)
        ax.scatter(
            when.to_numpy()[sel],
            ypos[sel],
            s=70,
            color=palette(i % 10),
            label=dep if has_dep else None,
            zorder=3,
            edgecolor="white",
        )
    if first is not None and last is not None:
        ax.axvspan(
            first, last, color="#F5B7B1", alpha=0.35, zorder=1, label=t("attribution.window", lang)
        )
    ax.set_yticks(range(len(cats)), cats)
    ax.set_ylim(-0.7, len(cats) - 0.3)
    ax.set_xlabel(t("attribution.axis.time", lang))
    ax.set_ylabel(t("attribution.axis.category", lang))
    ax.set_title(t("attribution.title", lang, place=key, n=len(rows), k=len(cats)))
    if has_dep:
        ax.legend(
            title=t("attribution.legend", lang),
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            frameon=False,
        )
    ax.figure.autofmt_xdate()
    return ax
